import { open } from 'node:fs/promises';
import { AtomicFileWriter } from '../atomicFile.js';
import { readLines, type ReadOptions } from '../corpusReader.js';
import type { BpeCodes } from './codes.js';
import { RangeTable } from './rangeTable.js';
import { CONTINUATION, END_OF_WORD } from './symbols.js';
import type { BpeVocab } from './vocab.js';

const DEFAULT_CACHE_WORDS = 1 << 20;

/** Drops the trailing `</w>` the way fastBPE does (the last 4 characters, whatever they are). */
function dropEndOfWord(s: string): string {
  return s.length >= END_OF_WORD.length ? s.slice(0, s.length - END_OF_WORD.length) : s;
}

/**
 * Applies BPE codes (optionally limited to a vocabulary) word by word, like fastBPE's
 * `process_bpe`, remembering each word's segmentation (fastBPE likewise segments each distinct
 * word once per file).
 */
export class BpeApplier {
  /** word -> its BPE string (ids of `words` index `segmented`); starts over at maxCacheWords. */
  private readonly words = new RangeTable();
  private segmented: string[] = [];
  /** The same as UTF-8, for file output: bytes [byteStart[id], +byteLength[id]) of `arena`. */
  private arena = Buffer.allocUnsafe(1 << 16);
  private arenaUsed = 0;
  private byteStart = new Int32Array(1024);
  private byteLength = new Int32Array(1024);
  /** Scratch arrays for segmenting one word. */
  private ids = new Int32Array(64);
  private cps = new Int32Array(64);

  constructor(
    readonly codes: BpeCodes,
    readonly vocab?: BpeVocab,
    private readonly maxCacheWords = DEFAULT_CACHE_WORDS,
  ) {}

  /** The subwords of one word (no spaces in it); the last one ends with `</w>`. */
  subwords(word: string): string[] {
    const index = this.codes.index;
    // Token ids of the word's symbols; a symbol no merge mentions (-1) can never be merged and keeps
    // its code point, to be written back as a string at the end.
    if (this.ids.length < word.length) {
      this.ids = new Int32Array(word.length * 2);
      this.cps = new Int32Array(word.length * 2);
    }
    const ids = this.ids;
    const cps = this.cps;
    let n = 0;
    for (let i = 0; i < word.length;) {
      const cp = word.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      cps[n] = cp;
      ids[n++] = index.charId(cp, i >= word.length);
    }
    while (n > 1) {
      let best = -1;
      let bestRank = 0x7fffffff;
      for (let i = 0; i + 1 < n; i++) {
        const l = ids[i]!;
        const r = ids[i + 1]!;
        if (l < 0 || r < 0) continue;
        const rank = index.rank(l, r);
        if (rank >= 0 && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) break;
      // Merge every occurrence of the best pair, left to right.
      const L = ids[best]!;
      const R = ids[best + 1]!;
      const M = index.mergedOf[bestRank]!;
      let j = 0;
      for (let i = 0; i < n; j++) {
        if (i + 1 < n && ids[i] === L && ids[i + 1] === R) {
          ids[j] = M;
          i += 2;
        } else {
          ids[j] = ids[i]!;
          cps[j] = cps[i]!;
          i++;
        }
      }
      n = j;
    }
    const subs: string[] = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      subs[i] = id >= 0 ? index.tokens[id]! : String.fromCodePoint(cps[i]!) + (i === n - 1 ? END_OF_WORD : '');
    }
    return this.vocab && this.vocab.size > 0 ? this.limitToVocab(subs, this.vocab) : subs;
  }

  /**
   * fastBPE's `limitVocab`: a non-final subword `x` stays if `x@@` is in the vocabulary, the final
   * `x</w>` if `x` is; any other is split back into the two parts of the merge that made it,
   * recursively, down to single characters (which always stay).
   */
  private limitToVocab(subs: string[], vocab: BpeVocab): string[] {
    const out: string[] = [];
    const last = subs.length - 1;
    for (let i = 0; i <= last; i++) {
      const s = subs[i]!;
      const final = i === last;
      if (vocab.has(final ? dropEndOfWord(s) : s + CONTINUATION)) out.push(s);
      else this.decompose(s, out, vocab, final);
    }
    return out;
  }

  private decompose(s: string, out: string[], vocab: BpeVocab, final: boolean): void {
    const parts = this.codes.split(s);
    if (!parts) {
      out.push(s);
      return;
    }
    const [a, b] = parts;
    if (vocab.has(a + CONTINUATION)) out.push(a);
    else this.decompose(a, out, vocab, false);
    if (vocab.has(final ? dropEndOfWord(b) : b + CONTINUATION)) out.push(b);
    else this.decompose(b, out, vocab, final);
  }

  /** One word in BPE form: subwords joined by `@@ `, without the `</w>` mark. */
  word(word: string): string {
    let id = this.words.find(word, 0, word.length);
    if (id < 0) id = this.segment(word);
    return this.segmented[id]!;
  }

