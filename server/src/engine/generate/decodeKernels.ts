/**
 * Host kernels for inference (wasm and cpu backends): everything between the matrix products of an
 * encoder pass and of one incremental decoder step, each as a single pass where the composite tfjs ops
 * of encoder.ts/decoder.ts run 5–15 kernels with reshapes, transposes and concatenations. Arithmetic
 * is in float64, rounded once when stored.
 *
 * The self-attention kernel writes the new key/value row into its `cache` input in place: the cache
 * tensors belong to one FastDecoder, are never shared, and are only read by these kernels.
 */
import { tf, type Tensor, type Tensor2D, type Tensor3D } from '../backend/tf.js';
import { hasHostKernel, registerHostKernel, type HostArray } from '../backend/hostKernels.js';
import { LAYER_NORM_EPS } from '../model/config.js';

const EMBED = 'MassDecodeEmbed';
const ADD_LAYER_NORM = 'MassDecodeAddLayerNorm';
const GELU = 'MassDecodeGelu';
const SELF_ATTEND = 'MassDecodeSelfAttend';
const CROSS_ATTEND = 'MassDecodeCrossAttend';
const SELECT_ROWS = 'MassDecodeSelectRows';
const ENCODER_ATTEND = 'MassDecodeEncoderAttend';
const ROW_LSE = 'MassDecodeRowLogSumExp';
const ALLOC = 'MassDecodeAlloc';

/** A reusable Float64Array of at least n values (kernels run one at a time). */
const scratchPool: Float64Array[] = [];
function scratch(slot: number, n: number): Float64Array {
  let a = scratchPool[slot];
  if (!a || a.length < n) a = scratchPool[slot] = new Float64Array(Math.max(n, 2 * (a?.length ?? 0)));
  return a;
}

/**
 * LayerNorm of row `x[0 .. d)` (already summed) into out[oo ..), with weights w, b. Mean and variance
 * from one pass of float64 sums (E[x²] - mean²: exact enough in float64 for activations).
 */
function layerNormRow(x: Float64Array, out: HostArray, oo: number, d: number, w: HostArray, b: HostArray): void {
  let s = 0;
  let s2 = 0;
  for (let j = 0; j < d; j++) {
    const v = x[j];
    s += v;
    s2 += v * v;
  }
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
    // 0.5·(1 - erf(|u|/√2)); for u < 0, 0.5·(1 + erf(u/√2)) is the same tail
    const tail = 0.5 / p;
    out[i] = u > 0 ? u * (1 - tail) : u * tail;
  }
}

/**
 * Scaled dot-product attention of one query head `q` (already scaled, dh values) over n keys stored at
 * `kOff + j·stride` with values `vShift` further: writes the context into out[oo .. oo+dh). Four keys
 * per pass (one load of q feeds four independent sums; 2-3x faster than one key at a time in V8).
 */
