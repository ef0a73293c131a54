import { EOS_INDEX, PAD_INDEX } from '../text/dictionary.js';
import { lengthOf, type BinarizedData } from './binarized.js';

/** Sentences wrapped as XLM wraps them, `</s> w1 .. wn </s>`, padded, batch-major (bs × slen). */
export interface SentenceBatch {
  bs: number;
  slen: number;
  x: Int32Array;
  lengths: Int32Array;
}

export interface LengthFilter {
  /** Drop sentences with more words than this (XLM max_len; 0 = no limit). */
  maxLen: number;
  /** Drop sentences with fewer words than this (MASS min_len; 0 = no limit). */
  minLen: number;
}

/** Sentence indices kept by XLM's remove_empty / remove_long / remove_short filters. */
export function filterByLength(data: BinarizedData, filter: LengthFilter): Int32Array {
  const keep: number[] = [];
  const n = data.header.nSentences;
  for (let i = 0; i < n; i++) {
    const len = lengthOf(data, i);
    if (len === 0) continue;
    if (filter.maxLen > 0 && len > filter.maxLen) continue;
    if (filter.minLen > 0 && len < filter.minLen) continue;
    keep.push(i);
  }
  return Int32Array.from(keep);
}

/** Per-sentence batching cost as XLM counts it: words + 2 (`</s>` on both sides). */
export function monoCosts(data: BinarizedData): Int32Array {
  const n = data.header.nSentences;
  const costs = new Int32Array(n);
  for (let i = 0; i < n; i++) costs[i] = lengthOf(data, i) + 2;
  return costs;
}

/** Pair cost as XLM's ParallelDataset counts it: words1 + words2 + 4. */
export function pairCosts(a: BinarizedData, b: BinarizedData): Int32Array {
  const n = a.header.nSentences;
  const costs = new Int32Array(n);
  for (let i = 0; i < n; i++) costs[i] = lengthOf(a, i) + lengthOf(b, i) + 4;
  return costs;
}

/** XLM's `batch_sentences`, batch-major. */
export function batchSentences(data: BinarizedData, ids: ArrayLike<number>): SentenceBatch {
  const bs = ids.length;
  const lengths = new Int32Array(bs);
  let slen = 0;
  for (let b = 0; b < bs; b++) {
    lengths[b] = lengthOf(data, ids[b]!) + 2;
    slen = Math.max(slen, lengths[b]!);
  }
  const x = new Int32Array(bs * slen).fill(PAD_INDEX);
  for (let b = 0; b < bs; b++) {
    const row = b * slen;
    const start = data.offsets[ids[b]!]!;
    const len = lengths[b]! - 2;
    x[row] = EOS_INDEX;
    for (let t = 0; t < len; t++) x[row + 1 + t] = data.tokens[start + t]!;
    x[row + len + 1] = EOS_INDEX;
  }
  return { bs, slen, x, lengths };
}

/** Wraps id lists (e.g. generated translations) the same way. */
export function batchIdLists(sentences: ArrayLike<number>[]): SentenceBatch {
  const bs = sentences.length;
  const lengths = Int32Array.from(sentences, (s) => s.length + 2);
  const slen = Math.max(2, ...lengths);
  const x = new Int32Array(bs * slen).fill(PAD_INDEX);
  sentences.forEach((s, b) => {
    const row = b * slen;
    x[row] = EOS_INDEX;
    for (let t = 0; t < s.length; t++) x[row + 1 + t] = s[t]!;
    x[row + s.length + 1] = EOS_INDEX;
  });
  return { bs, slen, x, lengths };
}
