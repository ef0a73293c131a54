/**
 * The pure loops of the inference kernels (decodeKernels.ts registers them): attention of one, two or
 * three query heads over keys at arbitrary offsets, a group of queries sharing keys, softmax, LayerNorm
 * and GELU of a row. Plain arrays in, plain arrays out (no tensors), arithmetic in float64; measured:
 * the hand-unrolled fours, pairs and triples are 2–3x faster than the plain loops in V8.
 *
 * MUST CHANGE TOGETHER: attendHead, attendPair, attendTriple and softmaxInPlace take every sum in the
 * same order (scores four keys at a time, Math.max over fours then one at a time, exponentials summed
 * in order, each weight times 1/sum, values accumulated four at a time), so a query gives the same
 * context to the bit whichever of them attendGroup picks for it (test/unit/generate/attentionLoops.test.ts
 * checks this, and each against a naive attention).
 */
import type { HostArray } from '../backend/hostKernels.js';
import { LAYER_NORM_EPS } from '../model/config.js';

/** A reusable Float64Array of at least n values (kernels run one at a time). */
const scratchPool: Float64Array[] = [];
export function scratch(slot: number, n: number): Float64Array {
  let a = scratchPool[slot];
  if (!a || a.length < n) a = scratchPool[slot] = new Float64Array(Math.max(n, 2 * (a?.length ?? 0)));
  return a;
}

/** A reusable Int32Array of at least n values. */
let offsetPool = new Int32Array(64);
export function offsets(n: number): Int32Array {
  if (offsetPool.length < n) offsetPool = new Int32Array(Math.max(n, 2 * offsetPool.length));
  return offsetPool;
}

/** offs[j] = start + j·stride for j < n: keys laid out at a fixed stride. */
export function stridedOffsets(start: number, stride: number, n: number): Int32Array {
  const offs = offsets(n);
  for (let j = 0; j < n; j++) offs[j] = start + j * stride;
  return offs;
}

/**
 * LayerNorm of row `x[0 .. d)` (already summed) into out[oo ..), with weights w, b, given the row's
 * float64 sums s = Σx and s2 = Σx² (taken in order while the row is filled: one pass fewer). Mean and
 * variance from those (E[x²] - mean²: exact enough in float64 for activations).
 */
export function layerNormRow(x: Float64Array, s: number, s2: number, out: HostArray, oo: number, d: number, w: HostArray, b: HostArray): void {
  const mean = s / d;
  const inv = 1 / Math.sqrt(Math.max(0, s2 / d - mean * mean) + LAYER_NORM_EPS);
  for (let j = 0; j < d; j++) out[oo + j] = (x[j] - mean) * inv * w[j] + b[j];
}

// GELU 0.5·x·(1 + erf(x/√2)) with erf by Abramowitz & Stegun 7.1.28: 1 - erf(a) = 1/p(a)^16 for
// a >= 0 (|error| <= 3e-7; tfjs's erf, 7.1.26, is within 1.5e-7 but needs an exp: 3x slower here).
// PyTorch uses the exact erf; both approximations agree with it to float32 precision.
const B1 = 0.0705230784;
const B2 = 0.0422820123;
const B3 = 0.0092705272;
const B4 = 0.0001520143;
const B5 = 0.0002765672;
const B6 = 0.0000430638;
export function geluInto(x: HostArray, out: HostArray): void {
  for (let i = 0; i < x.length; i++) {
    const u = x[i];
    const a = Math.abs(u) * Math.SQRT1_2;
    let p = 1 + a * (B1 + a * (B2 + a * (B3 + a * (B4 + a * (B5 + a * B6)))));
    p *= p;
    p *= p;
    p *= p;
    p *= p;
    // 0.5·(1 - erf(|u|/√2)); for u < 0, 0.5·(1 + erf(u/√2)) is the same tail. The factor, 1 - tail
    // for u > 0 and tail otherwise, without a branch (the sign is unpredictable): with pos = 1 it is
    // 1 - tail·1, with pos = 0 it is 0 - tail·(-1), both exactly what the branches compute.
    const tail = 0.5 / p;
    const pos = +(u > 0);
    out[i] = u * (pos - tail * (2 * pos - 1));
  }
}