function attendHead(q: Float64Array, mem: HostArray, kOff: number, vShift: number, stride: number, n: number, dh: number, out: HostArray, oo: number): void {
  const w = scratch(0, n);
  const acc = scratch(1, dh);
  let m = -Infinity;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const o0 = kOff + j * stride;
    const o1 = o0 + stride;
    const o2 = o1 + stride;
    const o3 = o2 + stride;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < dh; t++) {
      const qt = q[t];
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
    const o = kOff + j * stride;
    let s = 0;
    for (let t = 0; t < dh; t++) s += q[t] * mem[o + t];
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
  j = 0;
  for (; j + 3 < n; j += 4) {
    const o0 = kOff + vShift + j * stride;
    const o1 = o0 + stride;
    const o2 = o1 + stride;
    const o3 = o2 + stride;
    const w0 = w[j] * inv;
    const w1 = w[j + 1] * inv;
    const w2 = w[j + 2] * inv;
    const w3 = w[j + 3] * inv;
    for (let t = 0; t < dh; t++) acc[t] += w0 * mem[o0 + t] + w1 * mem[o1 + t] + w2 * mem[o2 + t] + w3 * mem[o3 + t];
  }
  for (; j < n; j++) {
    const o = kOff + vShift + j * stride;
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
        for (let j = 0; j < d; j++) {
          const s = Math.fround(tok[to + j] + pos[po + j]);
          row[j] = useLang ? Math.fround(s + lang[lo + j]) : s;
        }
        layerNormRow(row, out, r * d, d, gamma, beta);
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
        for (let j = 0; j < d; j++) row[j] = Math.fround(x[o + j] + a[o + j]);
        layerNormRow(row, out, o, d, gamma, beta);
      }
    },
  });

  registerHostKernel({
    name: GELU,
    inputNames: ['x'],
    outputs: ([x]) => [{ shape: x.shape, dtype: 'float32' }],
    run: ([x], [out]) => geluInto(x, out),
  });

  // Self-attention of one new position per row. qkv: (rows, 3d) = [q | k | v]; cache: (rows, cap, 2d)
  // holding [k | v] of positions < `position`. Stores this step's [k | v] at `position` (in place),
  // then attends over positions 0..position (causal: all of them).
  registerHostKernel({
    name: SELF_ATTEND,
    inputNames: ['qkv', 'cache'],
    outputs: ([qkv]) => [{ shape: [qkv.shape[0], qkv.shape[1] / 3], dtype: 'float32' }],
    run: ([qkv, cache], [out], [qi, ci], attrs) => {
      const rows = qi.shape[0];
      const d = qi.shape[1] / 3;
      const cap = ci.shape[1];
      const heads = attrs.heads as number;
      const pos = attrs.position as number;
      const dh = d / heads;
      const scale = 1 / Math.sqrt(dh);
      for (let r = 0; r < rows; r++) {
        const base = r * cap * 2 * d;
        cache.set(qkv.subarray(r * 3 * d + d, (r + 1) * 3 * d), base + pos * 2 * d);
        for (let h = 0; h < heads; h++) {
          const q = scaledQuery(qkv, r * 3 * d + h * dh, dh, scale);
          attendHead(q, cache, base + h * dh, d, 2 * d, pos + 1, dh, out, r * d + h * dh);
        }
      }
    },
  });

  // Cross-attention of one query per row over the encoder's keys/values. q: (rows, d); kv:
  // (sentences, slen, 2d) = [k | v] per source position; row r reads sentence source[r] and only its
  // first lengths[source[r]] positions.
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
      for (let r = 0; r < rows; r++) {
        const s = source[r];
        const n = Math.min(lengths[s], slen);
        for (let h = 0; h < heads; h++) {
          const q = scaledQuery(qIn, r * d + h * dh, dh, scale);
          attendHead(q, kv, s * slen * 2 * d + h * dh, d, 2 * d, n, dh, out, r * d + h * dh);
        }
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
      for (let r = 0; r < rows; r++) {
        const s = Math.floor(r / slen);
        const n = Math.min(lengths[s], slen);
        for (let h = 0; h < heads; h++) {
          const q = scaledQuery(qkv, r * 3 * d + h * dh, dh, scale);
          attendHead(q, qkv, s * slen * 3 * d + d + h * dh, d, 3 * d, n, dh, out, r * d + h * dh);
        }
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
        let mx = -Infinity;
        let pm = 0;
        for (let i = o; i < o + n; i++) {
          if (x[i] > mx) mx = x[i];
          if (p[i] > pm) pm = p[i];
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

  // Rows `indices` of a cache (rows, cap, w), copying only the first `used` positions of each.
  registerHostKernel({
    name: SELECT_ROWS,
    inputNames: ['cache'],
    outputs: ([c], attrs) => [{ shape: [(attrs.indices as number[]).length, c.shape[1], c.shape[2]], dtype: 'float32' }],
    run: ([cache], [out], [ci], attrs) => {
      const [, cap, w] = ci.shape;
      const indices = attrs.indices as number[];
      const n = (attrs.used as number) * w;
      indices.forEach((i, r) => out.set(cache.subarray(i * cap * w, i * cap * w + n), r * cap * w));
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

/** Writes this step's keys/values into `cache` at `position` and returns the attention context. */
export function selfAttendStep(qkv: Tensor2D, cache: Tensor3D, position: number, heads: number): Tensor2D {
  return run(SELF_ATTEND, { qkv, cache }, { position, heads }) as Tensor2D;
}

export function crossAttendStep(q: Tensor2D, kv: Tensor3D, source: Int32Array, lengths: Int32Array, heads: number): Tensor2D {
  return run(CROSS_ATTEND, { q, kv }, { heads, source: Array.from(source), lengths: Array.from(lengths) }) as Tensor2D;
}

export function selectCacheRows(cache: Tensor3D, indices: Int32Array, used: number): Tensor3D {
  return run(SELECT_ROWS, { cache }, { indices: Array.from(indices), used }) as Tensor3D;
}

/** Encoder self-attention context of every position; qkv is (sentences·slen, 3d). */
export function encoderAttend(qkv: Tensor2D, slen: number, lengths: Int32Array, heads: number): Tensor2D {
  return run(ENCODER_ATTEND, { qkv }, { heads, slen, lengths: Array.from(lengths) }) as Tensor2D;
}

/** log Σ exp of each row of logits (rows, n_words), by way of the backend's softmax. */
export function rowLogSumExp(logits: Tensor2D): Tensor {
  return run(ROW_LSE, { logits, probs: tf.softmax(logits) }, {});
}

/** An uninitialised float32 tensor. */
export function allocate(shape: number[]): Tensor {
  return run(ALLOC, {}, { shape });
}
