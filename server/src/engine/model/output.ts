import { tf, type Tensor2D, type Tensor3D } from '../backend/tf.js';
import { linearOp } from './layers.js';
import { gatherRowsOf } from './fusedOps.js';
import type { MassModel } from './model.js';
import type { Side } from './parameters.js';

/** PredLayer scores: h·Eᵀ + b with the tied token embeddings E, (rows, n_words). */
export function predictLogits(model: MassModel, side: Side, h: Tensor2D): Tensor2D {
  return linearOp(h, model.p(`${side}.embeddings.weight`), model.p(`${side}.pred_layer.proj.bias`)) as Tensor2D;
}

/** Rows of a (bs, len, dim) tensor at flat indices b·len + t, as (rows, dim). */
export function gatherRows(hidden: Tensor3D, rows: Int32Array): Tensor2D {
  const [bs, len, d] = hidden.shape;
  return gatherRowsOf(tf.reshape(hidden, [bs * len, d]), rows);
}

export { crossEntropy } from './fusedOps.js';
