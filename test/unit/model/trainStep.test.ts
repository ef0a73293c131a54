import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { initBackend } from '../../../server/src/engine/backend/selectBackend.js';
import { tf } from '../../../server/src/engine/backend/tf.js';
import { makeModelConfig, type ModelConfig } from '../../../server/src/engine/model/config.js';
import { MassModel } from '../../../server/src/engine/model/model.js';
import { AdamInverseSqrt } from '../../../server/src/engine/train/adamInverseSqrt.js';
import { Trainer, clipScales } from '../../../server/src/engine/train/trainStep.js';
import type { Seq2SeqBatch } from '../../../server/src/engine/train/seq2seqBatch.js';
import { seq2seqLoss } from '../../../server/src/engine/model/seq2seqLoss.js';
import { UserError } from '../../../server/src/engine/errors.js';
import { CORPORA } from '../../helpers/paths.js';
import { massBatch, readSentences, whitespaceVocab } from '../../helpers/massBatch.js';

const MONO_EN = join(CORPORA, 'en-fr', 'mono.en.gz');

function tinyConfig(nWords: number, extra: Partial<ModelConfig> = {}): ModelConfig {
  return makeModelConfig({ emb_dim: 32, n_heads: 2, n_layers: 2, n_dec_layers: 2, n_words: nWords, ...extra });
}

async function realBatch(n: number, vocabSize: number, srcLen = 18, span = 8, seed = 1) {
  const sentences = await readSentences(MONO_EN, n, 8, srcLen - 2);
  const vocab = whitespaceVocab(sentences, vocabSize);
  return { sentences, vocab, batch: massBatch(sentences, vocab, srcLen, span, 0, seed) };
}