  /** Segments a word that is not cached yet and caches it (string and UTF-8 bytes); returns its id. */
  private segment(word: string): number {
    const r = dropEndOfWord(this.subwords(word).join(CONTINUATION + ' '));
    if (this.words.size >= this.maxCacheWords) {
      this.words.clear();
      this.segmented = [];
      this.arenaUsed = 0;
    }
    const id = this.words.insert(word);
    this.segmented.push(r);
    if (id >= this.byteStart.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.byteStart = grow(this.byteStart);
      this.byteLength = grow(this.byteLength);
    }
    if (this.arenaUsed + r.length * 3 > this.arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.arenaUsed + r.length * 3));
      this.arena.copy(bigger, 0, 0, this.arenaUsed);
      this.arena = bigger;
    }
    const n = this.arena.write(r, this.arenaUsed);
    this.byteStart[id] = this.arenaUsed;
    this.byteLength[id] = n;
    this.arenaUsed += n;
    return id;
  }

  /**
   * One line: words are separated by ' '; every space is kept as is (fastBPE file mode), so runs of
   * spaces and leading/trailing ones survive, and tabs or '\r' are part of words.
   */
  line(line: string): string {
    let out = '';
    let start = 0;
    for (;;) {
      const sp = line.indexOf(' ', start);
      const end = sp < 0 ? line.length : sp;
      if (end > start) {
        let id = this.words.find(line, start, end);
        if (id < 0) id = this.segment(line.slice(start, end));
        out += this.segmented[id]!;
      }
      if (sp < 0) return out;
      out += ' ';
      start = sp + 1;
    }
  }

  /** Upper bound of the UTF-8 bytes `encodeLine` writes for a line (each unit: 3 bytes + `@@ `). */
  static maxEncodedBytes(line: string): number {
    return line.length * 6;
  }

  /**
   * `line(line)` as UTF-8, written into `out` at `pos` (which must have maxEncodedBytes(line) bytes
   * free); returns the new position. Copies each word's cached bytes: no strings are built.
   */
  encodeLine(line: string, out: Buffer, pos: number): number {
    let start = 0;
    for (;;) {
      const sp = line.indexOf(' ', start);
      const end = sp < 0 ? line.length : sp;
      if (end > start) {
        let id = this.words.find(line, start, end);
        if (id < 0) id = this.segment(line.slice(start, end));
        const arena = this.arena;
        const from = this.byteStart[id]!;
        const to = from + this.byteLength[id]!;
        for (let k = from; k < to; k++) out[pos++] = arena[k]!;
      }
      if (sp < 0) return pos;
      out[pos++] = 32;
      start = sp + 1;
    }
  }
}

const appliers = new WeakMap<BpeCodes, Map<BpeVocab | null, BpeApplier>>();

/** BPE of one line with a shared, cached applier per (codes, vocab) — for in-process callers. */
export function applyBpe(line: string, codes: BpeCodes, vocab?: BpeVocab): string {
  let byVocab = appliers.get(codes);
  if (!byVocab) appliers.set(codes, (byVocab = new Map()));
  let a = byVocab.get(vocab ?? null);
  if (!a) byVocab.set(vocab ?? null, (a = new BpeApplier(codes, vocab)));
  return a.line(line);
}

/** Undoes BPE on a line: removes `@@ ` joins and a dangling final `@@` (XLM/MASS `sed -r 's/(@@ )|(@@ ?$)//g'`). */
export function removeBpe(line: string): string {
  return line.replace(/@@ |@@ ?$/g, '');
}

async function endsWithNewline(path: string): Promise<boolean> {
  if (path.endsWith('.gz')) return true;
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size === 0) return true;
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, size - 1);
    return b[0] === 10;
  } finally {
    await fh.close();
  }
}

/**
 * fastBPE `applybpe OUT IN CODES [VOCAB]`: writes `input` with BPE applied to `output`, atomically
 * (nothing appears at `output` unless the whole file was written). Byte-identical to fastBPE for
 * newline-terminated input; a final line without '\n' is segmented and written without one, where
 * fastBPE drops its last word.
 */
export async function applyBpeFile(
  output: string,
  input: string,
  codes: BpeCodes,
  vocab?: BpeVocab,
  readOptions: ReadOptions = {},
): Promise<{ lines: number }> {
  const applier = new BpeApplier(codes, vocab);
  const CHUNK = 1 << 20;
  let buf = Buffer.allocUnsafe(CHUNK);
  let pos = 0;
  let count = 0;
  const finalNewline = await endsWithNewline(input).catch(() => true);
  const out = new AtomicFileWriter(output);
  try {
    for await (const { text } of readLines(input, { allowEmptyFile: true, ...readOptions })) {
      // Encode straight into the output chunk; '\n' goes before every line but the first, and after
      // the last one only if the input had it.
      const need = BpeApplier.maxEncodedBytes(text) + 1;
      if (pos + need > buf.length) {
        await out.write(buf.subarray(0, pos));
        buf = Buffer.allocUnsafe(Math.max(CHUNK, need));
        pos = 0;
      }
      if (count > 0) buf[pos++] = 10;
      pos = applier.encodeLine(text, buf, pos);
      count++;
    }
    if (count > 0 && finalNewline) {
      if (pos === buf.length) {
        await out.write(buf);
        buf = Buffer.allocUnsafe(1);
        pos = 0;
      }
      buf[pos++] = 10;
    }
    await out.write(buf.subarray(0, pos));
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
  return { lines: count };
}
