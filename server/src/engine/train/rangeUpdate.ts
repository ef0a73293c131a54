/**
 * The host-side halves of a ParallelTrainer update, on a range of elements of the flat shared buffers
 * (laid out by ParamSlot), so the workers can split them: summing the workers' gradients with the
 * norms' sums of squares, then Adam. The arithmetic is Trainer's (one worker gives its exact results).
 */
import { adamKernel } from './adamInverseSqrt.js';
import type { ParamSlot } from './gradientWorkerProtocol.js';

/** Index of the first worker whose gradient for `slot` is present (its buffer receives the sum), or -1. */
export function gradientSource(present: readonly (Uint8Array | null)[], slot: number): number {
  return present.findIndex((p) => p !== null && p[slot] === 1);
}

/** Calls fn(slot index, lo, hi) for the part [lo, hi) of each slot inside [from, to). */
function eachSlotIn(slots: readonly ParamSlot[], from: number, to: number, fn: (k: number, lo: number, hi: number) => void): void {
  for (let k = 0; k < slots.length; k++) {
    const lo = Math.max(from, slots[k].offset);
    const hi = Math.min(to, slots[k].offset + slots[k].size);
    if (lo < hi) fn(k, lo, hi);
  }
}

/**
 * Elements [from, to): the update's gradient Σ_w weights[w]·grads[w] over the workers whose gradient
 * for the slot is present, rounded to float32 and stored in the first such worker's buffer; slotSq[k]
 * gets the sum of squares of the stored values of slot k in the range.
 */
export function reduceRange(
  slots: readonly ParamSlot[],
  grads: readonly Float32Array[],
  present: readonly (Uint8Array | null)[],
  weights: readonly number[],
  from: number,
  to: number,
  slotSq: Float64Array,
): void {
  eachSlotIn(slots, from, to, (k, lo, hi) => {
    const src: Float32Array[] = [];
    const w: number[] = [];
    present.forEach((p, i) => {
      if (p !== null && p[k] === 1) {
        src.push(grads[i]);
        w.push(weights[i]);
      }
    });
    if (src.length === 0) return;
    const acc = src[0];
    const w0 = w[0];
    let s = 0;
    if (src.length === 1 && w0 === 1) {
      for (let j = lo; j < hi; j++) s += acc[j] * acc[j];
    } else if (src.length === 1) {
      for (let j = lo; j < hi; j++) {
        const x = Math.fround(w0 * acc[j]);
        acc[j] = x;
        s += x * x;
      }
    } else if (src.length === 2) {
      const b = src[1];
      const w1 = w[1];
      for (let j = lo; j < hi; j++) {
        const x = Math.fround(w0 * acc[j] + w1 * b[j]);
        acc[j] = x;
        s += x * x;
      }
    } else {
      for (let j = lo; j < hi; j++) {
        let x = w0 * acc[j];
        for (let o = 1; o < src.length; o++) x += w[o] * src[o][j];
        const y = Math.fround(x);
        acc[j] = y;
        s += y * y;
      }
    }
    slotSq[k] = s;
  });
}

/** Elements [from, to): Adam for each slot with a step size (NaN: left alone), in place. */
export function adamRange(
  slots: readonly ParamSlot[],
  params: Float32Array,
  grads: readonly Float32Array[],
  m: Float32Array,
  v: Float32Array,
  from: number,
  to: number,
  u: { stepSizes: Float64Array; scales: Float64Array; sources: Int32Array; beta1: number; beta2: number; eps: number },
): void {
  eachSlotIn(slots, from, to, (k, lo, hi) => {
    if (Number.isNaN(u.stepSizes[k])) return;
    const g = u.sources[k] >= 0 ? grads[u.sources[k]] : undefined;
    adamKernel(params, g, m, v, lo, hi, u.stepSizes[k], u.scales[k], u);
  });
}

/** Cuts [0, total) into n ranges of (nearly) equal length. */
export function splitRange(total: number, n: number): [number, number][] {
  return Array.from({ length: n }, (_, i) => [Math.floor((total * i) / n), Math.floor((total * (i + 1)) / n)]);
}
