import { UserError, atLine } from '../../errors.js';
import { readLines } from '../corpusReader.js';
import { CodeIndex } from './codeIndex.js';
import type { Merge } from './learnBpe.js';

/** Splits on runs of ' ' (fastBPE's `split`: empty fields are dropped). */
export function splitFields(line: string): string[] {
  return line.split(' ').filter((f) => f !== '');
}

/** A count field: a non-negative decimal integer; a Windows '\r' at the end of the line is tolerated. */
export function parseCount(field: string): number | undefined {
  const f = field.endsWith('\r') ? field.slice(0, -1) : field;
  return /^\d+$/.test(f) ? Number(f) : undefined;
}

/**
 * BPE merge operations as read from a fastBPE codes file (`left right count` lines, best first). The
 * rank of a merge is its line index; applying BPE repeatedly merges the lowest-ranked adjacent pair.
 */
export class BpeCodes {
  /** rank by `left + ' ' + right` (tokens never contain spaces). */
  private readonly ranks = new Map<string, number>();
  /** The pair whose concatenation is the key, for splitting out-of-vocabulary subwords back. */
  private readonly reversed = new Map<string, readonly [string, string]>();
  readonly merges: readonly Merge[];
  private indexCache: CodeIndex | undefined;

  /**
   * fastBPE aborts on a repeated pair or on two pairs with the same concatenation (an assert); a
   * repeated pair is an error here too, but for a repeated concatenation we keep the first (best
   * ranked) pair for splitting back, so codes that fastBPE itself can learn stay usable.
   */
  constructor(merges: readonly Merge[], source = 'codes') {
    this.merges = merges;
    merges.forEach((m, i) => {
      const key = `${m.left} ${m.right}`;
      if (this.ranks.has(key)) throw atLine(source, i + 1, `merge '${m.left} ${m.right}' appears twice (first on line ${this.ranks.get(key)! + 1})`);
      this.ranks.set(key, i);
      const concat = m.left + m.right;
      if (!this.reversed.has(concat)) this.reversed.set(concat, [m.left, m.right]);
    });
  }

  get size(): number {
    return this.merges.length;
  }

  /** Rank (0 = merged first) of the pair, or -1 when it is not a merge. */
  rank(left: string, right: string): number {
    return this.ranks.get(`${left} ${right}`) ?? -1;
  }

  /** Token ids and an id-pair rank table, built on first use. */
  get index(): CodeIndex {
    return (this.indexCache ??= new CodeIndex(this.merges));
  }

  /** The merge that produced `subword`, if any. */
  split(subword: string): readonly [string, string] | undefined {
    return this.reversed.get(subword);
  }

  static parseLine(line: string, source: string, lineNo: number): Merge {
    const f = splitFields(line);
    const count = f.length === 3 ? parseCount(f[2]!) : undefined;
    if (count === undefined) {
      const hint = line.startsWith('#version') ? ' (this looks like a subword-nmt codes file; fastBPE codes have no header)' : '';
      throw atLine(source, lineNo, `malformed codes line '${line}', expected 'left right count'${hint}`);
    }
    return { left: f[0]!, right: f[1]!, count };
  }

  static async load(path: string): Promise<BpeCodes> {
    const merges: Merge[] = [];
    for await (const { text, lineNo } of readLines(path)) merges.push(BpeCodes.parseLine(text, path, lineNo));
    return new BpeCodes(merges, path);
  }

  /** From codes text (e.g. a string the caller already holds); `source` names it in errors. */
  static parse(text: string, source = 'codes'): BpeCodes {
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (lines.length === 0) throw new UserError(`${source}: no codes`);
    return new BpeCodes(
      lines.map((l, i) => BpeCodes.parseLine(l, source, i + 1)),
      source,
    );
  }
}
