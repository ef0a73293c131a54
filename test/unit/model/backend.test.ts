import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, wasmBinaryDir, BACKEND_CHOICES } from '../../../server/src/engine/backend/selectBackend.js';
import { tf } from '../../../server/src/engine/backend/tf.js';
import { transposeInto } from '../../../server/src/engine/backend/transpose.js';
import { WasmOutOfMemoryError } from '../../../server/src/engine/backend/wasmMemory.js';
import { addLayerNorm, columnSums, crossEntropy, gatherRowsOf } from '../../../server/src/engine/model/fusedOps.js';
import { SeededRandom } from '../../../server/src/engine/model/random.js';
import { UserError } from '../../../server/src/engine/errors.js';

function randn(shape: number[], seed: number): tf.Tensor {
  const rng = new SeededRandom(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );
}

/** Runs `f` on wasm and on cpu (the reference) and returns both results as flat arrays. */
async function onBoth(f: () => tf.Tensor | tf.Tensor[]): Promise<{ wasm: number[][]; cpu: number[][] }> {
  const out: Record<string, number[][]> = {};
  for (const b of ['wasm', 'cpu'] as const) {
    await initBackend(b);
    out[b] = tf.tidy(() => [f()].flat().map((t) => Array.from(t.dataSync())));
  }
  return { wasm: out.wasm, cpu: out.cpu };
}

function maxDiff(a: number[][], b: number[][]): number {
  assert.equal(a.length, b.length);
  let m = 0;
  a.forEach((x, i) => {
    assert.equal(x.length, b[i].length);
    x.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i][j]))));
  });
  return m;
}

test('backend selection: forced, auto order, wasm binaries found', async () => {
  assert.ok(existsSync(join(wasmBinaryDir(), 'tfjs-backend-wasm-simd.wasm')));
  const cpu = await initBackend('cpu');
  assert.deepEqual([cpu.name, cpu.tfBackend, tf.getBackend()], ['cpu', 'cpu', 'cpu']);
  const wasm = await initBackend('wasm');
  assert.equal(wasm.tfBackend, 'wasm');
  assert.equal(typeof wasm.simd, 'boolean');
  const auto = await initBackend('auto');
  const order = BACKEND_CHOICES.slice(1);
  // Everything skipped comes before the chosen one, in preference order.
  assert.deepEqual(
    auto.skipped.map((s) => s.name),
    order.slice(0, order.indexOf(auto.name)),
  );
  for (const s of auto.skipped) {
    if (s.name === 'webgpu' && /^(software adapter|no GPU device)/.test(s.reason)) {
      // auto passes over a software GPU (and, on Linux, does not look without a GPU device node);
      // asked for by name, a software adapter is used where there is one
      const named = await initBackend('webgpu').catch((e: Error) => e);
      if (named instanceof Error) assert.match(named.message, /backend 'webgpu' is not available: webgpu: no adapter/);
      else assert.match(named.adapter ?? '', /software/);
      continue;
    }
    await assert.rejects(initBackend(s.name), (e: Error) => e instanceof UserError && e.message.includes(`backend '${s.name}' is not available`));
  }
  await assert.rejects(initBackend('webgl' as never), UserError);
});

test('host transpose equals a reference for every permutation, size-1 axes included', () => {
  function reference(src: Float32Array, shape: number[], perm: number[]): Float32Array {
    const out = new Float32Array(src.length);
    const outShape = perm.map((p) => shape[p]);
    const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
    const idx = new Array<number>(shape.length).fill(0);
    for (let o = 0; o < src.length; o++) {
      out[o] = src[idx.reduce((q, v, a) => q + v * strides[perm[a]], 0)];
      for (let a = shape.length - 1; a >= 0 && ++idx[a] === outShape[a]; a--) idx[a] = 0;
    }
    return out;
  }
  const perms = (n: number): number[][] =>
    n === 1 ? [[0]] : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
  for (const shape of [
    [3, 5],
    [1, 7],
    [2, 1, 4, 16],
    [2, 3, 4],
    [4, 1, 1, 3],
    [2, 2, 3, 2, 3],
    [33, 70],
    [131, 67],
  ]) {
    const src = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i);
    for (const perm of perms(shape.length)) {
      const dst = new Float32Array(src.length);
      transposeInto(src, dst, shape, perm);
      assert.deepEqual(dst, reference(src, shape, perm), `shape ${shape} perm ${perm}`);
    }
  }
});

test('wasm matMul (transposes, batches, broadcast, bias) matches the cpu backend', async () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[4, 5, 7], [4, 7, 3], false, false],
    [[2, 3, 7, 5], [2, 3, 3, 7], true, true],
    [[2, 4, 1, 7], [2, 4, 7, 1], false, false],
    [[2, 4, 5, 7], [7, 3], false, false],
    [[1, 7], [7, 3], false, false],
    [[7, 1], [7, 3], true, false],
    // 16 rows and more: B is packed (transposed or not); ragged and whole column panels; k = 0.
    [[37, 19], [19, 29], false, false],
    [[19, 37], [29, 19], true, true],
    [[3, 20, 17], [3, 16, 17], false, true],
    [[3, 17, 20], [17, 9], true, false],
    [[18, 0], [0, 5], false, false],
  ];
  const r = await onBoth(() =>
    cases.flatMap(([sa, sb, ta, tb], i) => {
      const a = randn(sa, i);
      const b = randn(sb, 100 + i);
      const n = tb ? sb[sb.length - 2] : sb[sb.length - 1];
      return [tf.matMul(a, b, ta, tb), tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias: randn([n], 200 + i) })];
    }),
  );
  assert.ok(maxDiff(r.wasm, r.cpu) < 1e-5);
});

