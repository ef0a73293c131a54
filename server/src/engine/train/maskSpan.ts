import { MASK_INDEX, PAD_INDEX } from '../text/dictionary.js';
import type { SentenceBatch } from '../data/datasets.js';
import { pyRound } from '../util/pyRound.js';
import type { Rng } from '../util/rng.js';
import type { Seq2SeqBatch } from './seq2seqBatch.js';

export interface MassMaskOptions {
  /** Fraction of each sentence (incl. both `</s>`) to mask: the reference's --word_mass (0.5). */
  wordMass: number;
  /** Maximum length of one masked segment (--lambda_span, 10000 = a single contiguous span). */
  spanLen: number;
  /** Probabilities to replace a masked token by [MASK] / keep it / a random id (--word_mask_keep_rand). */
  maskKeepRand: [number, number, number];
  nWords: number;
}

/** The reference's `get_segments`: the masked length cut into pieces of at most spanLen. */
export function getSegments(maskLen: number, spanLen: number): number[] {
  const segs: number[] = [];
  let left = maskLen;
  while (left >= spanLen) {
    segs.push(spanLen);
    left -= spanLen;
  }
  if (left !== 0) segs.push(left);
  return segs;
}

/**
 * The reference's `shuffle_segments` + `unfold_segments`: 20% of the time the first segment starts
 * at position 1, 20% the last segment ends the sentence (so the final `</s>` can be masked), 60% all
 * segments are placed at random among the unmasked tokens. Position 0 (the leading `</s>`) is never
 * masked. Returns the masked positions in increasing order.
 */
export function placeSegments(segs: number[], unmasked: number, rng: Rng): number[] {
  const zeros = new Array<number>(Math.max(0, unmasked)).fill(0);
  const p = rng.random();
  let order: number[];
  if (p >= 0.8) {
    const rest = [...segs.slice(1), ...zeros];
    rng.shuffle(rest);
    order = [...segs.slice(0, 1), ...rest];
  } else if (p >= 0.6) {
    const rest = [...segs.slice(0, -1), ...zeros];
    rng.shuffle(rest);
    order = [...rest, ...segs.slice(-1)];
  } else {
    order = [...segs, ...zeros];
    rng.shuffle(order);
  }
  const positions: number[] = [];
  let curr = 1;
  for (const len of order) {
    if (len >= 1) {
      for (let i = 0; i < len; i++) positions.push(curr + i);
      curr += len;
    } else {
      curr += 1;
    }
  }
  return positions;
}

/** The reference's `mask_word`: [MASK] / unchanged / a uniformly random id over the whole vocabulary. */
export function replaceMasked(word: number, probs: [number, number, number], nWords: number, rng: Rng): number {
  const p = rng.random();
  if (p < probs[0]) return MASK_INDEX;
  if (p < probs[0] + probs[1]) return word;
  return rng.int(nWords);
}

/**
 * MASS pre-training masking (`restricted_mask_sent` in MASS-unsupNMT/src/trainer.py) on a batch of
 * `</s> w1 .. wn </s>` sentences of one language.
 *
 * Deliberate difference from the reference: it takes the span length from the padded batch length
 * and the span layout from the batch's first sentence, for every sentence (it assumes equal lengths;
 * with unequal lengths spans can fall outside shorter sentences). We compute both per sentence:
 * `mask_len = round(len_i * word_mass)` (Python rounding), clamped to [1, len_i - 1]. On a batch of
 * equal lengths — what length-grouped batching mostly yields — this is the reference's behaviour.
 *
 * The decoder sees the fragment's ORIGINAL tokens shifted by one (`words[pos-1]`) at their original
 * positions (`pos-1`) and predicts `words[pos]`; cross-attention ignores encoder `[MASK]` positions.
 */
export function maskSpans(batch: SentenceBatch, lang: number, opts: MassMaskOptions, rng: Rng): Seq2SeqBatch {
  const { bs, slen, x, lengths } = batch;
  const src = Int32Array.from(x);
  const positionsPerRow: number[][] = [];
  for (let b = 0; b < bs; b++) {
    const len = lengths[b]!;
    const maskLen = Math.min(len - 1, Math.max(1, pyRound(len * opts.wordMass)));
    const pos = placeSegments(getSegments(maskLen, Math.max(1, opts.spanLen)), len - maskLen - 1, rng);
    positionsPerRow.push(pos);
  }
  for (let b = 0; b < bs; b++) {
    for (const p of positionsPerRow[b]!) src[b * slen + p] = replaceMasked(x[b * slen + p]!, opts.maskKeepRand, opts.nWords, rng);
  }
  return fragmentBatch(batch, src, lang, positionsPerRow);
}

/**
 * The MASS encoder-decoder batch once the masked positions are chosen and `src` holds the masked
 * encoder input: the decoder reads the fragment's original tokens shifted by one (`words[pos-1]`) at
 * positions `pos-1` and predicts `words[pos]`. Padded decoder slots hold the pad index as token and
 * position, as in the reference.
 */
export function fragmentBatch(batch: SentenceBatch, src: Int32Array, lang: number, positionsPerRow: number[][]): Seq2SeqBatch {
  const { bs, slen, x, lengths } = batch;
  const tgtLen = Math.max(1, ...positionsPerRow.map((p) => p.length));
  const tgtIn = new Int32Array(bs * tgtLen).fill(PAD_INDEX);
  const tgtPositions = new Int32Array(bs * tgtLen).fill(PAD_INDEX);
  const targets = new Int32Array(bs * tgtLen).fill(PAD_INDEX);
  const predMask = new Uint8Array(bs * tgtLen);
  const tgtLengths = new Int32Array(bs);
  for (let b = 0; b < bs; b++) {
    const row = b * slen;
    const pos = positionsPerRow[b]!;
    tgtLengths[b] = pos.length;
    pos.forEach((p, j) => {
      const t = b * tgtLen + j;
      targets[t] = x[row + p]!;
      tgtIn[t] = x[row + p - 1]!;
      tgtPositions[t] = p - 1;
      predMask[t] = 1;
    });
  }
  return {
    bs,
    srcLen: slen,
    src,
    srcLengths: Int32Array.from(lengths),
    srcLangs: new Int32Array(bs * slen).fill(lang),
    encMask: encoderVisibility(src, lengths, slen),
    tgtLen,
    tgtIn,
    tgtPositions,
    tgtLengths,
    tgtLangs: new Int32Array(bs * tgtLen).fill(lang),
    targets,
    predMask,
  };
}

/** 1 where cross-attention may look: inside the length and not `[MASK]` (`enc_mask = x1.ne(mask_index)`). */
export function encoderVisibility(src: Int32Array, lengths: Int32Array, slen: number): Uint8Array {
  const mask = new Uint8Array(src.length);
  for (let b = 0; b < lengths.length; b++) {
    for (let t = 0; t < lengths[b]!; t++) mask[b * slen + t] = src[b * slen + t] === MASK_INDEX ? 0 : 1;
  }
  return mask;
}
