import { tf, type Tensor2D } from '../backend/tf.js';
import { UserError } from '../errors.js';
import { drop, type ForwardOptions } from './dropout.js';
import type { TokenInput } from './inputs.js';
import { addLayerNorm } from './layers.js';
import { gatherRowsOf } from './fusedOps.js';
import type { MassModel } from './model.js';
import type { Side } from './parameters.js';

function checkIds(what: string, ids: Int32Array, limit: number): void {
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i];
    if (v < 0 || v >= limit) {
      const hint = what === 'position' ? ` (sentences are limited to n_max_positions = ${limit} tokens)` : '';
      throw new UserError(`${what} id ${v} out of range [0, ${limit})${hint}`);
    }
  }
}

/** Token + position + language embeddings, layer_norm_emb, dropout, zeroed padding: (bs·len, dim). */
export function embed(model: MassModel, side: Side, input: TokenInput, lengthMask: Tensor2D, opts: ForwardOptions): Tensor2D {
  const c = model.config;
  const { bs, len } = input;
  let positions = input.positions;
  if (!positions) {
    positions = new Int32Array(bs * len);
    for (let b = 0; b < bs; b++) for (let t = 0; t < len; t++) positions[b * len + t] = t;
  }
  checkIds('token', input.tokens, c.n_words);
  checkIds('position', positions, c.n_max_positions);
  let a = gatherRowsOf(model.p(`${side}.embeddings.weight`) as Tensor2D, input.tokens);
  let b = gatherRowsOf(model.p(`${side}.position_embeddings.weight`) as Tensor2D, positions);
  if (c.n_langs > 1) {
    checkIds('language', input.langs, c.n_langs);
    // Summed in the reference's order: (tok + pos) + lang.
    a = tf.add(a, b);
    b = gatherRowsOf(model.p(`${side}.lang_embeddings.weight`) as Tensor2D, input.langs);
  }
  let x = addLayerNorm(model, `${side}.layer_norm_emb`, a, b);
  x = drop(x, c.dropout, opts);
  return tf.mul(x, lengthMask);
}