test('wasm gather, segment sum, identity sharing and fused ops match the cpu backend, gradients too', async () => {
  const ids = Int32Array.from([3, 0, 3, 9, 1]);
  const r = await onBoth(() => {
    const table = randn([10, 6], 1);
    const x = randn([5, 6], 2);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(gatherRowsOf(t as tf.Tensor2D, ids), x)))(table);
    const seg = tf.unsortedSegmentSum(x, tf.tensor1d([2, 0, 2, -1, 7], 'int32'), 4); // -1 and 7 are dropped
    const c = tf.clone(x);
    const a = randn([6, 8], 3);
    const b = randn([6, 8], 4);
    const gamma = randn([8], 5);
    const beta = randn([8], 6);
    const w = randn([6, 8], 7);
    const [da, db, dg, dbe] = tf.grads((p: tf.Tensor, q: tf.Tensor, s: tf.Tensor, t: tf.Tensor) =>
      tf.sum(tf.mul(addLayerNorm(p as tf.Tensor2D, q as tf.Tensor2D, s, t), w)),
    )([a, b, gamma, beta]);
    const logits = tf.mul(randn([4, 50], 8), 3);
    const targets = Int32Array.from([0, 49, 7, 7]);
    const dl = tf.grad((l: tf.Tensor) => crossEntropy(l as tf.Tensor2D, targets))(logits);
    return [
      g,
      seg,
      c,
      addLayerNorm(a as tf.Tensor2D, b as tf.Tensor2D, gamma, beta),
      da,
      db,
      dg,
      dbe,
      crossEntropy(logits as tf.Tensor2D, targets),
      dl,
      columnSums(x as tf.Tensor2D),
    ];
  });
  assert.ok(maxDiff(r.wasm, r.cpu) < 2e-5, `max diff ${maxDiff(r.wasm, r.cpu)}`);
  // Values against plain formulas (cpu results).
  const [g, seg] = r.cpu;
  assert.deepEqual(seg.slice(6, 12), new Array(6).fill(0), 'segment 1 is empty');
  assert.ok(
    g.slice(2 * 6, 3 * 6).every((v) => v === 0),
    'row 2 of the table is never gathered',
  );
  await initBackend('wasm');
  const x = tf.tensor1d([1, 2, 3]);
  const y = tf.clone(x);
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3], 'a clone outlives its source');
  y.dispose();
  assert.throws(() => tf.gather(tf.tensor2d([[1], [2]]), tf.tensor1d([2], 'int32')), /index value 2 is not in \[0, 1\]/);
});

test('fused layer norm and cross-entropy agree with their composite definitions', async () => {
  await initBackend('wasm');
  tf.tidy(() => {
    const a = randn([5, 16], 11);
    const b = randn([5, 16], 12);
    const gamma = randn([16], 13);
    const beta = randn([16], 14);
    const x = tf.add(a, b);
    const mean = tf.mean(x, -1, true);
    const v = tf.mean(tf.square(tf.sub(x, mean)), -1, true);
    const ref = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(v, 1e-12))), gamma), beta);
    const got = addLayerNorm(a as tf.Tensor2D, b as tf.Tensor2D, gamma, beta);
    assert.ok(tf.max(tf.abs(tf.sub(got, ref))).dataSync()[0] < 1e-5);
    const logits = tf.mul(randn([6, 30], 15), 5);
    const targets = Int32Array.from([1, 2, 3, 29, 0, 0]);
    const logp = tf.logSoftmax(logits);
    const ref2 = -tf
      .mean(
        tf.gather(
          tf.reshape(logp, [-1]),
          tf.tensor1d(
            targets.map((t, i) => i * 30 + t),
            'int32',
          ),
        ),
      )
      .dataSync()[0];
    assert.ok(Math.abs(crossEntropy(logits as tf.Tensor2D, targets).dataSync()[0] - ref2) < 1e-5);
  });
});

test('a wasm allocation beyond the 4 GB heap throws a clean error and the backend stays usable', async () => {
  await initBackend('wasm');
  const before = tf.memory().numTensors;
  // A 40000 × 40000 float32 product needs 6.4 GB.
  assert.throws(() => tf.tidy(() => tf.matMul(tf.ones([40000, 1]), tf.ones([1, 40000]))), WasmOutOfMemoryError);
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(Array.from(tf.tidy(() => tf.add(tf.tensor1d([1, 2]), 1)).dataSync()), [2, 3]);
});
