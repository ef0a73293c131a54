/**
 * Ops of the model that run as one fused host kernel where the backend has one (wasm, cpu) and as
 * composite tfjs ops elsewhere (tfjs-node), with hand-written gradients.
 */
import { tf, type Scalar, type Tensor, type Tensor1D, type Tensor2D } from '../backend/tf.js';
import { COLUMN_SUM, LAYER_NORM, LAYER_NORM_GRAD, XENT_FROM_PROBS, XENT_GRAD } from '../backend/fusedKernels.js';
import { hasHostKernel } from '../backend/hostKernels.js';
import { LAYER_NORM_EPS } from './config.js';

function run(name: string, inputs: Record<string, Tensor>, attrs: Record<string, number> = {}): Tensor[] {
  const out = tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs);
  return Array.isArray(out) ? out : [out];
}

/**
 * Rows `ids` of `table` (rows, d). The gradient is a plain segment sum into the table (tfjs's own
 * gather gradient adds two identity transposes, i.e. copies of the whole table).
 */
export function gatherRowsOf(table: Tensor2D, ids: Int32Array): Tensor2D {
  const f = tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
    const t = args[0] as Tensor2D;
    const idx = tf.tensor1d(ids, 'int32');
    return {
      value: tf.gather(t, idx),
      gradFunc: (dy: Tensor) => tf.unsortedSegmentSum(dy, tf.tensor1d(ids, 'int32'), t.shape[0]),
    };
  });
  return f(table) as Tensor2D;
}

/** Σ over the rows of x (n, d). */
export function columnSums(x: Tensor2D): Tensor1D {
  if (hasHostKernel(COLUMN_SUM)) return run(COLUMN_SUM, { x })[0] as Tensor1D;
  return tf.sum(x, 0);
}

function compositeLayerNorm(x: Tensor2D, gamma: Tensor, beta: Tensor): Tensor2D {
  const mean = tf.mean(x, -1, true);
  const xc = tf.sub(x, mean);
  const variance = tf.mean(tf.square(xc), -1, true);
  return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, LAYER_NORM_EPS))), gamma), beta);
}

const fusedAddLayerNorm = tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, gamma, beta] = args as Tensor[];
  const save = args[4] as tf.GradSaveFunc;
  const [y, xhat, rstd] = run(LAYER_NORM, { a, b, gamma, beta }, { eps: LAYER_NORM_EPS });
  save([xhat, rstd, gamma]);
  return {
    value: y,
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [dx, dgamma, dbeta] = run(LAYER_NORM_GRAD, { dy, xhat: saved[0], rstd: saved[1], gamma: saved[2] });
      return [dx, dx, dgamma, dbeta];
    },
  };
});

/** torch.nn.LayerNorm(a + b) over the last axis (biased variance, eps inside the square root). */
export function addLayerNorm(a: Tensor2D, b: Tensor2D, gamma: Tensor, beta: Tensor): Tensor2D {
  if (hasHostKernel(LAYER_NORM)) return fusedAddLayerNorm(a, b, gamma, beta) as Tensor2D;
  return compositeLayerNorm(tf.add(a, b), gamma, beta);
}

/**
 * Mean cross-entropy of `logits` (rows, n_words) against `targets` (torch F.cross_entropy, mean
 * reduction, no smoothing). The gradient (softmax − onehot)/rows is written out, not derived through
 * log-softmax; the softmax is computed once and reused by the gradient.
 */
export function crossEntropy(logits: Tensor2D, targets: Int32Array): Scalar {
  const [rows, vocab] = logits.shape;
  if (targets.length !== rows) throw new Error(`crossEntropy: ${targets.length} targets for ${rows} rows`);
  for (const t of targets) if (t < 0 || t >= vocab) throw new Error(`crossEntropy: target ${t} outside the ${vocab}-word vocabulary`);
  const fused = hasHostKernel(XENT_FROM_PROBS);
  const f = tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as Tensor2D;
    const save = args[1] as tf.GradSaveFunc;
    const t = tf.tensor1d(targets, 'int32');
    const probs = tf.softmax(x);
    save([probs, t]);
    let value: Tensor;
    if (fused) {
      value = tf.mean(run(XENT_FROM_PROBS, { logits: x, probs, targets: t })[0]);
    } else {
      // row r's target in the flattened logits, computed on the host (int32: a gather index)
      const flat = tf.tensor1d(
        Int32Array.from(targets, (w, r) => r * vocab + w),
        'int32',
      );
      value = tf.mean(tf.sub(tf.logSumExp(x, 1), tf.gather(tf.reshape(x, [-1]), flat)));
    }
    return {
      value,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [p, tg] = saved;
        const scale = tf.div(dy, rows);
        if (fused) return run(XENT_GRAD, { probs: p, targets: tg, scale })[0];
        return tf.mul(tf.sub(p, tf.oneHot(tg, vocab, 1, 0, 'float32')), scale);
      },
    };
  });
  return f(logits) as Scalar;
}
