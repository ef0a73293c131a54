/**
 * The building blocks of XLM's TransformerModel, on row-major 2-D activations (rows = batch × time),
 * so every projection is one plain matrix product.
 */
import { tf, type Tensor, type Tensor2D, type Tensor4D } from '../backend/tf.js';
import { addLayerNorm as fusedAddLayerNorm, columnSums } from './fusedOps.js';
import { drop, type ForwardOptions } from './dropout.js';
import type { MassModel } from './model.js';

/**
 * x Wᵀ + b with its gradient written out so every product is a plain (untransposed) one, the fast
 * case of every backend: dx = dy W, dW = dyᵀ x, db = 1ᵀ dy.
 */
export const linearOp = tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, b] = args as Tensor2D[];
  const save = args[3] as tf.GradSaveFunc;
  save([x, w]);
  return {
    value: tf.fused.matMul({ a: x, b: tf.transpose(w) as Tensor2D, bias: b }),
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [xs, ws] = saved as Tensor2D[];
      const g = dy as Tensor2D;
      return [tf.matMul(g, ws), tf.matMul(tf.transpose(g) as Tensor2D, xs), columnSums(g)];
    },
  };
});

/** torch.nn.Linear: x Wᵀ + b with W stored (out, in). */
export function linear(model: MassModel, name: string, x: Tensor2D): Tensor2D {
  return linearOp(x, model.p(`${name}.weight`), model.p(`${name}.bias`)) as Tensor2D;
}

/** LayerNorm `name` applied to a + b (every LayerNorm of the model follows a sum). */
export function addLayerNorm(model: MassModel, name: string, a: Tensor2D, b: Tensor2D): Tensor2D {
  return fusedAddLayerNorm(a, b, model.p(`${name}.weight`), model.p(`${name}.bias`));
}

/** Exact GELU as XLM's `gelu`: 0.5·x·(1 + erf(x/√2)). */
export function gelu(x: Tensor2D): Tensor2D {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.div(x, Math.SQRT2)), 1));
}

/** TransformerFFN: lin2(act(lin1(x))), then dropout. */
export function ffn(model: MassModel, name: string, x: Tensor2D, opts: ForwardOptions): Tensor2D {
  const h = linear(model, `${name}.lin1`, x);
  const a = model.config.gelu_activation ? gelu(h) : tf.relu(h);
  return drop(linear(model, `${name}.lin2`, a), model.config.dropout, opts);
}

/** Keys already transposed for the score product, and values: (bs, heads, dh, klen) and (bs, heads, klen, dh). */
export interface KeysValues {
  kT: Tensor4D;
  v: Tensor4D;
}

/** Projects keys and values of `x` (bs·len rows). */
export function projectKeysValues(model: MassModel, kName: string, vName: string, x: Tensor2D, bs: number, len: number): KeysValues {
  const h = model.config.n_heads;
  const dh = model.config.emb_dim / h;
  const k = tf.reshape(linear(model, kName, x), [bs, len, h, dh]);
  const v = tf.reshape(linear(model, vName, x), [bs, len, h, dh]);
  return { kT: tf.transpose(k, [0, 2, 3, 1]) as Tensor4D, v: tf.transpose(v, [0, 2, 1, 3]) as Tensor4D };
}

/**
 * Attention of `xq` (bs·qlen rows) over `kv`, as MultiHeadAttention.forward: q scaled by 1/√dh before
 * the product, additive mask bias (0 or a large negative) broadcast over (bs, heads, qlen, klen),
 * softmax, attention dropout, out projection. No bias: every key is visible.
 */
export function attend(
  model: MassModel,
  qName: string,
  outName: string,
  xq: Tensor2D,
  bs: number,
  qlen: number,
  kv: KeysValues,
  bias: Tensor | undefined,
  opts: ForwardOptions,
): Tensor2D {
  const h = model.config.n_heads;
  const d = model.config.emb_dim;
  const dh = d / h;
  const q = tf.div(tf.transpose(tf.reshape(linear(model, qName, xq), [bs, qlen, h, dh]), [0, 2, 1, 3]), Math.sqrt(dh));
  const raw = tf.matMul(q, kv.kT);
  const scores = bias ? tf.add(raw, bias) : raw;
  const weights = drop(tf.softmax(scores), model.config.attention_dropout, opts);
  const context = tf.reshape(tf.transpose(tf.matMul(weights, kv.v), [0, 2, 1, 3]), [bs * qlen, d]) as Tensor2D;
  return linear(model, outName, context);
}
