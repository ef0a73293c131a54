import { atLine } from '../../errors.js';
import type { ReadOptions } from '../corpusReader.js';
import { readLines } from '../corpusReader.js';
import { compareUtf8 } from './byteOrder.js';
import { parseCount, splitFields } from './codes.js';
import { countWords, type WordCounts } from './wordCounts.js';

export interface VocabEntry {
  word: string;
  count: number;
}

/**
 * A BPE vocabulary (`token count` lines, as written by get-vocab on BPE'd text) used to limit
 * apply-bpe's output. Only membership matters: like fastBPE, counts are read but not thresholded.
 */
export class BpeVocab {
  private readonly counts = new Map<string, number>();

  constructor(entries: Iterable<VocabEntry>, source = 'vocab') {
    let i = 0;
    for (const e of entries) {
      i++;
      if (this.counts.has(e.word)) throw atLine(source, i, `word '${e.word}' appears twice`);
      this.counts.set(e.word, e.count);
    }
  }

  has(token: string): boolean {
    return this.counts.has(token);
  }

  count(token: string): number | undefined {
    return this.counts.get(token);
  }

  get size(): number {
    return this.counts.size;
  }

  static parseLine(line: string, source: string, lineNo: number): VocabEntry {
    const f = splitFields(line);
    const count = f.length === 2 ? parseCount(f[1]!) : undefined;
    if (count === undefined) throw atLine(source, lineNo, `malformed vocab line '${line}', expected 'word count'`);
    return { word: f[0]!, count };
  }

  static async load(path: string): Promise<BpeVocab> {
    const entries: VocabEntry[] = [];
    const lineOf = new Map<string, number>();
    for await (const { text, lineNo } of readLines(path)) {
      const e = BpeVocab.parseLine(text, path, lineNo);
      const first = lineOf.get(e.word);
      if (first !== undefined) throw atLine(path, lineNo, `word '${e.word}' appears twice (first on line ${first})`);
      lineOf.set(e.word, lineNo);
      entries.push(e);
    }
    return new BpeVocab(entries, path);
  }
}

/** Vocabulary entries in get-vocab order: count descending, then word by UTF-8 bytes ascending. */
export function sortedVocab(wc: WordCounts): VocabEntry[] {
  const entries = wc.words.map((word, i) => ({ word, count: wc.counts[i]! }));
  entries.sort((a, b) => b.count - a.count || compareUtf8(a.word, b.word));
  return entries;
}

/** fastBPE `getvocab`: the words of the files with their counts, sorted. */
export async function getVocab(files: readonly string[], options: ReadOptions = {}): Promise<VocabEntry[]> {
  return sortedVocab(await countWords(files, options));
}

/** Vocab file text: one `word count` line per entry. */
export function formatVocab(entries: readonly VocabEntry[]): string {
  const parts: string[] = [];
  for (const e of entries) parts.push(`${e.word} ${e.count}\n`);
  return parts.join('');
}
