/**
 * Fused kernels for the Transformer's memory-bound steps, as host kernels (wasm and cpu). Each is one
 * pass over its data where tfjs would run 3–10 kernels, each allocating a full-size intermediate.
 * Arithmetic is in float64 and rounded once, so results match the composite ops within float32
 * rounding. The ops that use them (engine/model/fusedOps.ts) fall back to composite tfjs ops on
 * backends without host kernels.
 */
import { registerHostKernel, type HostArray } from './hostKernels.js';

export const COLUMN_SUM = 'MassColumnSum';
export const LAYER_NORM = 'MassLayerNorm';
export const LAYER_NORM_GRAD = 'MassLayerNormGrad';
export const XENT_FROM_PROBS = 'MassXentFromProbs';
export const XENT_GRAD = 'MassXentGrad';

/** out[j] = Σ_i x[i, j] for x (rows, cols). */
function columnSum(x: HostArray, out: HostArray, rows: number, cols: number): void {
  out.fill(0);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) out[j] += x[r + j];
  }
}

export function registerFusedKernels(): void {
  registerHostKernel({
    name: COLUMN_SUM,
    inputNames: ['x'],
    outputs: ([x]) => [{ shape: [x.shape[1]], dtype: 'float32' }],
    run: ([x], [out], [xi]) => columnSum(x, out, xi.shape[0], xi.shape[1]),
  });

  // y = LayerNorm(a + b) over the last axis; also returns x̂ and 1/σ per row for the gradient.
  registerHostKernel({
    name: LAYER_NORM,
    inputNames: ['a', 'b', 'gamma', 'beta'],
    outputs: ([a]) => [
      { shape: a.shape, dtype: 'float32' },
      { shape: a.shape, dtype: 'float32' },
      { shape: [a.shape[0]], dtype: 'float32' },
    ],
    run: ([a, b, gamma, beta], [y, xhat, rstd], [ai], attrs) => {
      const [rows, d] = ai.shape;
      const eps = attrs.eps as number;
      for (let i = 0; i < rows; i++) {
        const r = i * d;
        let mean = 0;
        for (let j = 0; j < d; j++) {
          const v = Math.fround(a[r + j] + b[r + j]);
          xhat[r + j] = v;
          mean += v;
        }
        mean /= d;
        let variance = 0;
        for (let j = 0; j < d; j++) {
          const c = xhat[r + j] - mean;
          variance += c * c;
        }
        const inv = 1 / Math.sqrt(variance / d + eps);
        rstd[i] = inv;
        for (let j = 0; j < d; j++) {
          const h = (xhat[r + j] - mean) * inv;
          xhat[r + j] = h;
          y[r + j] = h * gamma[j] + beta[j];
        }
      }
    },
  });

  // dx = rstd·(dŷ − mean(dŷ) − x̂·mean(dŷ·x̂)) with dŷ = dy·γ; dγ = Σ dy·x̂; dβ = Σ dy.
  registerHostKernel({
    name: LAYER_NORM_GRAD,
    inputNames: ['dy', 'xhat', 'rstd', 'gamma'],
    outputs: ([dy]) => [
      { shape: dy.shape, dtype: 'float32' },
      { shape: [dy.shape[1]], dtype: 'float32' },
      { shape: [dy.shape[1]], dtype: 'float32' },
    ],
    run: ([dy, xhat, rstd, gamma], [dx, dgamma, dbeta], [dyi]) => {
      const [rows, d] = dyi.shape;
      const dg = new Float64Array(d);
      const db = new Float64Array(d);
      for (let i = 0; i < rows; i++) {
        const r = i * d;
        let s1 = 0;
        let s2 = 0;
        for (let j = 0; j < d; j++) {
          const g = dy[r + j];
          const h = xhat[r + j];
          dg[j] += g * h;
          db[j] += g;
          const gh = g * gamma[j];
          s1 += gh;
          s2 += gh * h;
        }
        s1 /= d;
        s2 /= d;
        const inv = rstd[i];
        for (let j = 0; j < d; j++) dx[r + j] = inv * (dy[r + j] * gamma[j] - s1 - xhat[r + j] * s2);
      }
      dgamma.set(dg);
      dbeta.set(db);
    },
  });

  // Per-row cross-entropy from logits x and p = softmax(x): lse = max(x) − log(max(p)), since
  // max(p) = 1/Σexp(x − max x); loss_r = lse − x[target]. Avoids a second exp over the vocabulary.
  registerHostKernel({
    name: XENT_FROM_PROBS,
    inputNames: ['logits', 'probs', 'targets'],
    outputs: ([l]) => [{ shape: [l.shape[0]], dtype: 'float32' }],
    run: ([x, p, targets], [loss], [li]) => {
      const [rows, v] = li.shape;
      for (let i = 0; i < rows; i++) {
        const r = i * v;
        let mx = -Infinity;
        let pm = 0;
        for (let j = 0; j < v; j++) {
          if (x[r + j] > mx) mx = x[r + j];
          if (p[r + j] > pm) pm = p[r + j];
        }
        loss[i] = mx - Math.log(pm) - x[r + targets[i]];
      }
    },
  });

  // (p − onehot(target))·scale.
  registerHostKernel({
    name: XENT_GRAD,
    inputNames: ['probs', 'targets', 'scale'],
    outputs: ([p]) => [{ shape: p.shape, dtype: 'float32' }],
    run: ([p, targets, scale], [g], [pi]) => {
      const [rows, v] = pi.shape;
      const s = scale[0];
      for (let i = 0; i < p.length; i++) g[i] = p[i] * s;
      for (let i = 0; i < rows; i++) g[i * v + targets[i]] -= s;
    },
  });
}
