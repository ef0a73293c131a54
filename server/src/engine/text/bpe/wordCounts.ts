import { stat } from 'node:fs/promises';
import { UserError } from '../../errors.js';
import { readLines, type ReadOptions } from '../corpusReader.js';
import { RangeTable } from './rangeTable.js';

/**
 * Word frequencies of whitespace-tokenized text, keeping the order in which words were first seen.
 * A word is a maximal run of characters other than ' ' and '\n' (as in fastBPE: tabs and '\r' are
 * part of words).
 */
export class WordCounts {
  private readonly index = new RangeTable();
  readonly counts: number[] = [];
  /** Running words (tokens) seen, repeats included. */
  total = 0;

  /** Distinct words, in first-seen order. */
  get words(): readonly string[] {
    return this.index.keys;
  }

  get size(): number {
    return this.index.size;
  }

  private addRange(text: string, start: number, end: number, n: number): void {
    const i = this.index.find(text, start, end);
    if (i < 0) {
      this.index.insert(start === 0 && end === text.length ? text : text.slice(start, end));
      this.counts.push(n);
    } else {
      this.counts[i]! += n;
    }
    this.total += n;
  }

  add(word: string, n = 1): void {
    this.addRange(word, 0, word.length, n);
  }

  addLine(line: string): void {
    let start = 0;
    for (;;) {
      const sp = line.indexOf(' ', start);
      const end = sp < 0 ? line.length : sp;
      if (end > start) this.addRange(line, start, end, 1);
      if (sp < 0) return;
      start = sp + 1;
    }
  }

  get(word: string): number {
    const i = this.index.find(word, 0, word.length);
    return i < 0 ? 0 : this.counts[i]!;
  }
}

/** Fails before any work if an input is missing or a directory (reading finds other problems). */
export async function checkInputFiles(files: readonly string[]): Promise<void> {
  for (const f of files) {
    const st = await stat(f).catch(() => undefined);
    if (!st) throw new UserError(`${f}: no such file`);
    if (st.isDirectory()) throw new UserError(`${f}: is a directory, expected a text file`);
  }
}

/** Counts the words of the files, in order (a file may be empty; the reader's checks apply). */
export async function countWords(files: readonly string[], options: ReadOptions = {}): Promise<WordCounts> {
  await checkInputFiles(files);
  const wc = new WordCounts();
  for (const f of files) {
    for await (const { text } of readLines(f, { allowEmptyFile: true, ...options })) wc.addLine(text);
  }
  return wc;
}