/** Rows of `a` then rows of `b` (same padded lengths) as one batch. */
function concatBatches(a: Seq2SeqBatch, b: Seq2SeqBatch): Seq2SeqBatch {
  const cat = <T extends Int32Array | Uint8Array>(x: T, y: T): T => {
    const out = new (x.constructor as new (n: number) => T)(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return {
    bs: a.bs + b.bs,
    srcLen: a.srcLen,
    src: cat(a.src, b.src),
    srcLengths: cat(a.srcLengths, b.srcLengths),
    srcLangs: cat(a.srcLangs, b.srcLangs),
    encMask: cat(a.encMask!, b.encMask!),
    tgtLen: a.tgtLen,
    tgtIn: cat(a.tgtIn, b.tgtIn),
    tgtPositions: cat(a.tgtPositions, b.tgtPositions),
    tgtLengths: cat(a.tgtLengths, b.tgtLengths),
    tgtLangs: cat(a.tgtLangs, b.tgtLangs),
    targets: cat(a.targets, b.targets),
    predMask: cat(a.predMask, b.predMask),
  };
}

test('inverse-sqrt schedule and Adam update follow the reference formulas', () => {
  const opt = new AdamInverseSqrt({ lr: 1e-3, warmupUpdates: 10, warmupInitLr: 1e-7, beta1: 0.9, beta2: 0.98, eps: 1e-8 });
  assert.equal(opt.lrAfter(0), 1e-7);
  assert.ok(Math.abs(opt.lrAfter(5) - (1e-7 + (5 * (1e-3 - 1e-7)) / 10)) < 1e-15);
  assert.equal(opt.lrAfter(10), 1e-3);
  assert.ok(Math.abs(opt.lrAfter(40) - 5e-4) < 1e-15);
  // Two updates of p = [1, -2] with gradients g1, g2 (no clipping), by hand in float64.
  const p = Float32Array.from([1, -2]);
  const gs = [Float32Array.from([0.5, -0.25]), Float32Array.from([0.1, 0.3])];
  const m = [0, 0];
  const v = [0, 0];
  const want = [1, -2];
  gs.forEach((g, k) => {
    const t = k + 1;
    const lr = opt.lrAfter(k);
    for (let i = 0; i < 2; i++) {
      m[i] = 0.9 * m[i] + 0.1 * g[i];
      v[i] = 0.98 * v[i] + 0.02 * g[i] * g[i];
      want[i] -= ((lr * Math.sqrt(1 - 0.98 ** t)) / (1 - 0.9 ** t)) * (m[i] / (Math.sqrt(v[i]) + 1e-8));
    }
    opt.updateParam('p', p, g);
    opt.finishUpdate();
  });
  // p is float32: one ulp at 2 is 2.4e-7.
  assert.ok(Math.abs(p[0] - want[0]) < 3e-7 && Math.abs(p[1] - want[1]) < 3e-7, `${p} vs ${want}`);
  assert.equal(opt.state().params.get('p')!.step, 2);
  // A parameter seen once keeps moving on zero gradients (torch 1.x after zero_grad); an unseen one does not.
  const q = Float32Array.from([3]);
  opt.updateParam('never', q, undefined);
  assert.equal(q[0], 3);
  const before = p[0];
  opt.updateParam('p', p, undefined);
  assert.notEqual(p[0], before);
  assert.deepEqual(clipScales({ encoder: 10, decoder: 1 }, 5), { encoder: 5 / (10 + 1e-6), decoder: 1 });
  assert.deepEqual(clipScales({ encoder: 10, decoder: 1 }, 0), { encoder: 1, decoder: 1 });
});

test('tensor count and wasm memory stay flat over 50 training steps', async () => {
  await initBackend('wasm');
  const { batch } = await realBatch(8, 300);
  const model = MassModel.init(tinyConfig(300, { dropout: 0.1, attention_dropout: 0.1 }), 3);
  const trainer = new Trainer(model, new AdamInverseSqrt({ lr: 1e-3, warmupUpdates: 10 }));
  try {
    trainer.step([batch], 0);
    const tensors = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    for (let i = 1; i <= 50; i++) {
      trainer.step([batch], i);
      assert.equal(tf.memory().numTensors, tensors, `tensor count after step ${i}`);
      assert.equal(tf.memory().numBytes, bytes, `bytes after step ${i}`);
    }
  } finally {
    model.dispose();
  }
});

test('a tiny model overfits one real batch', async () => {
  await initBackend('wasm');
  const { batch } = await realBatch(8, 200);
  const model = MassModel.init(tinyConfig(200), 1);
  const trainer = new Trainer(model, new AdamInverseSqrt({ lr: 3e-3, warmupUpdates: 20 }));
  try {
    const first = trainer.step([batch], 0);
    assert.ok(first.loss > 4, `initial loss ${first.loss} near ln(200)`);
    let last = first;
    for (let i = 1; i < 170; i++) last = trainer.step([batch], i);
    assert.ok(last.loss < 0.05, `loss after 170 steps: ${last.loss}`);
    const evalLoss = tf.tidy(() => seq2seqLoss(model, batch).dataSync()[0]);
    assert.ok(evalLoss < 0.05, `eval loss ${evalLoss}`);
    assert.equal(
      last.tokens,
      batch.predMask.reduce((a, b) => a + b, 0),
    );
  } finally {
    model.dispose();
  }
});

test('two micro-batches give the update of one batch holding both; clipping bounds the norm per module', async () => {
  await initBackend('wasm');
  const sentences = await readSentences(MONO_EN, 6, 8, 16);
  const vocab = whitespaceVocab(sentences, 150);
  // Different span lengths: the micro-batches predict different numbers of tokens.
  const a = massBatch(sentences.slice(0, 2), vocab, 18, 8, 0, 4);
  const b = massBatch(sentences.slice(2, 6), vocab, 18, 8, 0, 5);
  b.predMask.fill(0, 0, 3);
  const run = (batches: Seq2SeqBatch[]) => {
    const model = MassModel.init(tinyConfig(150), 9);
    const trainer = new Trainer(model, new AdamInverseSqrt({ lr: 1e-3, warmupUpdates: 1 }), { clipNorm: 0 });
    const g = trainer.gradients(batches, 0);
    const r = trainer.step(batches, 0);
    const params = model.parameters().map(([k, v]) => [k, Array.from(v.dataSync())] as const);
    model.dispose();
    return { r, g, params };
  };
  const split = run([a, b]);
  const whole = run([concatBatches(a, b)]);
  assert.ok(Math.abs(split.r.loss - whole.r.loss) < 1e-5, `${split.r.loss} vs ${whole.r.loss}`);
  assert.equal(split.r.tokens, whole.r.tokens);
  let maxDiff = 0;
  split.params.forEach(([k, v], i) => {
    assert.equal(k, whole.params[i][0]);
    v.forEach((x, j) => (maxDiff = Math.max(maxDiff, Math.abs(x - whole.params[i][1][j]))));
  });
  assert.ok(maxDiff < 1e-6, `parameters differ by ${maxDiff}`);
  for (const m of ['encoder', 'decoder'] as const) assert.ok(Math.abs(split.g.gradNorm[m] - whole.g.gradNorm[m]) < 1e-4 * whole.g.gradNorm[m]);
  // The norm the trainer reports is the L2 norm of the gradients it returns.
  let sq = 0;
  for (const [k, g] of whole.g.grads) if (k.startsWith('decoder.')) for (const x of g) sq += x * x;
  assert.ok(Math.abs(Math.sqrt(sq) - whole.g.gradNorm.decoder) < 1e-6 * whole.g.gradNorm.decoder);
  // The encoder's output layer and the unused language's cross-attention out_lin get no gradient.
  assert.ok(!whole.g.grads.has('encoder.pred_layer.proj.bias'));
  assert.ok(!whole.g.grads.has('decoder.encoder_attn.0.out_lin.1.weight'));
  assert.ok(whole.g.grads.has('decoder.encoder_attn.0.out_lin.0.weight'));
});

test('running out of wasm memory is a UserError naming the batch size', async () => {
  await initBackend('wasm');
  // 2048 real sentences padded to 512 positions: the encoder's attention scores alone need 4.3 GB.
  const sentences = await readSentences(MONO_EN, 2048, 3, 60);
  const batch = massBatch(sentences, whitespaceVocab(sentences, 100), 512, 2, 0, 1);
  const model = MassModel.init(makeModelConfig({ emb_dim: 4, n_heads: 2, n_layers: 1, n_dec_layers: 1, n_words: 100 }), 1);
  const trainer = new Trainer(model, new AdamInverseSqrt());
  const tensors = tf.memory().numTensors;
  try {
    assert.throws(
      () => trainer.step([batch], 0),
      (e: Error) => e instanceof UserError && /out of memory.*2048 sentences × 512 source tokens \(1048576\)/.test(e.message),
    );
    assert.equal(tf.memory().numTensors, tensors, 'the failed step released its tensors');
  } finally {
    model.dispose();
  }
});

test('a non-finite loss stops the step before any parameter changes', async () => {
  await initBackend('wasm');
  const { batch } = await realBatch(4, 120);
  const model = MassModel.init(tinyConfig(120), 2);
  try {
    // A checkpoint with an overflowed weight, as a diverged run leaves behind.
    const w = model.p('encoder.ffns.0.lin1.weight');
    const bad = w.dataSync().slice();
    bad[5] = Infinity;
    const t = tf.tensor(bad, w.shape);
    w.assign(t);
    t.dispose();
    const trainer = new Trainer(model, new AdamInverseSqrt());
    const before = model.p('decoder.embeddings.weight').dataSync().slice();
    assert.throws(
      () => trainer.step([batch], 0),
      (e: Error) => e instanceof UserError && /training diverged at update 1: loss NaN/.test(e.message),
    );
    assert.deepEqual(model.p('decoder.embeddings.weight').dataSync(), before);
    assert.equal(trainer.optimizer.updates, 0);
  } finally {
    model.dispose();
  }
});
