/**
 * The engine on the webgpu backend (issue 16), on whatever adapter Dawn offers — in CI Mesa's software
 * adapter: the reference-parity fixture's forward pass (≤ 1e-4 against PyTorch's outputs), one
 * update's gradients against wasm (relative ≤ 1e-3 per tensor), five Adam updates against wasm, and
 * tensors and GPU bytes flat over repeated steps. Every test checks it ran on webgpu.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MASS_PARITY } from '../helpers/paths.js';
import { parityBatch, parityForward, type ParityInputs } from '../helpers/parityCase.js';
import { assertOnWebgpu, useWebgpu } from '../helpers/webgpu.js';
import { initBackend } from '../../server/src/engine/backend/selectBackend.js';
import { download } from '../../server/src/engine/backend/readback.js';
import { tf } from '../../server/src/engine/backend/tf.js';
import { modelConfigFromJson } from '../../server/src/engine/model/config.js';
import { loadModel } from '../../server/src/engine/model/checkpoint.js';
import { AdamInverseSqrt } from '../../server/src/engine/train/adamInverseSqrt.js';
import { Trainer, type Gradients } from '../../server/src/engine/train/trainStep.js';
import type { Seq2SeqBatch } from '../../server/src/engine/train/seq2seqBatch.js';

interface Expected {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  inputs: ParityInputs;
  expected: { encoder_out: Expected; decoder_out: Expected; logits: Expected; loss: number };
}

const fixture = JSON.parse(readFileSync(join(MASS_PARITY, 'cases.json'), 'utf8')) as { config: Record<string, unknown>; cases: Case[] };
const config = modelConfigFromJson(fixture.config, join(MASS_PARITY, 'cases.json'));
const WEIGHTS = join(MASS_PARITY, 'weights.safetensors');
const batches: Seq2SeqBatch[] = fixture.cases.map((c) => parityBatch(c.inputs));

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'element count');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** max|a − b| / max|b|. */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(b[i]!));
  const d = maxAbsDiff(a, b);
  return m === 0 ? d : d / m;
}

/** The attention key biases get a gradient of exactly 0 (softmax ignores a shared shift): rounding noise on both sides. */
const isZeroGrad = (name: string) => name.endsWith('k_lin.bias');

const optimizer = () => new AdamInverseSqrt({ lr: 1e-3, warmupUpdates: 2, warmupInitLr: 1e-4 });

test('forward pass on webgpu = the PyTorch reference (≤ 1e-4), no tensor left behind', async (t) => {
  await useWebgpu();
  const model = await loadModel(WEIGHTS, config);
  try {
    for (const c of fixture.cases) {
      const b = parityBatch(c.inputs);
      const before = tf.memory().numTensors;
      const outs = tf.tidy(() => {
        const { enc, dec, logits, loss } = parityForward(model, b, c.inputs);
        return [enc, dec, logits, loss];
      });
      assertOnWebgpu();
      const [enc, dec, logits, loss] = await download(outs);
      for (const x of outs) x.dispose();
      assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
      const e = c.expected;
      const d = {
        enc: maxAbsDiff(enc, e.encoder_out.data),
        dec: maxAbsDiff(dec, e.decoder_out.data),
        logits: maxAbsDiff(logits, e.logits.data),
        loss: Math.abs(loss[0] - e.loss),
      };
      t.diagnostic(
        `${c.name}: max|diff| enc ${d.enc.toExponential(2)} dec ${d.dec.toExponential(2)} logits ${d.logits.toExponential(2)} loss ${d.loss.toExponential(2)}`,
      );
      for (const [k, v] of Object.entries(d)) assert.ok(v <= 1e-4, `${c.name} ${k} max diff ${v}`);
    }
  } finally {
    model.dispose();
  }
});

async function wasmGradients(): Promise<Gradients> {
  await initBackend('wasm');
  const model = await loadModel(WEIGHTS, config);
  try {
    return new Trainer(model, optimizer()).gradients([batches[0]!], 0);
  } finally {
    model.dispose();
  }
}

