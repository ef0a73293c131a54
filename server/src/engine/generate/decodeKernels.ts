/**
 * Host kernels for inference (wasm and cpu backends): everything between the matrix products of an
 * encoder pass and of one incremental decoder step, each as a single pass where the composite tfjs ops
 * of encoder.ts/decoder.ts run 5–15 kernels with reshapes, transposes and concatenations. Arithmetic
 * is in float64, rounded once when stored.
 *
 * The self-attention kernel writes the new key/value rows into its `cache` input in place: the cache
 * tensors belong to one {@link SelfKvCache} of one FastDecoder, are never shared, and are only read by
 * these kernels. Reordering beams rewrites the cache's small table of slots, never the keys and values.
 */
import { tf, type Tensor, type Tensor2D, type Tensor3D } from '../backend/tf.js';
import { hasHostKernel, registerHostKernel, type HostArray } from '../backend/hostKernels.js';
import { LAYER_NORM_EPS } from '../model/config.js';

const EMBED = 'MassDecodeEmbed';
const ADD_LAYER_NORM = 'MassDecodeAddLayerNorm';
const GELU = 'MassDecodeGelu';
const SELF_ATTEND = 'MassDecodeSelfAttend';
const CROSS_ATTEND = 'MassDecodeCrossAttend';
const ENCODER_ATTEND = 'MassDecodeEncoderAttend';
const ROW_LSE = 'MassDecodeRowLogSumExp';
const ALLOC = 'MassDecodeAlloc';
const GROW_CACHE = 'MassDecodeGrowCache';

/** A reusable Float64Array of at least n values (kernels run one at a time). */
const scratchPool: Float64Array[] = [];
function scratch(slot: number, n: number): Float64Array {
  let a = scratchPool[slot];
  if (!a || a.length < n) a = scratchPool[slot] = new Float64Array(Math.max(n, 2 * (a?.length ?? 0)));
  return a;
}

/** A reusable Int32Array of at least n values. */
let offsetPool = new Int32Array(64);
function offsets(n: number): Int32Array {
  if (offsetPool.length < n) offsetPool = new Int32Array(Math.max(n, 2 * offsetPool.length));
  return offsetPool;
}

/** offs[j] = start + j·stride for j < n: keys laid out at a fixed stride. */
function stridedOffsets(start: number, stride: number, n: number): Int32Array {
  const offs = offsets(n);
  for (let j = 0; j < n; j++) offs[j] = start + j * stride;
  return offs;
}

/**
 * LayerNorm of row `x[0 .. d)` (already summed) into out[oo ..), with weights w, b, given the row's
 * float64 sums s = Σx and s2 = Σx² (taken in order while the row is filled: one pass fewer). Mean and
 * variance from those (E[x²] - mean²: exact enough in float64 for activations).
 */
