import { UserError } from '../../errors.js';
import type { ReadOptions } from '../corpusReader.js';
import { PairStore } from './pairStore.js';
import { checkSymbolOrder, initialSymbolOrder, type TieBreak } from './symbolOrder.js';
import { END_OF_WORD } from './symbols.js';
import { countWords, type WordCounts } from './wordCounts.js';

/** One learned merge: a codes line `left right count` (count = pair frequency when merged). */
export interface Merge {
  left: string;
  right: string;
  count: number;
}

export interface LearnOptions {
  /** How equally frequent pairs are ordered (see symbolOrder.ts); default 'fastbpe'. */
  tieBreak?: TieBreak;
  /** Replay this initial symbol order instead (e.g. one dumped from fastBPE); overrides tieBreak. */
  symbolOrder?: readonly string[];
  /** Named in errors about symbolOrder (e.g. its file). */
  symbolOrderSource?: string;
  /** Called after every 1000th merge and after the last one. */
  onProgress?: (merges: number, total: number) => void;
  readOptions?: ReadOptions;
}

export interface LearnResult {
  merges: Merge[];
  /** Running words and distinct words of the training text. */
  words: number;
  uniqueWords: number;
  initialSymbols: number;
  /**
   * Merges chosen among several pairs with the same top count, and the 0-based index of the first
   * one (-1 if none): different tie-breaks give the same codes before it.
   */
  tiedMerges: number;
  firstTie: number;
  /** Fewer merges than asked for: no adjacent pair was left. */
  stoppedEarly: boolean;
}

/**
 * Learns `n` BPE merges the way fastBPE's `learnbpe` does: every step merges the most frequent
 * adjacent pair (counted over distinct words times their frequency), ties going to the smallest
 * (id(left), id(right)). Unlike fastBPE, which scans all pairs each step, pairs sit in a heap and
 * only the words listed for the merged pair are rewritten, so a step costs about the number of
 * occurrences it changes. fastBPE keeps printing bogus `x y 0` lines once no pair is left; we stop.
 */
export function learnBpeFromCounts(wc: WordCounts, n: number, options: LearnOptions = {}): LearnResult {
  if (!Number.isInteger(n) || n <= 0) throw new UserError(`learn-bpe: the number of merges must be a positive integer, got ${n}`);
  let order: readonly string[];
  if (options.symbolOrder) {
    checkSymbolOrder(options.symbolOrder, initialSymbolOrder(wc, 'first-seen'), options.symbolOrderSource ?? 'symbol order');
    order = options.symbolOrder;
  } else {
    order = initialSymbolOrder(wc, options.tieBreak ?? 'fastbpe');
  }
  const symbols: string[] = [...order];
  const symbolId = new Map<string, number>();
  for (let i = 0; i < symbols.length; i++) symbolId.set(symbols[i]!, i);

  // All distinct words as runs of symbol ids in one array; a merge shortens its word in place.
  const nWords = wc.size;
  const start = new Int32Array(nWords);
  const len = new Int32Array(nWords);
  let total = 0;
  for (let w = 0; w < nWords; w++) total += wc.words[w]!.length;
  const syms = new Int32Array(total);
  let at = 0;
  for (let w = 0; w < nWords; w++) {
    start[w] = at;
    const word = wc.words[w]!;
    let last = '';
    for (const ch of word) {
      if (last !== '') syms[at++] = symbolId.get(last)!;
      last = ch;
    }
    syms[at++] = symbolId.get(last + END_OF_WORD)!;
    len[w] = at - start[w]!;
  }

  const pairs = new PairStore();
  for (let w = 0; w < nWords; w++) {
    const c = wc.counts[w]!;
    const s0 = start[w]!;
    const end = s0 + len[w]! - 1;
    for (let i = s0; i < end; i++) pairs.add(syms[i]!, syms[i + 1]!, c, w);
  }
  pairs.buildHeap();

  const merges: Merge[] = [];
  let stoppedEarly = false;
  let tiedMerges = 0;
  let firstTie = -1;
  for (let m = 0; m < n; m++) {
    const p = pairs.best();
    if (p < 0) {
      stoppedEarly = true;
      break;
    }
    if (pairs.runnerUpCount() === pairs.count[p]) {
      tiedMerges++;
      if (firstTie < 0) firstTie = m;
    }
    const L = pairs.left[p]!;
    const R = pairs.right[p]!;
    merges.push({ left: symbols[L]!, right: symbols[R]!, count: pairs.count[p]! });
    const merged = symbols.length;
    symbols.push(symbols[L]! + symbols[R]!);
    const where = pairs.wordsOf(p);
    for (let k = 0; k < where.length; k++) {
      const w = where[k]!;
      const c = wc.counts[w]!;
      const s0 = start[w]!;
      const wl = len[w]!;
      let i = 0;
      let j = 0;
      // Same left-to-right rewrite and count updates as fastBPE: a left neighbour is the already
      // rewritten previous symbol, a right neighbour the not yet rewritten next one.
      while (i < wl) {
        const a = syms[s0 + i]!;
        if (a === L && i + 1 < wl && syms[s0 + i + 1] === R) {
          if (j > 0) {
            const prev = syms[s0 + j - 1]!;
            pairs.add(prev, L, -c, w);
            pairs.add(prev, merged, c, w);
          }
          if (i + 2 < wl) {
            const next = syms[s0 + i + 2]!;
            pairs.add(R, next, -c, w);
            pairs.add(merged, next, c, w);
          }
          syms[s0 + j++] = merged;
          i += 2;
        } else {
          syms[s0 + j++] = a;
          i++;
        }
      }
      len[w] = j;
    }
    pairs.setCount(p, 0);
    if (options.onProgress && ((m + 1) % 1000 === 0 || m + 1 === n)) options.onProgress(m + 1, n);
  }
  return { merges, words: wc.total, uniqueWords: nWords, initialSymbols: order.length, tiedMerges, firstTie, stoppedEarly };
}

/** Counts the words of `files` (read with the corpus reader) and learns `n` merges from them. */
export async function learnBpe(files: readonly string[], n: number, options: LearnOptions = {}): Promise<LearnResult> {
  if (!Number.isInteger(n) || n <= 0) throw new UserError(`learn-bpe: the number of merges must be a positive integer, got ${n}`);
  if (files.length === 0) throw new UserError('learn-bpe: no input files');
  const wc = await countWords(files, options.readOptions);
  if (wc.size === 0) throw new UserError(`learn-bpe: no words in ${files.join(', ')}`);
  return learnBpeFromCounts(wc, n, options);
}

/** Codes file text: one `left right count` line per merge. */
export function formatCodes(merges: readonly Merge[]): string {
  let out = '';
  for (const m of merges) out += `${m.left} ${m.right} ${m.count}\n`;
  return out;
}