/**
 * Scaled dot-product attention of one query head q[qo .. qo+dh) (already scaled) over n keys stored at
 * `offs[j] + hOff` with values `vShift` further: writes the context into out[oo .. oo+dh). Four keys
 * per pass (one load of q feeds four independent sums; 2-3x faster than one key at a time in V8).
 */
export function attendHead(
  q: Float64Array,
  qo: number,
  mem: HostArray,
  offs: Int32Array,
  hOff: number,
  vShift: number,
  n: number,
  dh: number,
  out: HostArray,
  oo: number,
): void {
  const w = scratch(0, n);
  const acc = scratch(1, dh);
  let m = -Infinity;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const o0 = offs[j] + hOff;
    const o1 = offs[j + 1] + hOff;
    const o2 = offs[j + 2] + hOff;
    const o3 = offs[j + 3] + hOff;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < dh; t++) {
      const qt = q[qo + t];
      s0 += qt * mem[o0 + t];
      s1 += qt * mem[o1 + t];
      s2 += qt * mem[o2 + t];
      s3 += qt * mem[o3 + t];
    }
    w[j] = s0;
    w[j + 1] = s1;
    w[j + 2] = s2;
    w[j + 3] = s3;
    m = Math.max(m, s0, s1, s2, s3);
  }
  for (; j < n; j++) {
    const o = offs[j] + hOff;
    let s = 0;
    for (let t = 0; t < dh; t++) s += q[qo + t] * mem[o + t];
    w[j] = s;
    if (s > m) m = s;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(w[i] - m);
    w[i] = e;
    sum += e;
  }
  const inv = 1 / sum;
  acc.fill(0, 0, dh);
  const vOff = hOff + vShift;
  j = 0;
  for (; j + 3 < n; j += 4) {
    const o0 = offs[j] + vOff;
    const o1 = offs[j + 1] + vOff;
    const o2 = offs[j + 2] + vOff;
    const o3 = offs[j + 3] + vOff;
    const w0 = w[j] * inv;
    const w1 = w[j + 1] * inv;
    const w2 = w[j + 2] * inv;
    const w3 = w[j + 3] * inv;
    for (let t = 0; t < dh; t++) acc[t] += w0 * mem[o0 + t] + w1 * mem[o1 + t] + w2 * mem[o2 + t] + w3 * mem[o3 + t];
  }
  for (; j < n; j++) {
    const o = offs[j] + vOff;
    const wj = w[j] * inv;
    for (let t = 0; t < dh; t++) acc[t] += wj * mem[o + t];
  }
  for (let t = 0; t < dh; t++) out[oo + t] = acc[t];
}

/** The query of one head, scaled by 1/√dh as XLM does before the product (rounded to float32 as there). */
export function scaledQuery(src: HostArray, off: number, dh: number, scale: number): Float64Array {
  const q = scratch(2, dh);
  for (let t = 0; t < dh; t++) q[t] = Math.fround(src[off + t] * scale);
  return q;
}

/**
 * softmax of w[wo .. wo+n) in place, with the arithmetic of {@link attendHead}: the same maximum
 * (Math.max over fours, then one at a time), exponentials summed in order, each times 1/sum.
 */
export function softmaxInPlace(w: Float64Array, wo: number, n: number): void {
  let m = -Infinity;
  let j = 0;
  for (; j + 3 < n; j += 4) m = Math.max(m, w[wo + j], w[wo + j + 1], w[wo + j + 2], w[wo + j + 3]);
  for (; j < n; j++) if (w[wo + j] > m) m = w[wo + j];
  let sum = 0;
  for (let i = wo; i < wo + n; i++) {
    const e = Math.exp(w[i] - m);
    w[i] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let i = wo; i < wo + n; i++) w[i] *= inv;
}

/**
 * {@link attendHead} for two queries over the same keys (q[qa ..), q[qb ..) into out[oa ..),
 * out[ob ..)): each key and value is loaded once for both. Every sum is taken in the same order as
 * attendHead's, so the results are the same to the bit.
 */
