import { readLines } from './corpusReader.js';
import { UserError, atLine } from '../errors.js';

/** XLM's special symbols, in XLM's order (src/data/dictionary.py). */
export const BOS_WORD = '<s>';
export const EOS_WORD = '</s>';
export const PAD_WORD = '<pad>';
export const UNK_WORD = '<unk>';
export const N_SPECIAL_WORDS = 10;
export const specialWord = (i: number): string => `<special${i}>`;
/** XLM: SEP_WORD = <special0>, MASK_WORD = <special1> (so [MASK] has id 5). */
export const MASK_WORD = specialWord(1);

export const BOS_INDEX = 0;
export const EOS_INDEX = 1;
export const PAD_INDEX = 2;
export const UNK_INDEX = 3;
export const MASK_INDEX = 5;
export const FIRST_WORD_INDEX = 4 + N_SPECIAL_WORDS;

/** Python's str.split() separators (Unicode whitespace as CPython defines it), used by XLM's readers. */
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

export function pySplit(line: string): string[] {
  return line.split(PY_WHITESPACE).filter((w) => w.length > 0);
}

export interface IndexedSentence {
  ids: number[];
  unknown: number;
  /** Special symbols found in the text and dropped (XLM drops the word, keeps the sentence). */
  droppedSpecial: number;
}

/**
 * The model's vocabulary: XLM's 14 special symbols, then the subword vocabulary in the order of the
 * vocab file (fastBPE's getvocab order: count descending). Built exactly as XLM's
 * `Dictionary.read_vocab`, so a vocabulary file gives the same ids as in the reference.
 */
export class Dictionary {
  readonly id2word: string[];
  readonly counts: number[];
  private readonly word2id: Map<string, number>;

  constructor(words: string[], counts: number[]) {
    if (words.length !== counts.length) throw new Error('Dictionary: words and counts differ in length');
    this.id2word = words;
    this.counts = counts;
    this.word2id = new Map(words.map((w, i) => [w, i]));
    const expected = [BOS_WORD, EOS_WORD, PAD_WORD, UNK_WORD, ...Array.from({ length: N_SPECIAL_WORDS }, (_, i) => specialWord(i))];
    expected.forEach((w, i) => {
      if (words[i] !== w) throw new Error(`Dictionary: id ${i} must be ${w}, found ${words[i]}`);
    });
  }

  /** Specials followed by (word, count) entries; duplicates of earlier words are dropped. */
  static fromEntries(entries: Iterable<[string, number]>): Dictionary {
    const words = [BOS_WORD, EOS_WORD, PAD_WORD, UNK_WORD, ...Array.from({ length: N_SPECIAL_WORDS }, (_, i) => specialWord(i))];
    const counts = words.map(() => 0);
    const seen = new Set(words);
    for (const [w, c] of entries) {
      if (seen.has(w)) continue;
      seen.add(w);
      words.push(w);
      counts.push(c);
    }
    return new Dictionary(words, counts);
  }

  /**
   * Reads a vocabulary file (`word count` lines) as XLM's read_vocab does: lines containing U+2028,
   * lines that do not split into exactly two fields, and words already present are skipped (and
   * counted); a count that is not a non-negative integer is an error naming the line (XLM asserts).
   */
  static async readVocab(path: string): Promise<{ dictionary: Dictionary; skipped: number }> {
    const entries: [string, number][] = [];
    let skipped = 0;
    const seen = new Set<string>();
    for await (const { text, lineNo } of readLines(path)) {
      if (text.includes('\u2028')) {
        skipped++;
        continue;
      }
      const fields = pySplit(text);
      if (fields.length !== 2) {
        skipped++;
        continue;
      }
      const [word, count] = fields as [string, string];
      if (!/^[0-9]+$/.test(count)) throw atLine(path, lineNo, `count '${count}' of '${word}' is not a non-negative integer`);
      if (seen.has(word) || isSpecial(word)) {
        skipped++;
        continue;
      }
      seen.add(word);
      entries.push([word, Number(count)]);
    }
    if (entries.length === 0) throw new UserError(`${path}: no vocabulary entries ('word count' lines) found`);
    return { dictionary: Dictionary.fromEntries(entries), skipped };
  }

  get size(): number {
    return this.id2word.length;
  }

  index(word: string): number {
    return this.word2id.get(word) ?? UNK_INDEX;
  }

  has(word: string): boolean {
    return this.word2id.has(word);
  }

  word(id: number): string {
    const w = this.id2word[id];
    if (w === undefined) throw new RangeError(`Dictionary: no word with id ${id}`);
    return w;
  }

  /** XLM's `max_vocab`: keep the first n ids. */
  limitSize(n: number): Dictionary {
    if (n < FIRST_WORD_INDEX + 1) throw new UserError(`max_vocab must be at least ${FIRST_WORD_INDEX + 1}, got ${n}`);
    return new Dictionary(this.id2word.slice(0, n), this.counts.slice(0, n));
  }

  /** XLM's `min_count`: drop words seen fewer than n times (specials always stay). */
  withMinCount(n: number): Dictionary {
    const keep = this.id2word.map((_, i) => i < FIRST_WORD_INDEX || this.counts[i]! >= n);
    return new Dictionary(
      this.id2word.filter((_, i) => keep[i]),
      this.counts.filter((_, i) => keep[i]),
    );
  }

  /**
   * Indexes one line of BPE text as XLM's index_data: split on whitespace, unknown words → `<unk>`,
   * special symbols other than `<unk>` dropped from the sentence.
   */
  indexLine(line: string): IndexedSentence {
    const ids: number[] = [];
    let unknown = 0;
    let droppedSpecial = 0;
    for (const w of pySplit(line)) {
      const id = this.index(w);
      if (id < FIRST_WORD_INDEX && id !== UNK_INDEX) {
        droppedSpecial++;
        continue;
      }
      if (id === UNK_INDEX) unknown++;
      ids.push(id);
    }
    return { ids, unknown, droppedSpecial };
  }

  /** Ids back to BPE text; stops at nothing, skips nothing: callers cut at `</s>`. */
  toText(ids: ArrayLike<number>): string {
    const words: string[] = [];
    for (let i = 0; i < ids.length; i++) words.push(this.word(ids[i]!));
    return words.join(' ');
  }

  /** The vocab file body (`word count` lines) for every non-special word, in id order. */
  toVocabText(): string {
    let out = '';
    for (let i = FIRST_WORD_INDEX; i < this.size; i++) out += `${this.id2word[i]} ${this.counts[i]}\n`;
    return out;
  }

  /** A short stable fingerprint of the ids (for cache keys and checkpoint/data compatibility checks). */
  fingerprint(): string {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (const w of this.id2word) {
      for (let i = 0; i < w.length; i++) {
        h1 = Math.imul(h1 ^ w.charCodeAt(i), 0x01000193) >>> 0;
        h2 = Math.imul(h2 ^ w.charCodeAt(i), 0x5bd1e995) >>> 0;
      }
      h1 = Math.imul(h1 ^ 10, 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ 10, 0x5bd1e995) >>> 0;
    }
    return `${this.size}-${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
  }
}

function isSpecial(word: string): boolean {
  return word === BOS_WORD || word === EOS_WORD || word === PAD_WORD || word === UNK_WORD || /^<special\d>$/.test(word);
}
