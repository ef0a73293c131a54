import { tf } from '../backend/tf.js';
import type { EncoderMemory } from '../model/decoder.js';
import { encode } from '../model/encoder.js';
import type { MassModel } from '../model/model.js';
import { UserError } from '../errors.js';

/** Encoder input of a generation call: `</s> w.. </s>` rows, batch-major, as datasets.ts builds them. */
export interface SourceBatch {
  bs: number;
  len: number;
  /** bs·len token ids, padded. */
  tokens: Int32Array;
  /** Real length of each row (both `</s>` included). */
  lengths: Int32Array;
  /** Language id of each token, bs·len. */
  langs: Int32Array;
}

/** Checks ids against the model's tables (the host-kernel encoder does not): a UserError naming the first bad one. */
export function checkSource(model: MassModel, src: SourceBatch): void {
  const c = model.config;
  if (src.tokens.length !== src.bs * src.len || src.langs.length !== src.bs * src.len || src.lengths.length !== src.bs) {
    throw new Error(`source batch: ${src.tokens.length} tokens, ${src.langs.length} language ids and ${src.lengths.length} lengths for ${src.bs} × ${src.len}`);
  }
  if (src.len > c.n_max_positions) throw new UserError(`source of ${src.len} tokens: the model takes at most n_max_positions = ${c.n_max_positions}`);
  for (let i = 0; i < src.tokens.length; i++) {
    if (!(src.tokens[i] >= 0 && src.tokens[i] < c.n_words)) throw new UserError(`source token id ${src.tokens[i]} out of range [0, ${c.n_words})`);
    if (!(src.langs[i] >= 0 && src.langs[i] < c.n_langs)) throw new UserError(`source language id ${src.langs[i]} out of range [0, ${c.n_langs})`);
  }
  for (const l of src.lengths) if (!(l >= 1 && l <= src.len)) throw new Error(`source batch: length ${l} outside [1, ${src.len}]`);
}

/** Encodes in eval mode (no dropout); the caller owns (disposes) `out`. */
export function encodeSource(model: MassModel, src: SourceBatch): EncoderMemory {
  const out = tf.tidy(() => encode(model, { bs: src.bs, len: src.len, tokens: src.tokens, lengths: src.lengths, langs: src.langs }));
  return { out, lengths: src.lengths };
}

/**
 * Per-sentence length limits (XLM's max_len: both `</s>` included, so at most maxLen - 2 words),
 * from one number for the batch or one per sentence. At least 2; capped to n_max_positions (the
 * last position id a target may use is maxLen - 1).
 */
export function maxLengths(model: MassModel, bs: number, maxLen: number | Int32Array): Int32Array {
  const limit = model.config.n_max_positions;
  const out = new Int32Array(bs);
  for (let b = 0; b < bs; b++) {
    const m = typeof maxLen === 'number' ? maxLen : maxLen[b];
    if (!Number.isInteger(m) || m < 2) throw new UserError(`max_len must be an integer >= 2 (both </s> count), got ${m}`);
    out[b] = Math.min(m, limit);
  }
  if (typeof maxLen !== 'number' && maxLen.length !== bs) throw new Error(`maxLengths: ${maxLen.length} limits for ${bs} sentences`);
  return out;
}
