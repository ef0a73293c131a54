import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { initBackend } from '../../../server/src/engine/backend/selectBackend.js';
import { tf } from '../../../server/src/engine/backend/tf.js';
import { UserError } from '../../../server/src/engine/errors.js';
import { makeModelConfig, type ModelConfig } from '../../../server/src/engine/model/config.js';
import { MassModel } from '../../../server/src/engine/model/model.js';
import { AdamInverseSqrt } from '../../../server/src/engine/train/adamInverseSqrt.js';
import { ParallelTrainer } from '../../../server/src/engine/train/parallelTrainer.js';
import { targetTokenCount, type Seq2SeqBatch } from '../../../server/src/engine/train/seq2seqBatch.js';
import { Trainer } from '../../../server/src/engine/train/trainStep.js';
import { planUpdate, sliceRows, splitRows } from '../../../server/src/engine/train/updatePlan.js';
import { CORPORA } from '../../helpers/paths.js';
import { massBatch, readSentences, whitespaceVocab } from '../../helpers/massBatch.js';

const MONO_EN = join(CORPORA, 'en-fr', 'mono.en.gz');

function tinyConfig(nWords: number, extra: Partial<ModelConfig> = {}): ModelConfig {
  return makeModelConfig({ emb_dim: 32, n_heads: 2, n_layers: 2, n_dec_layers: 2, n_words: nWords, dropout: 0.1, attention_dropout: 0.1, ...extra });
}

/** Two real batches of different sizes, spans and padded lengths (the second predicts fewer tokens per row). */
async function realBatches(): Promise<{ a: Seq2SeqBatch; b: Seq2SeqBatch; nWords: number }> {
  const sentences = await readSentences(MONO_EN, 14, 6, 20);
  const vocab = whitespaceVocab(sentences, 250);
  const a = massBatch(sentences.slice(0, 8), vocab, 22, 8, 0, 4);
  const b = massBatch(sentences.slice(8), vocab, 22, 6, 1, 5);
  b.predMask.fill(0, 0, 4);
  return { a, b, nWords: 250 };
}

function params(model: MassModel): Float32Array[] {
  return model.parameters().map(([, v]) => v.dataSync() as Float32Array);
}

function maxDiff(x: Float32Array[], y: Float32Array[]): number {
  let d = 0;
  x.forEach((a, i) => a.forEach((v, j) => (d = Math.max(d, Math.abs(v - y[i][j])))));
  return d;
}

test('an update is split into parts by target tokens, each padded to its own longest row', async () => {
  const { a, b } = await realBatches();
  const rowTokens = (x: Seq2SeqBatch) =>
    Array.from({ length: x.bs }, (_, r) => x.predMask.subarray(r * x.tgtLen, (r + 1) * x.tgtLen).reduce((s, m) => s + m, 0));
  // b: rows predict 6 tokens except the first (2): the cut balances tokens, not rows.
  const cuts = splitRows(b, 2);
  assert.deepEqual(cuts, [
    [0, 3],
    [3, 6],
  ]);
  const tokens = cuts.map(([f, t]) =>
    rowTokens(b)
      .slice(f, t)
      .reduce((s, n) => s + n, 0),
  );
  assert.deepEqual(tokens, [14, 18]);
  assert.deepEqual(splitRows(b, 100).length, b.bs);
  // A slice holds exactly its rows, trimmed to its longest source and target rows.
  const part = sliceRows(a, 2, 5);
  const srcLen = Math.max(...Array.from(a.srcLengths.subarray(2, 5)));
  assert.equal(part.bs, 3);
  assert.equal(part.srcLen, srcLen);
  assert.ok(srcLen < a.srcLen, 'the test batch has padding to trim');
  for (let r = 0; r < 3; r++) {
    assert.deepEqual(part.src.subarray(r * srcLen, (r + 1) * srcLen), a.src.subarray((r + 2) * a.srcLen, (r + 2) * a.srcLen + srcLen));
    assert.deepEqual(part.encMask!.subarray(r * srcLen, (r + 1) * srcLen), a.encMask!.subarray((r + 2) * a.srcLen, (r + 2) * a.srcLen + srcLen));
    assert.deepEqual(part.targets.subarray(r * part.tgtLen, (r + 1) * part.tgtLen), a.targets.subarray((r + 2) * a.tgtLen, (r + 2) * a.tgtLen + part.tgtLen));
  }
  assert.equal(
    targetTokenCount(part),
    rowTokens(a)
      .slice(2, 5)
      .reduce((s, n) => s + n, 0),
  );
  // Two micro-batches on two workers: one each, whole; on three workers: each cut in three.
  const whole = planUpdate([a, b], 2);
  assert.deepEqual(whole.parts, [a, b]);
  assert.deepEqual(whole.worker, [0, 1]);
  const cut = planUpdate([a, b], 3);
  assert.deepEqual(cut.worker, [0, 1, 2, 0, 1, 2]);
  assert.deepEqual(cut.source, [0, 0, 0, 1, 1, 1]);
  assert.equal(
    cut.parts.reduce((s, p) => s + targetTokenCount(p), 0),
    targetTokenCount(a) + targetTokenCount(b),
  );
});