function layerNormRow(x: Float64Array, s: number, s2: number, out: HostArray, oo: number, d: number, w: HostArray, b: HostArray): void {
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
function geluInto(x: HostArray, out: HostArray): void {
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
function attendHead(q: Float64Array, qo: number, mem: HostArray, offs: Int32Array, hOff: number, vShift: number, n: number, dh: number, out: HostArray, oo: number): void {
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
function scaledQuery(src: HostArray, off: number, dh: number, scale: number): Float64Array {
  const q = scratch(2, dh);
  for (let t = 0; t < dh; t++) q[t] = Math.fround(src[off + t] * scale);
  return q;
}

/**
 * softmax of w[wo .. wo+n) in place, with the arithmetic of {@link attendHead}: the same maximum
 * (Math.max over fours, then one at a time), exponentials summed in order, each times 1/sum.
 */
function softmaxInPlace(w: Float64Array, wo: number, n: number): void {
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
function attendPair(q: Float64Array, qa: number, qb: number, mem: HostArray, offs: Int32Array, hOff: number, vShift: number, n: number, dh: number, out: HostArray, oa: number, ob: number): void {
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
function attendTriple(q: Float64Array, qa: number, qb: number, qc: number, mem: HostArray, offs: Int32Array, hOff: number, vShift: number, n: number, dh: number, out: HostArray, oa: number, ob: number, oc: number): void {
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
function attendGroup(q: Float64Array, g: number, d: number, heads: number, mem: HostArray, offs: Int32Array, vShift: number, n: number, out: HostArray, outRow: number): void {
  const dh = d / heads;
  for (let h = 0; h < heads; h++) {
    const ho = h * dh;
    for (let i = 0; i < g; ) {
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
function scaledQueries(src: HostArray, r0: number, r1: number, stride: number, off: number, d: number, scale: number): Float64Array {
  const q = scratch(4, (r1 - r0) * d);
  for (let r = r0; r < r1; r++) {
    const o = r * stride + off;
    const qo = (r - r0) * d;
    for (let t = 0; t < d; t++) q[qo + t] = Math.fround(src[o + t] * scale);
  }
  return q;
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;

  // Token + position + language embeddings, then layer_norm_emb: (rows, d); per-row ids in attrs.
  registerHostKernel({
    name: EMBED,
    inputNames: ['tokEmb', 'posEmb', 'langEmb', 'gamma', 'beta'],
    outputs: ([tok], attrs) => [{ shape: [(attrs.tokens as number[]).length, tok.shape[1]], dtype: 'float32' }],
    run: ([tok, pos, lang, gamma, beta], [out], [ti], attrs) => {
      const d = ti.shape[1];
      const tokens = attrs.tokens as number[];
      const positions = attrs.positions as number[];
      const langs = attrs.langs as number[];
      const useLang = attrs.useLang as boolean;
      const row = scratch(3, d);
      for (let r = 0; r < tokens.length; r++) {
        const to = tokens[r] * d;
        const po = positions[r] * d;
        const lo = langs[r] * d;
        // float32 sums in the reference's order: (token + position) + language
        let s = 0;
        let s2 = 0;
        for (let j = 0; j < d; j++) {
          const tp = Math.fround(tok[to + j] + pos[po + j]);
          const v = useLang ? Math.fround(tp + lang[lo + j]) : tp;
          row[j] = v;
          s += v;
          s2 += v * v;
        }
        layerNormRow(row, s, s2, out, r * d, d, gamma, beta);
      }
    },
  });

  // LayerNorm(x + a): (rows, d).
  registerHostKernel({
    name: ADD_LAYER_NORM,
    inputNames: ['x', 'a', 'gamma', 'beta'],
    outputs: ([x]) => [{ shape: x.shape, dtype: 'float32' }],
    run: ([x, a, gamma, beta], [out], [xi]) => {
      const [rows, d] = xi.shape;
      const row = scratch(3, d);
      for (let r = 0; r < rows; r++) {
        const o = r * d;
        let s = 0;
        let s2 = 0;
        for (let j = 0; j < d; j++) {
          const v = Math.fround(x[o + j] + a[o + j]);
          row[j] = v;
          s += v;
          s2 += v * v;
        }
        layerNormRow(row, s, s2, out, o, d, gamma, beta);
      }
    },
  });

  registerHostKernel({
    name: GELU,
    inputNames: ['x'],
    outputs: ([x]) => [{ shape: x.shape, dtype: 'float32' }],
    run: ([x], [out]) => geluInto(x, out),
  });

  // Self-attention of one new position per row. qkv: (rows, 3d) = [q | k | v]; cache: (capacity,
  // slots, 2d) of one SelfKvCache, attrs.slotOf its slot table. Stores this step's [k | v] of row r in
  // slot r of `position` (in place), then attends over positions 0..position (causal: all of them),
  // each read from the slot that holds row r's ancestor there.
  registerHostKernel({
    name: SELF_ATTEND,
    inputNames: ['qkv', 'cache'],
    outputs: ([qkv]) => [{ shape: [qkv.shape[0], qkv.shape[1] / 3], dtype: 'float32' }],
    run: ([qkv, cache], [out], [qi, ci], attrs) => {
      const rows = qi.shape[0];
      const d = qi.shape[1] / 3;
      const slots = ci.shape[1];
      const slotOf = attrs.slotOf as Int32Array;
      const heads = attrs.heads as number;
      const pos = attrs.position as number;
      const dh = d / heads;
      const scale = 1 / Math.sqrt(dh);
      const w = 2 * d;
      for (let r = 0; r < rows; r++) {
        cache.set(qkv.subarray(r * 3 * d + d, (r + 1) * 3 * d), (pos * slots + r) * w);
        const offs = offsets(pos + 1);
        for (let j = 0; j <= pos; j++) offs[j] = (j * slots + slotOf[j * slots + r]) * w;
        for (let h = 0; h < heads; h++) {
          const q = scaledQuery(qkv, r * 3 * d + h * dh, dh, scale);
          attendHead(q, 0, cache, offs, h * dh, d, pos + 1, dh, out, r * d + h * dh);
        }
      }
    },
  });

  // Cross-attention of one query per row over the encoder's keys/values. q: (rows, d); kv:
  // (sentences, slen, 2d) = [k | v] per source position; row r reads sentence source[r] and only its
  // first lengths[source[r]] positions. Consecutive rows of one sentence (its beams) go together.
  registerHostKernel({
    name: CROSS_ATTEND,
    inputNames: ['q', 'kv'],
    outputs: ([q]) => [{ shape: q.shape, dtype: 'float32' }],
    run: ([qIn, kv], [out], [qi, kvi], attrs) => {
      const [rows, d] = qi.shape;
      const slen = kvi.shape[1];
      const heads = attrs.heads as number;
      const source = attrs.source as number[];
      const lengths = attrs.lengths as number[];
      const dh = d / heads;
      const scale = 1 / Math.sqrt(dh);
      for (let r0 = 0; r0 < rows; ) {
        const s = source[r0];
        let r1 = r0 + 1;
        while (r1 < rows && source[r1] === s) r1++;
        const n = Math.min(lengths[s], slen);
        const offs = stridedOffsets(s * slen * 2 * d, 2 * d, n);
        attendGroup(scaledQueries(qIn, r0, r1, d, 0, d, scale), r1 - r0, d, heads, kv, offs, d, n, out, r0);
        r0 = r1;
      }
    },
  });

  // Encoder self-attention (not causal) of every position of `sentences` rows of `slen` positions:
  // qkv (sentences·slen, 3d) = [q | k | v]; keys at j >= lengths[sentence] are hidden.
  registerHostKernel({
    name: ENCODER_ATTEND,
    inputNames: ['qkv'],
    outputs: ([qkv]) => [{ shape: [qkv.shape[0], qkv.shape[1] / 3], dtype: 'float32' }],
    run: ([qkv], [out], [qi], attrs) => {
      const rows = qi.shape[0];
      const d = qi.shape[1] / 3;
      const heads = attrs.heads as number;
      const slen = attrs.slen as number;
      const lengths = attrs.lengths as number[];
      const dh = d / heads;
      const scale = 1 / Math.sqrt(dh);
      // A sentence's positions share its keys: they go together.
      for (let s = 0; s * slen < rows; s++) {
        const r0 = s * slen;
        const r1 = Math.min(r0 + slen, rows);
        const n = Math.min(lengths[s], slen);
        const offs = stridedOffsets(r0 * 3 * d + d, 3 * d, n);
        attendGroup(scaledQueries(qkv, r0, r1, 3 * d, 0, d, scale), r1 - r0, d, heads, qkv, offs, d, n, out, r0);
      }
    },
  });

  // Per-row log-sum-exp from the logits and their softmax (the backend's vectorised kernel):
  // lse = max(x) - log(max(p)), since max(p) = exp(max(x) - lse). No exp here.
  registerHostKernel({
    name: ROW_LSE,
    inputNames: ['logits', 'probs'],
    outputs: ([x]) => [{ shape: [x.shape[0]], dtype: 'float32' }],
    run: ([x, p], [out], [xi]) => {
      const [rows, n] = xi.shape;
      for (let r = 0; r < rows; r++) {
        const o = r * n;
        const end = o + n;
        // Four running maxima of each (independent compares); max is exact in any order.
        let m0 = -Infinity;
        let m1 = -Infinity;
        let m2 = -Infinity;
        let m3 = -Infinity;
        let p0 = 0;
        let p1 = 0;
        let p2 = 0;
        let p3 = 0;
        let i = o;
        for (; i + 3 < end; i += 4) {
          const x0 = x[i];
          const x1 = x[i + 1];
          const x2 = x[i + 2];
          const x3 = x[i + 3];
          if (x0 > m0) m0 = x0;
          if (x1 > m1) m1 = x1;
          if (x2 > m2) m2 = x2;
          if (x3 > m3) m3 = x3;
          const q0 = p[i];
          const q1 = p[i + 1];
          const q2 = p[i + 2];
          const q3 = p[i + 3];
          if (q0 > p0) p0 = q0;
          if (q1 > p1) p1 = q1;
          if (q2 > p2) p2 = q2;
          if (q3 > p3) p3 = q3;
        }
        for (; i < end; i++) {
          if (x[i] > m0) m0 = x[i];
          if (p[i] > p0) p0 = p[i];
        }
        let mx = Math.max(m0, m1, m2, m3);
        const pm = Math.max(p0, p1, p2, p3);
        if (mx === 0) {
          // ±0: the first maximum in row order decides the sign, as a plain scan does.
          mx = -Infinity;
          for (let j = o; j < end; j++) if (x[j] > mx) mx = x[j];
        }
        out[r] = mx - Math.log(pm);
      }
    },
  });

  // A float32 buffer of attrs.shape whose contents are never read before written (key/value caches).
  registerHostKernel({
    name: ALLOC,
    inputNames: [],
    outputs: (_, attrs) => [{ shape: attrs.shape as number[], dtype: 'float32' }],
    run: () => {},
  });

  // A cache (capacity, slots, w) with attrs.slots slots per position instead, keeping the first
  // attrs.used positions (the new slots are never read before written).
  registerHostKernel({
    name: GROW_CACHE,
    inputNames: ['cache'],
    outputs: ([c], attrs) => [{ shape: [c.shape[0], attrs.slots as number, c.shape[2]], dtype: 'float32' }],
    run: ([cache], [out], [ci], attrs) => {
      const [, old, w] = ci.shape;
      const slots = attrs.slots as number;
      const used = attrs.used as number;
      for (let p = 0; p < used; p++) out.set(cache.subarray(p * old * w, (p + 1) * old * w), p * slots * w);
    },
  });
}

/** Whether the active backend can run these kernels (wasm, cpu). */
export function decodeKernelsAvailable(): boolean {
  register();
  return hasHostKernel(SELF_ATTEND);
}

function run(name: string, inputs: Record<string, Tensor>, attrs: Record<string, unknown>): Tensor {
  register();
  return tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as Tensor;
}

export interface EmbedWeights {
  tokEmb: Tensor2D;
  posEmb: Tensor2D;
  /** Absent when the model has one language (no language embeddings). */
  langEmb?: Tensor2D;
  gamma: Tensor;
  beta: Tensor;
}

/** Embeddings of row r: token tokens[r] at position positions[r] in language langs[r]. */
export function embedRows(w: EmbedWeights, tokens: ArrayLike<number>, positions: ArrayLike<number>, langs: ArrayLike<number>): Tensor2D {
  return run(
    EMBED,
    { tokEmb: w.tokEmb, posEmb: w.posEmb, langEmb: w.langEmb ?? w.posEmb, gamma: w.gamma, beta: w.beta },
    { tokens: Array.from(tokens), positions: Array.from(positions), langs: Array.from(langs), useLang: w.langEmb !== undefined },
  ) as Tensor2D;
}

export function addLayerNormStep(x: Tensor2D, a: Tensor2D, gamma: Tensor, beta: Tensor): Tensor2D {
  return run(ADD_LAYER_NORM, { x, a, gamma, beta }, {}) as Tensor2D;
}

export function geluStep(x: Tensor2D): Tensor2D {
  return run(GELU, { x }, {}) as Tensor2D;
}

/**
 * Writes this step's keys/values into layer `layer` of `cache` at `position` (row r in slot r) and
 * returns the attention context.
 */
export function selfAttendStep(qkv: Tensor2D, cache: SelfKvCache, layer: number, position: number, heads: number): Tensor2D {
  return run(SELF_ATTEND, { qkv, cache: cache.data[layer] }, { slotOf: cache.slotOf, position, heads }) as Tensor2D;
}

export function crossAttendStep(q: Tensor2D, kv: Tensor3D, source: Int32Array, lengths: Int32Array, heads: number): Tensor2D {
  return run(CROSS_ATTEND, { q, kv }, { heads, source: Array.from(source), lengths: Array.from(lengths) }) as Tensor2D;
}

/** Encoder self-attention context of every position; qkv is (sentences·slen, 3d). */
export function encoderAttend(qkv: Tensor2D, slen: number, lengths: Int32Array, heads: number): Tensor2D {
  return run(ENCODER_ATTEND, { qkv }, { heads, slen, lengths: Array.from(lengths) }) as Tensor2D;
}

/** log Σ exp of each row of logits (rows, n_words), by way of the backend's softmax. */
export function rowLogSumExp(logits: Tensor2D): Tensor {
  return run(ROW_LSE, { logits, probs: tf.softmax(logits) }, {});
}

/**
 * The self-attention keys/values of every decoder row, for every layer, as backend tensors.
 * Position-major: position p has `slots` slots of [k | v] (width values each), and the step at p
 * writes row r's into slot r. A row's earlier positions are wherever its ancestors wrote them:
 * slotOf[p·slots + r] is the slot of position p that row r reads. Reordering rows (beam search)
 * composes that table with the new order, so no key or value is ever copied (except once when the
 * rows outgrow the slots).
 */
export class SelfKvCache {
  /** Per layer: (capacity, slots, width). */
  data: Tensor3D[] = [];
  /** (capacity, slots): for position p < fed and row r, the slot holding row r's [k | v] at p. */
  slotOf: Int32Array;

  constructor(
    layers: number,
    private readonly capacity: number,
    width: number,
    /** Slots per position (at least the rows of any step). */
    public slots: number,
  ) {
    this.slotOf = new Int32Array(capacity * slots);
    try {
      for (let i = 0; i < layers; i++) this.data.push(tf.keep(allocate([capacity, slots, width]) as Tensor3D));
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** Before the step at `position`: there row r writes (and later reads) slot r. */
  startStep(rows: number, position: number): void {
    if (rows > this.slots) throw new Error(`SelfKvCache: ${rows} rows for ${this.slots} slots`);
    const o = position * this.slots;
    for (let r = 0; r < rows; r++) this.slotOf[o + r] = r;
  }

  /** Row r of the next step continues row indices[r]; `fed` positions are filled. */
  select(indices: Int32Array, fed: number): void {
    if (indices.length > this.slots) this.grow(indices.length, fed);
    const s = this.slots;
    const row = offsets(indices.length);
    for (let p = 0; p < fed; p++) {
      const o = p * s;
      for (let r = 0; r < indices.length; r++) row[r] = this.slotOf[o + indices[r]];
      this.slotOf.set(row.subarray(0, indices.length), o);
    }
  }

  dispose(): void {
    for (const t of this.data) t.dispose();
    this.data = [];
  }

  /** More slots per position, keeping the first `fed` positions. */
  private grow(slots: number, fed: number): void {
    const old = this.data;
    this.data = old.map((c) => tf.keep(run(GROW_CACHE, { cache: c }, { slots, used: fed }) as Tensor3D));
    for (const c of old) c.dispose();
    const slotOf = new Int32Array(this.capacity * slots);
    for (let p = 0; p < fed; p++) slotOf.set(this.slotOf.subarray(p * this.slots, (p + 1) * this.slots), p * slots);
    this.slotOf = slotOf;
    this.slots = slots;
  }
}

/** An uninitialised float32 tensor. */
export function allocate(shape: number[]): Tensor {
  return run(ALLOC, {}, { shape });
}
