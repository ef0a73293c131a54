/**
 * The hand-unrolled attention loops of the inference kernels (engine/generate/attentionLoops.ts)
 * against a naive attention, and against each other: attendPair and attendTriple give each query the
 * context attendHead gives it, to the bit (attendGroup mixes them freely).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attendGroup,
  attendHead,
  attendPair,
  attendTriple,
  geluInto,
  layerNormRow,
  stridedOffsets,
} from '../../../server/src/engine/generate/attentionLoops.js';
import { LAYER_NORM_EPS } from '../../../server/src/engine/model/config.js';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** softmax(q·kᵀ)·v in float64, one key at a time, keys at offs[j] + hOff and values vShift further. */
function naiveAttend(
  q: ArrayLike<number>,
  qo: number,
  mem: ArrayLike<number>,
  offs: ArrayLike<number>,
  hOff: number,
  vShift: number,
  n: number,
  dh: number,
): number[] {
  const scores: number[] = [];
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < dh; t++) s += q[qo + t]! * mem[offs[j]! + hOff + t]!;
    scores.push(s);
  }
  const m = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - m));
  const sum = e.reduce((a, b) => a + b, 0);
  const out = new Array<number>(dh).fill(0);
  for (let j = 0; j < n; j++) for (let t = 0; t < dh; t++) out[t]! += (e[j]! / sum) * mem[offs[j]! + hOff + vShift + t]!;
  return out;
}

/** Outputs are stored as float32: equal to float32 rounding. */
function close(a: ArrayLike<number>, b: ArrayLike<number>, what: string, tol = 1e-6): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol * (1 + Math.abs(b[i]!)), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

// key counts around the unrolling by four (remainders 0..3), head sizes odd and even
for (const [n, dh] of [
  [1, 4],
  [3, 5],
  [4, 8],
  [7, 16],
  [13, 3],
]) {
  test(`attendHead, attendPair, attendTriple on ${n} keys of head size ${dh}: the naive attention, and each other to the bit`, () => {
    const rnd = random(n * 100 + dh);
    const width = 2 * dh + 3; // [k | v] rows with some padding, keys at a stride
    const mem = Float32Array.from({ length: (n + 2) * width }, () => 4 * rnd());
    const offs = Int32Array.from(stridedOffsets(width, width, n).subarray(0, n));
    const q = Float64Array.from({ length: 3 * dh }, () => rnd());
    const want = [0, 1, 2].map((i) => naiveAttend(q, i * dh, mem, offs, 0, dh, n, dh));

    const one = new Float32Array(3 * dh);
    for (let i = 0; i < 3; i++) attendHead(q, i * dh, mem, offs, 0, dh, n, dh, one, i * dh);
    for (let i = 0; i < 3; i++) close(one.subarray(i * dh, (i + 1) * dh), want[i]!, `attendHead query ${i}`);

    const pair = new Float32Array(2 * dh);
    attendPair(q, 0, dh, mem, offs, 0, dh, n, dh, pair, 0, dh);
    assert.deepEqual(pair, one.subarray(0, 2 * dh), 'attendPair = attendHead, bit for bit');

    const triple = new Float32Array(3 * dh);
    attendTriple(q, 0, dh, 2 * dh, mem, offs, 0, dh, n, dh, triple, 0, dh, 2 * dh);
    assert.deepEqual(triple, one, 'attendTriple = attendHead, bit for bit');
  });
}

test('attendGroup: every query of every head as attendHead computes it, whatever mix of threes, twos and ones it takes', () => {
  const rnd = random(7);
  const heads = 2;
  const dh = 6;
  const d = heads * dh;
  const n = 9;
  // key row j: [k (d) | v (d)] at j·2d; heads at + h·dh; values d further
  const mem = Float32Array.from({ length: n * 2 * d }, () => 3 * rnd());
  const offs = Int32Array.from(stridedOffsets(0, 2 * d, n).subarray(0, n));
  for (const g of [1, 2, 3, 4, 5, 7]) {
    const q = Float64Array.from({ length: g * d }, () => rnd());
    const got = new Float32Array((g + 1) * d);
    attendGroup(q, g, d, heads, mem, Int32Array.from(offs), d, n, got, 1);
    for (let i = 0; i < g; i++) {
      for (let h = 0; h < heads; h++) {
        const one = new Float32Array(dh);
        attendHead(q, i * d + h * dh, mem, offs, h * dh, d, n, dh, one, 0);
        const at = (1 + i) * d + h * dh;
        assert.deepEqual(got.subarray(at, at + dh), one, `group of ${g}, query ${i}, head ${h}`);
        close(one, naiveAttend(q, i * d + h * dh, mem, offs, h * dh, d, n, dh), `group of ${g}, query ${i}, head ${h} vs naive`);
      }
    }
    assert.deepEqual(got.subarray(0, d), new Float32Array(d), 'rows before outRow untouched');
  }
});

test('layerNormRow and geluInto against their definitions', () => {
  const rnd = random(3);
  const d = 10;
  const x = Float64Array.from({ length: d }, () => 5 * rnd());
  const w = Float32Array.from({ length: d }, () => 1 + rnd());
  const b = Float32Array.from({ length: d }, () => rnd());
  let s = 0;
  let s2 = 0;
  for (const v of x) {
    s += v;
    s2 += v * v;
  }
  const out = new Float32Array(d + 2);
  layerNormRow(x, s, s2, out, 2, d, w, b);
  const mean = s / d;
  const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / d;
  close(
    out.subarray(2),
    Array.from(x, (v, j) => ((v - mean) / Math.sqrt(variance + LAYER_NORM_EPS)) * w[j]! + b[j]!),
    'layerNormRow',
  );

  // GELU with erf by A&S 7.1.28 (|error| <= 3e-7) against a high-precision erf (series)
  const erf = (z: number) => {
    let sum = 0;
    let term = z;
    for (let k = 0; k < 200; k++) {
      sum += term / (2 * k + 1);
      term *= (-z * z) / (k + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  };
  const xs = Float32Array.from([-4, -2.5, -1, -0.3, 0, 0.2, 1, 1.7, 3]);
  const g = new Float32Array(xs.length);
  geluInto(xs, g);
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    assert.ok(Math.abs(g[i]! - 0.5 * v * (1 + erf(v / Math.SQRT2))) < 2e-6, `gelu(${v}) = ${g[i]}`);
  }
});
