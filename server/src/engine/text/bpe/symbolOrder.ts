import { UserError, atLine } from '../../errors.js';
import { readLines } from '../corpusReader.js';
import { libstdcxxIterationOrder } from './libstdcxxOrder.js';
import { wordSymbols } from './symbols.js';
import type { WordCounts } from './wordCounts.js';

/**
 * How learn-bpe numbers the initial symbols. Among pairs with the same top count it merges the one
 * with the smallest (id(left), id(right)) — fastBPE's rule — so this numbering *is* the tie-break:
 * - 'fastbpe' (default): the order fastBPE meets them, walking its `unordered_map` of word counts in
 *   libstdc++'s iteration order (simulated in libstdcxxOrder.ts), each word left to right. With the
 *   same input files this reproduces fastBPE's codes exactly (64-bit Linux, GCC libstdc++ build).
 * - 'first-seen': the order the symbols first occur in the input text. Independent of any C++
 *   library; codes match fastBPE's up to the first tie.
 * Symbols made by merges are numbered after all initial symbols, in merge order (as in fastBPE).
 */
export type TieBreak = 'fastbpe' | 'first-seen';

export const TIE_BREAKS: readonly TieBreak[] = ['fastbpe', 'first-seen'];

/** The initial symbols of the counted words, in id order for the given tie-break. */
export function initialSymbolOrder(wc: WordCounts, tieBreak: TieBreak): string[] {
  const words = wc.words;
  const order = tieBreak === 'fastbpe' ? libstdcxxIterationOrder(words) : null;
  const seen = new Set<string>();
  const out: string[] = [];
  for (let k = 0; k < words.length; k++) {
    const w = words[order ? order[k]! : k]!;
    for (const s of wordSymbols(w)) {
      if (!seen.has(s)) {
        seen.add(s);
        out.push(s);
      }
    }
  }
  return out;
}

/**
 * Reads an initial symbol order to replay (one symbol a line, `</w>`-suffixed ones included), e.g.
 * the `initial-symbol-order.txt` of the parity fixture. Symbols may not repeat.
 */
export async function readSymbolOrder(path: string): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  for await (const { text, lineNo } of readLines(path)) {
    if (text === '' || text.includes(' ')) throw atLine(path, lineNo, `expected one symbol per line, got '${text}'`);
    if (seen.has(text)) throw atLine(path, lineNo, `symbol '${text}' is listed twice`);
    seen.add(text);
    out.push(text);
  }
  return out;
}

/** Checks that a replayed order covers every initial symbol of the text (extra symbols are fine). */
export function checkSymbolOrder(order: readonly string[], needed: readonly string[], source: string): void {
  const have = new Set(order);
  const missing = needed.filter((s) => !have.has(s));
  if (missing.length > 0) {
    const shown = missing
      .slice(0, 5)
      .map((s) => `'${s}'`)
      .join(', ');
    throw new UserError(`${source}: ${missing.length} symbol(s) of the training text are not listed, e.g. ${shown}`);
  }
}