export function attendPair(
  q: Float64Array,
  qa: number,
  qb: number,
  mem: HostArray,
  offs: Int32Array,
  hOff: number,
  vShift: number,
  n: number,
  dh: number,
  out: HostArray,
  oa: number,
  ob: number,
): void {
  const w = scratch(5, 2 * n);
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const o0 = offs[j] + hOff;
    const o1 = offs[j + 1] + hOff;
    const o2 = offs[j + 2] + hOff;
    const o3 = offs[j + 3] + hOff;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    for (let t = 0; t < dh; t++) {
      const x = q[qa + t];
      const y = q[qb + t];
      const k0 = mem[o0 + t];
      const k1 = mem[o1 + t];
      const k2 = mem[o2 + t];
      const k3 = mem[o3 + t];
      a0 += x * k0;
      a1 += x * k1;
      a2 += x * k2;
      a3 += x * k3;
      b0 += y * k0;
      b1 += y * k1;
      b2 += y * k2;
      b3 += y * k3;
    }
    w[j] = a0;
    w[j + 1] = a1;
    w[j + 2] = a2;
    w[j + 3] = a3;
    w[n + j] = b0;
    w[n + j + 1] = b1;
    w[n + j + 2] = b2;
    w[n + j + 3] = b3;
  }
  for (; j < n; j++) {
    const o = offs[j] + hOff;
    let a = 0;
    let b = 0;
    for (let t = 0; t < dh; t++) {
      const k = mem[o + t];
      a += q[qa + t] * k;
      b += q[qb + t] * k;
    }
    w[j] = a;
    w[n + j] = b;
  }
  softmaxInPlace(w, 0, n);
  softmaxInPlace(w, n, n);
  const acc = scratch(6, 2 * dh);
  acc.fill(0, 0, 2 * dh);
  const vOff = hOff + vShift;
  j = 0;
  for (; j + 3 < n; j += 4) {
    const o0 = offs[j] + vOff;
    const o1 = offs[j + 1] + vOff;
    const o2 = offs[j + 2] + vOff;
    const o3 = offs[j + 3] + vOff;
    const a0 = w[j];
    const a1 = w[j + 1];
    const a2 = w[j + 2];
    const a3 = w[j + 3];
    const b0 = w[n + j];
    const b1 = w[n + j + 1];
    const b2 = w[n + j + 2];
    const b3 = w[n + j + 3];
    for (let t = 0; t < dh; t++) {
      const v0 = mem[o0 + t];
      const v1 = mem[o1 + t];
      const v2 = mem[o2 + t];
      const v3 = mem[o3 + t];
      acc[t] += a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3;
      acc[dh + t] += b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3;
    }
  }
  for (; j < n; j++) {
    const o = offs[j] + vOff;
    const a = w[j];
    const b = w[n + j];
    for (let t = 0; t < dh; t++) {
      const v = mem[o + t];
      acc[t] += a * v;
      acc[dh + t] += b * v;
    }
  }
  for (let t = 0; t < dh; t++) {
    out[oa + t] = acc[t];
    out[ob + t] = acc[dh + t];
  }
}