test('one worker reproduces Trainer exactly: dropout, accumulation over micro-batches, clipping', async () => {
  await initBackend('wasm');
  const { a, b, nWords } = await realBatches();
  const config = tinyConfig(nWords);
  const opt = () => new AdamInverseSqrt({ lr: 2e-3, warmupUpdates: 2 });
  const reference = MassModel.init(config, 7);
  const model = MassModel.init(config, 7);
  const trainer = new Trainer(reference, opt(), { clipNorm: 1 });
  const parallel = await ParallelTrainer.create(model, opt(), { workers: 1, clipNorm: 1 });
  try {
    let clipped = false;
    for (let i = 0; i < 4; i++) {
      const batches = i % 2 ? [a, b] : [b];
      const want = trainer.step(batches, 100 + i);
      const got = await parallel.step(batches, 100 + i);
      assert.deepEqual(got, want, `step ${i}`);
      clipped ||= want.gradNorm.decoder > 1;
      assert.equal(maxDiff(params(model), params(reference)), 0, `parameters after step ${i}`);
    }
    assert.ok(clipped, 'clipping was exercised');
    const st = parallel.optimizer.state();
    const ref = trainer.optimizer.state();
    assert.equal(st.updates, 4);
    for (const [k, s] of ref.params) {
      assert.equal(st.params.get(k)!.step, s.step);
      assert.deepEqual(st.params.get(k)!.v, s.v, k);
    }
  } finally {
    await parallel.dispose();
    model.dispose();
    reference.dispose();
  }
});

test('two workers equal Trainer on the same parts; the same seed and worker count repeat exactly', async () => {
  await initBackend('wasm');
  const { a, b, nWords } = await realBatches();
  const config = tinyConfig(nWords);
  // MASS's learning rate: Adam divides by √v, so float rounding in near-zero gradient entries (the
  // two workers' sums are rounded differently) moves parameters by up to a fraction of lr: we allow
  // 5% of lr, where a wrong gradient would move them by about lr.
  const opt = () => new AdamInverseSqrt({ lr: 1e-4, warmupUpdates: 2 });
  const updates = [[a], [a, b], [b], [b, a]];
  const reference = MassModel.init(config, 3);
  const trainer = new Trainer(reference, opt());
  const runs: number[][] = [];
  for (let run = 0; run < 2; run++) {
    const model = MassModel.init(config, 3);
    const parallel = await ParallelTrainer.create(model, opt(), { workers: 2 });
    const losses: number[] = [];
    try {
      for (const [i, batches] of updates.entries()) {
        // A single micro-batch is cut in two; two micro-batches go one per worker.
        const parts = planUpdate(batches, 2).parts;
        if (run === 0) {
          const want = trainer.gradients(parts, i);
          const got = await parallel.gradients(batches, i);
          assert.deepEqual([...got.grads.keys()].sort(), [...want.grads.keys()].sort());
          let d = 0;
          for (const [k, g] of want.grads) got.grads.get(k)!.forEach((x, j) => (d = Math.max(d, Math.abs(x - g[j]))));
          assert.ok(d < 1e-6, `gradients differ by ${d} in update ${i}`);
        }
        const got = await parallel.step(batches, i);
        losses.push(got.loss);
        assert.ok(
          parallel.lastProfile!.workers.every((w) => w.tokens > 0),
          'both workers had work',
        );
        if (run > 0) continue;
        const want = trainer.step(parts, i);
        assert.ok(Math.abs(got.loss - want.loss) < 1e-6, `loss ${got.loss} vs ${want.loss}`);
        assert.equal(got.tokens, want.tokens);
        for (const m of ['encoder', 'decoder'] as const) assert.ok(Math.abs(got.gradNorm[m] - want.gradNorm[m]) < 1e-6 * want.gradNorm[m]);
        const d = maxDiff(params(model), params(reference));
        assert.ok(d < 5e-6, `parameters differ by ${d} after update ${i}`);
      }
    } finally {
      await parallel.dispose();
      model.dispose();
    }
    runs.push(losses);
  }
  reference.dispose();
  assert.deepEqual(runs[1], runs[0]);
});

test('tensor count and memory stay flat over 50 parallel steps, in the main thread and in the workers', async () => {
  await initBackend('wasm');
  const { a, nWords } = await realBatches();
  const model = MassModel.init(tinyConfig(nWords), 5);
  const parallel = await ParallelTrainer.create(model, new AdamInverseSqrt({ lr: 1e-3, warmupUpdates: 10 }), { workers: 2 });
  try {
    await parallel.step([a], 0);
    const tensors = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    const inWorkers = parallel.lastProfile!.workers.map((w) => [w.tensors, w.tensorBytes]);
    for (let i = 1; i <= 50; i++) {
      await parallel.step([a], i);
      assert.equal(tf.memory().numTensors, tensors, `tensor count after step ${i}`);
      assert.equal(tf.memory().numBytes, bytes, `bytes after step ${i}`);
      assert.deepEqual(
        parallel.lastProfile!.workers.map((w) => [w.tensors, w.tensorBytes]),
        inWorkers,
        `worker tensors after step ${i}`,
      );
    }
  } finally {
    await parallel.dispose();
    model.dispose();
  }
});

