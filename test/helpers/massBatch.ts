/**
 * Real-text MASS batches for model tests and benchmarks, while the project's dictionary/BPE pipeline
 * is built elsewhere: sentences from a real corpus, a whitespace vocabulary in XLM's dictionary order
 * (`<s>` `</s>` `<pad>` `<unk>` `<special0..9>`, then words by descending count; `[MASK]` = `<special0>`),
 * and one contiguous masked span per sentence as MASS's restricted_mask_sent makes it (decoder input =
 * the original tokens shifted by one at their original positions, cross-attention blind to `[MASK]`).
 */
import { readLines } from '../../server/src/engine/text/corpusReader.js';
import type { Seq2SeqBatch } from '../../server/src/engine/train/seq2seqBatch.js';
import { SeededRandom } from '../../server/src/engine/model/random.js';

export const BOS = 0;
export const EOS = 1;
export const PAD = 2;
export const UNK = 3;
export const MASK = 5;
const N_SPECIAL = 14;

/** The first `n` non-empty lines of a corpus file whose whitespace token count is in [minWords, maxWords]. */
export async function readSentences(path: string, n: number, minWords = 1, maxWords = Infinity): Promise<string[][]> {
  const out: string[][] = [];
  for await (const line of readLines(path, { skipEmpty: true })) {
    const words = line.text.trim().split(/\s+/).filter(Boolean);
    if (words.length >= minWords && words.length <= maxWords) out.push(words);
    if (out.length >= n) break;
  }
  return out;
}

export interface WhitespaceVocab {
  id(word: string): number;
  size: number;
}

/** Words by descending count (ties: first seen), at most `maxSize` ids in all. */
export function whitespaceVocab(sentences: string[][], maxSize: number): WhitespaceVocab {
  const counts = new Map<string, number>();
  for (const s of sentences) for (const w of s) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Math.max(0, maxSize - N_SPECIAL))
    .map(([w]) => w);
  const ids = new Map(words.map((w, i) => [w, N_SPECIAL + i]));
  return { id: (w) => ids.get(w) ?? UNK, size: maxSize };
}

/**
 * A MASS batch: sentence i becomes `</s> w1..wn </s>` truncated/padded to `srcLen`; a span of
 * `spanLen` positions starting at a random position in [1, len - spanLen] is masked (all `[MASK]`, so
 * the batch is reproducible and simple); the decoder predicts it.
 */
export function massBatch(sentences: string[][], vocab: WhitespaceVocab, srcLen: number, spanLen: number, lang: number, seed: number): Seq2SeqBatch {
  const bs = sentences.length;
  const rng = new SeededRandom(seed);
  const src = new Int32Array(bs * srcLen).fill(PAD);
  const srcLengths = new Int32Array(bs);
  const encMask = new Uint8Array(bs * srcLen);
  const tgtLen = spanLen;
  const tgtIn = new Int32Array(bs * tgtLen).fill(PAD);
  const tgtPositions = new Int32Array(bs * tgtLen).fill(PAD);
  const tgtLengths = new Int32Array(bs);
  const targets = new Int32Array(bs * tgtLen).fill(PAD);
  const predMask = new Uint8Array(bs * tgtLen);
  sentences.forEach((words, b) => {
    const ids = [EOS, ...words.slice(0, srcLen - 2).map((w) => vocab.id(w)), EOS];
    const len = ids.length;
    const span = Math.min(spanLen, len - 1);
    const start = 1 + rng.int(len - span);
    srcLengths[b] = len;
    tgtLengths[b] = span;
    for (let t = 0; t < len; t++) {
      const masked = t >= start && t < start + span;
      src[b * srcLen + t] = masked ? MASK : ids[t];
      encMask[b * srcLen + t] = masked ? 0 : 1;
    }
    for (let j = 0; j < span; j++) {
      const p = start + j;
      tgtIn[b * tgtLen + j] = ids[p - 1];
      tgtPositions[b * tgtLen + j] = p - 1;
      targets[b * tgtLen + j] = ids[p];
      predMask[b * tgtLen + j] = 1;
    }
  });
  return {
    bs,
    srcLen,
    src,
    srcLengths,
    srcLangs: new Int32Array(bs * srcLen).fill(lang),
    encMask,
    tgtLen,
    tgtIn,
    tgtPositions,
    tgtLengths,
    tgtLangs: new Int32Array(bs * tgtLen).fill(lang),
    targets,
    predMask,
  };
}
