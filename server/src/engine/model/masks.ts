/**
 * Masks as in XLM's get_masks, built on the host from lengths and uploaded once per forward pass.
 * Attention masks are additive biases: 0 where a key is visible, MASKED where it is not. The reference
 * fills -inf; a finite value gives the same probabilities (exp underflows to exactly 0) and keeps a row
 * with no visible key finite instead of NaN.
 */
import { tf, type Tensor, type Tensor2D } from '../backend/tf.js';

export const MASKED = -1e9;

/** (bs·len, 1) with 1 inside each row's length, 0 on padding (`tensor *= mask.unsqueeze(-1)`). */
export function lengthMask(bs: number, len: number, lengths: Int32Array): Tensor2D {
  const m = new Float32Array(bs * len);
  for (let b = 0; b < bs; b++) m.fill(1, b * len, b * len + Math.min(lengths[b], len));
  return tf.tensor2d(m, [bs * len, 1]);
}

/**
 * (bs, 1, 1, klen) key bias: visible where j < lengths[b] and, if given, visible[b·klen + j] != 0
 * (MASS's cross-attention `src_mask &= enc_mask`).
 */
export function keyBias(bs: number, klen: number, lengths: Int32Array, visible?: Uint8Array): Tensor {
  const m = new Float32Array(bs * klen).fill(MASKED);
  for (let b = 0; b < bs; b++) {
    for (let j = 0; j < Math.min(lengths[b], klen); j++) {
      if (!visible || visible[b * klen + j]) m[b * klen + j] = 0;
    }
  }
  return tf.tensor4d(m, [bs, 1, 1, klen]);
}

/** (1, 1, len, len) causal bias: query i sees keys j <= i (padding is not masked, as in the reference). */
export function causalBias(len: number): Tensor {
  const m = new Float32Array(len * len);
  for (let i = 0; i < len; i++) m.fill(MASKED, i * len + i + 1, (i + 1) * len);
  return tf.tensor4d(m, [1, 1, len, len]);
}
