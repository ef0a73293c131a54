/**
 * Host kernels for inference (wasm and cpu backends): everything between the matrix products of an
 * encoder pass and of one incremental decoder step, each as a single pass where the composite tfjs ops
 * of encoder.ts/decoder.ts run 5–15 kernels with reshapes, transposes and concatenations. Arithmetic
 * is in float64, rounded once when stored.
 *
 * The loops themselves are in attentionLoops.ts, the decoder's key/value cache in selfKvCache.ts.
 *
 * The self-attention kernel writes the new key/value rows into its `cache` input in place: the cache
 * tensors belong to one {@link SelfKvCache} of one FastDecoder, are never shared, and are only read by
 * these kernels. Reordering beams rewrites the cache's small table of slots, never the keys and values.
 */
import { tf, type Tensor, type Tensor2D, type Tensor3D } from '../backend/tf.js';
import { hasHostKernel, registerHostKernel } from '../backend/hostKernels.js';
import { attendGroup, attendHead, geluInto, layerNormRow, offsets, scaledQueries, scaledQuery, scratch, stridedOffsets } from './attentionLoops.js';
import type { SelfKvCache } from './selfKvCache.js';

const EMBED = 'MassDecodeEmbed';
const ADD_LAYER_NORM = 'MassDecodeAddLayerNorm';
const GELU = 'MassDecodeGelu';
const SELF_ATTEND = 'MassDecodeSelfAttend';
const CROSS_ATTEND = 'MassDecodeCrossAttend';
const ENCODER_ATTEND = 'MassDecodeEncoderAttend';
const ROW_LSE = 'MassDecodeRowLogSumExp';
const ALLOC = 'MassDecodeAlloc';
const GROW_CACHE = 'MassDecodeGrowCache';

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
      for (let r0 = 0; r0 < rows;) {
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

/** An uninitialised float32 tensor. */
export function allocate(shape: number[]): Tensor {
  return run(ALLOC, {}, { shape });
}

/** A copy of a (positions, slots, width) cache with `slots` slots per position, keeping the first `used` positions. */
export function growCache(cache: Tensor3D, slots: number, used: number): Tensor3D {
  return run(GROW_CACHE, { cache }, { slots, used }) as Tensor3D;
}