/** {@link attendPair} for three queries. */
export function attendTriple(
  q: Float64Array,
  qa: number,
  qb: number,
  qc: number,
  mem: HostArray,
  offs: Int32Array,
  hOff: number,
  vShift: number,
  n: number,
  dh: number,
  out: HostArray,
  oa: number,
  ob: number,
  oc: number,
): void {
  const w = scratch(5, 3 * n);
  const n2 = 2 * n;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const o0 = offs[j] + hOff;
    const o1 = offs[j + 1] + hOff;
    const o2 = offs[j + 2] + hOff;
    const o3 = offs[j + 3] + hOff;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    let c0 = 0;
    let c1 = 0;
    let c2 = 0;
    let c3 = 0;
    for (let t = 0; t < dh; t++) {
      const x = q[qa + t];
      const y = q[qb + t];
      const z = q[qc + t];
      const k0 = mem[o0 + t];
      const k1 = mem[o1 + t];
      const k2 = mem[o2 + t];
      const k3 = mem[o3 + t];
      a0 += x * k0;
      a1 += x * k1;
      a2 += x * k2;
      a3 += x * k3;
      b0 += y * k0;
      b1 += y * k1;
      b2 += y * k2;
      b3 += y * k3;
      c0 += z * k0;
      c1 += z * k1;
      c2 += z * k2;
      c3 += z * k3;
    }
    w[j] = a0;
    w[j + 1] = a1;
    w[j + 2] = a2;
    w[j + 3] = a3;
    w[n + j] = b0;
    w[n + j + 1] = b1;
    w[n + j + 2] = b2;
    w[n + j + 3] = b3;
    w[n2 + j] = c0;
    w[n2 + j + 1] = c1;
    w[n2 + j + 2] = c2;
    w[n2 + j + 3] = c3;
  }
  for (; j < n; j++) {
    const o = offs[j] + hOff;
    let a = 0;
    let b = 0;
    let c = 0;
    for (let t = 0; t < dh; t++) {
      const k = mem[o + t];
      a += q[qa + t] * k;
      b += q[qb + t] * k;
      c += q[qc + t] * k;
    }
    w[j] = a;
    w[n + j] = b;
    w[n2 + j] = c;
  }
  softmaxInPlace(w, 0, n);
  softmaxInPlace(w, n, n);
  softmaxInPlace(w, n2, n);
  const acc = scratch(6, 3 * dh);
  acc.fill(0, 0, 3 * dh);
  const dh2 = 2 * dh;
  const vOff = hOff + vShift;
  j = 0;
  for (; j + 3 < n; j += 4) {
    const o0 = offs[j] + vOff;
    const o1 = offs[j + 1] + vOff;
    const o2 = offs[j + 2] + vOff;
    const o3 = offs[j + 3] + vOff;
    const a0 = w[j];
    const a1 = w[j + 1];
    const a2 = w[j + 2];
    const a3 = w[j + 3];
    const b0 = w[n + j];
    const b1 = w[n + j + 1];
    const b2 = w[n + j + 2];
    const b3 = w[n + j + 3];
    const c0 = w[n2 + j];
    const c1 = w[n2 + j + 1];
    const c2 = w[n2 + j + 2];
    const c3 = w[n2 + j + 3];
    for (let t = 0; t < dh; t++) {
      const v0 = mem[o0 + t];
      const v1 = mem[o1 + t];
      const v2 = mem[o2 + t];
      const v3 = mem[o3 + t];
      acc[t] += a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3;
      acc[dh + t] += b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3;
      acc[dh2 + t] += c0 * v0 + c1 * v1 + c2 * v2 + c3 * v3;
    }
  }
  for (; j < n; j++) {
    const o = offs[j] + vOff;
    const a = w[j];
    const b = w[n + j];
    const c = w[n2 + j];
    for (let t = 0; t < dh; t++) {
      const v = mem[o + t];
      acc[t] += a * v;
      acc[dh + t] += b * v;
      acc[dh2 + t] += c * v;
    }
  }
  for (let t = 0; t < dh; t++) {
    out[oa + t] = acc[t];
    out[ob + t] = acc[dh + t];
    out[oc + t] = acc[dh2 + t];
  }
}

/**
 * Attention of g queries that share their keys (the beams of one sentence over its encoder output;
 * the positions of one source sentence over each other): q holds the g rows' scaled queries, row i
 * at i·d, and row i's context goes to out at (outRow + i)·d; head h at + h·dh in both. Threes and
 * twos share their key and value loads (see attendPair).
 */
export function attendGroup(
  q: Float64Array,
  g: number,
  d: number,
  heads: number,
  mem: HostArray,
  offs: Int32Array,
  vShift: number,
  n: number,
  out: HostArray,
  outRow: number,
): void {
  const dh = d / heads;
  for (let h = 0; h < heads; h++) {
    const ho = h * dh;
    for (let i = 0; i < g;) {
      const left = g - i;
      const oi = (outRow + i) * d + ho;
      if (left >= 3 && left !== 4) {
        attendTriple(q, i * d + ho, (i + 1) * d + ho, (i + 2) * d + ho, mem, offs, ho, vShift, n, dh, out, oi, oi + d, oi + 2 * d);
        i += 3;
      } else if (left >= 2) {
        attendPair(q, i * d + ho, (i + 1) * d + ho, mem, offs, ho, vShift, n, dh, out, oi, oi + d);
        i += 2;
      } else {
        attendHead(q, i * d + ho, mem, offs, ho, vShift, n, dh, out, oi);
        i++;
      }
    }
  }
}

/** Rows [r0, r1) of src (row stride `stride`, queries at + off), scaled as {@link scaledQuery} does. */
export function scaledQueries(src: HostArray, r0: number, r1: number, stride: number, off: number, d: number, scale: number): Float64Array {
  const q = scratch(4, (r1 - r0) * d);
  for (let r = r0; r < r1; r++) {
    const o = r * stride + off;
    const qo = (r - r0) * d;
    for (let t = 0; t < d; t++) q[qo + t] = Math.fround(src[o + t] * scale);
  }
  return q;
}