test("one update's gradients on webgpu = wasm (relative ≤ 1e-3 per tensor)", async (t) => {
  const want = await wasmGradients();
  await useWebgpu();
  const model = await loadModel(WEIGHTS, config);
  try {
    const trainer = await Trainer.create(model, optimizer());
    const got = await trainer.gradientsAsync([batches[0]!], 0);
    assertOnWebgpu();
    // the synchronous API cannot read a GPU result: it says so instead of failing somewhere in tfjs
    assert.throws(() => trainer.gradients([batches[0]!], 0), /reads results only asynchronously/);
    assert.ok(Math.abs(got.loss - want.loss) <= 1e-5 * Math.abs(want.loss), `loss ${got.loss} vs wasm ${want.loss}`);
    assert.deepEqual([...got.grads.keys()].sort(), [...want.grads.keys()].sort(), 'the same parameters get a gradient');
    let worst: [number, string] = [0, ''];
    for (const [name, w] of want.grads) {
      const g = got.grads.get(name)!;
      if (isZeroGrad(name)) {
        assert.ok(maxAbsDiff(g, new Float32Array(g.length)) < 1e-6, `${name}: gradient should be 0 up to rounding`);
        continue;
      }
      const r = relDiff(g, w);
      if (r > worst[0]) worst = [r, name];
      assert.ok(r <= 1e-3, `${name}: max rel diff ${r}`);
    }
    for (const m of ['encoder', 'decoder'] as const) assert.ok(Math.abs(got.gradNorm[m] - want.gradNorm[m]) <= 1e-4 * want.gradNorm[m], `${m} gradient norm`);
    t.diagnostic(`loss ${got.loss} (wasm ${want.loss}); worst gradient ${worst[1]}: rel ${worst[0].toExponential(2)}`);
  } finally {
    model.dispose();
  }
});

/** Five updates (clipping on, both fixture batches in turn); the losses and the final weights. */
async function fiveUpdates(step: (tr: Trainer, b: Seq2SeqBatch, i: number) => Promise<number>, tr: Trainer) {
  const losses: number[] = [];
  for (let i = 0; i < 5; i++) losses.push(await step(tr, batches[i % batches.length]!, i));
  const values = await download(tr.model.parameters().map(([, v]) => v));
  return { losses, params: new Map(tr.model.parameters().map(([n], i) => [n, values[i] as Float32Array])) };
}

test('five Adam updates on webgpu = wasm', async (t) => {
  await initBackend('wasm');
  const wasmModel = await loadModel(WEIGHTS, config);
  const want = await fiveUpdates(async (tr, b, i) => tr.step([b], i).loss, new Trainer(wasmModel, optimizer(), { clipNorm: 1 }));
  wasmModel.dispose();
  await useWebgpu();
  const model = await loadModel(WEIGHTS, config);
  try {
    const got = await fiveUpdates(async (tr, b, i) => (await tr.stepAsync([b], i)).loss, await Trainer.create(model, optimizer(), { clipNorm: 1 }));
    assertOnWebgpu();
    t.diagnostic(`losses webgpu ${got.losses.map((l) => l.toFixed(6)).join(' ')} / wasm ${want.losses.map((l) => l.toFixed(6)).join(' ')}`);
    got.losses.forEach((l, i) => assert.ok(Math.abs(l - want.losses[i]!) <= 1e-4 * want.losses[i]!, `update ${i + 1}: loss ${l} vs wasm ${want.losses[i]}`));
    assert.ok(got.losses.at(-1)! < got.losses[0]! - 1e-3, 'the updates lower the loss');
    let worst: [number, string] = [0, ''];
    for (const [name, w] of want.params) {
      // Adam turns the rounding noise of a zero gradient into ±lr steps: those biases are not compared.
      if (isZeroGrad(name)) continue;
      const d = maxAbsDiff(got.params.get(name)!, w);
      if (d > worst[0]) worst = [d, name];
      assert.ok(d <= 1e-4, `${name}: max |Δ| after 5 updates ${d} (lr 1e-3)`);
    }
    t.diagnostic(`worst weight after 5 updates: ${worst[1]} max |Δ| ${worst[0].toExponential(2)}`);
  } finally {
    model.dispose();
  }
});

test('tensors and GPU memory flat over repeated training steps', async (t) => {
  await useWebgpu();
  const model = await loadModel(WEIGHTS, config);
  try {
    const trainer = await Trainer.create(model, optimizer());
    const usage = () => {
      // what the backend holds on the device, its buffer pool included (Adam leaves the weights on the host)
      const m = tf.memory() as { numTensors: number; numBytesAllocatedInGPU?: number };
      assert.ok(m.numBytesAllocatedInGPU !== undefined, 'the webgpu backend reports its GPU bytes');
      return { tensors: m.numTensors, gpu: m.numBytesAllocatedInGPU };
    };
    // warm-up: pipelines compiled, buffer pools filled
    for (let i = 0; i < 2; i++) await trainer.stepAsync([batches[i % 2]!], i);
    const start = usage();
    // 100 updates (issue 16: GPU memory flat over 100 training steps)
    for (let i = 2; i < 102; i++) {
      await trainer.stepAsync([batches[i % 2]!], i);
      assert.deepEqual(usage(), start, `after step ${i + 1}`);
    }
    assertOnWebgpu();
    t.diagnostic(`${start.tensors} tensors, ${start.gpu} bytes allocated on the GPU after each of 100 steps`);
  } finally {
    model.dispose();
  }
});