test('running out of wasm memory in a worker is the UserError naming the micro-batch; the trainer stays usable', async () => {
  await initBackend('wasm');
  // 1024 rows of 510 real words (consecutive corpus sentences joined): with 8 heads, one layer's
  // attention scores for a worker's 512 rows need 4.3 GB, more than a wasm heap can hold.
  const sentences = await readSentences(MONO_EN, 40000, 1);
  const words = sentences.flat();
  const rows = Array.from({ length: 1024 }, (_, i) => words.slice(i * 510, (i + 1) * 510));
  assert.equal(rows[1023].length, 510);
  const vocab = whitespaceVocab(rows, 100);
  const huge = massBatch(rows, vocab, 512, 2, 0, 1);
  const small = massBatch(
    rows.slice(0, 4).map((r) => r.slice(0, 12)),
    vocab,
    14,
    4,
    0,
    1,
  );
  const model = MassModel.init(makeModelConfig({ emb_dim: 8, n_heads: 8, n_layers: 1, n_dec_layers: 1, n_words: 100 }), 1);
  const parallel = await ParallelTrainer.create(model, new AdamInverseSqrt(), { workers: 2 });
  const tensors = tf.memory().numTensors;
  try {
    await assert.rejects(
      () => parallel.step([huge], 0),
      (e: Error) => e instanceof UserError && /out of memory.*1024 sentences × 512 source tokens \(524288\)/.test(e.message),
    );
    assert.equal(parallel.optimizer.updates, 0);
    const r = await parallel.step([small], 1);
    assert.ok(Number.isFinite(r.loss) && r.updates === 1);
    assert.equal(tf.memory().numTensors, tensors);
  } finally {
    await parallel.dispose();
    model.dispose();
  }
});

test('a worker that dies fails the step instead of hanging, and every later step fails at once', async () => {
  await initBackend('wasm');
  const { a, nWords } = await realBatches();
  const model = MassModel.init(tinyConfig(nWords), 2);
  const before = params(model);
  const parallel = await ParallelTrainer.create(model, new AdamInverseSqrt(), { workers: 2 });
  try {
    const step = parallel.step([a], 0);
    await parallel.threads[1].terminate();
    await assert.rejects(step, /gradient worker 1 stopped unexpectedly/);
    await assert.rejects(parallel.step([a], 1), /gradient worker 1 stopped unexpectedly/);
    assert.equal(parallel.optimizer.updates, 0);
    assert.equal(maxDiff(params(model), before), 0);
  } finally {
    await parallel.dispose();
    model.dispose();
  }
});

test('a non-finite loss stops the parallel step before any parameter changes', async () => {
  await initBackend('wasm');
  const { a, nWords } = await realBatches();
  const model = MassModel.init(tinyConfig(nWords), 2);
  const w = model.p('encoder.ffns.0.lin1.weight');
  const bad = w.dataSync().slice();
  bad[5] = Infinity;
  const t = tf.tensor(bad, w.shape);
  w.assign(t);
  t.dispose();
  const before = params(model);
  const parallel = await ParallelTrainer.create(model, new AdamInverseSqrt(), { workers: 2 });
  try {
    await assert.rejects(parallel.step([a], 0), (e: Error) => e instanceof UserError && /training diverged at update 1: loss NaN/.test(e.message));
    assert.deepEqual(params(model), before);
    assert.equal(parallel.optimizer.updates, 0);
  } finally {
    await parallel.dispose();
    model.dispose();
  }
});

test('on the cpu backend the workers use cpu too and equal Trainer on the same parts', async () => {
  await initBackend('cpu');
  try {
    const { a, nWords } = await realBatches();
    const config = tinyConfig(nWords, { emb_dim: 16 });
    const reference = MassModel.init(config, 9);
    const model = MassModel.init(config, 9);
    const trainer = new Trainer(reference, new AdamInverseSqrt({ lr: 1e-3, warmupUpdates: 1 }));
    const parallel = await ParallelTrainer.create(model, new AdamInverseSqrt({ lr: 1e-3, warmupUpdates: 1 }), { workers: 2 });
    try {
      for (let i = 0; i < 2; i++) {
        const want = trainer.step(planUpdate([a], 2).parts, i);
        const got = await parallel.step([a], i);
        assert.ok(Math.abs(got.loss - want.loss) < 1e-6, `loss ${got.loss} vs ${want.loss}`);
      }
      assert.ok(maxDiff(params(model), params(reference)) < 1e-6);
    } finally {
      await parallel.dispose();
      model.dispose();
      reference.dispose();
    }
  } finally {
    await initBackend('wasm');
  }
});
