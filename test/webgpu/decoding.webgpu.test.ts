/**
 * Greedy and beam decoding on the webgpu backend (the model's own key/value cache, results read back
 * asynchronously) give the same words as wasm for a tiny model trained briefly on real en→fr pairs,
 * and repeated translations leave no tensor or GPU memory behind.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertOnWebgpu, useWebgpu } from '../helpers/webgpu.js';
import { trainTinyTranslator, type TrainedPairModel } from '../helpers/trainedModel.js';
import { initBackend } from '../../server/src/engine/backend/selectBackend.js';
import { tf } from '../../server/src/engine/backend/tf.js';
import { batchIdLists } from '../../server/src/engine/data/datasets.js';
import { beamSearch, beamSearchAsync } from '../../server/src/engine/generate/beamSearch.js';
import { generateGreedy, generateGreedyAsync } from '../../server/src/engine/generate/greedy.js';
import type { SourceBatch } from '../../server/src/engine/generate/source.js';
import { resolveDecoderKind } from '../../server/src/engine/generate/startDecoder.js';
import { MassModel } from '../../server/src/engine/model/model.js';
import { BatchStream } from '../../server/src/engine/data/batching.js';
import { packSentences } from '../../server/src/engine/data/binarized.js';
import { backTranslationBatch, backTranslationBatchAsync } from '../../server/src/engine/train/stepBatches.js';

const FR = 1;
let trained: TrainedPairModel;
let weights: Map<string, { shape: number[]; data: Float32Array }>;
let sources: number[][];

function sourceBatch(sentences: number[][]): SourceBatch {
  const b = batchIdLists(sentences);
  return { bs: b.bs, len: b.slen, tokens: b.x, lengths: b.lengths, langs: new Int32Array(b.x.length).fill(0) };
}
const asLists = (ids: Int32Array[]) => ids.map((s) => Array.from(s));

before(async () => {
  await initBackend('wasm');
  trained = await trainTinyTranslator({ steps: 150 });
  weights = new Map(await trained.model.stateDictValues());
  sources = [...trained.heldOut.slice(0, 8), ...trained.pairs.slice(0, 4).map((p) => p.en)];
});

/** The trained weights as a model on the webgpu backend. */
async function webgpuModel(): Promise<MassModel> {
  await useWebgpu();
  return MassModel.fromStateDict(trained.model.config, (n) => weights.get(n), 'the trained tiny model');
}

test('greedy and beam outputs on webgpu = wasm, word for word', async (t) => {
  await initBackend('wasm');
  const src = sourceBatch(sources);
  const wantGreedy = asLists(generateGreedy(trained.model, src, FR, 30).ids);
  const wantBeam = beamSearch(trained.model, src, FR, 30, { beamSize: 4, lengthPenalty: 1 });
  const model = await webgpuModel();
  try {
    assert.equal(resolveDecoderKind('auto'), 'cached', "webgpu decodes with the model's own cache");
    const greedy = asLists((await generateGreedyAsync(model, src, FR, 30)).ids);
    const beam = await beamSearchAsync(model, src, FR, 30, { beamSize: 4, lengthPenalty: 1 });
    assertOnWebgpu();
    assert.ok(
      wantGreedy.some((s) => s.length > 2),
      'the model says something',
    );
    assert.deepEqual(greedy, wantGreedy, 'greedy');
    assert.deepEqual(asLists(beam.ids), asLists(wantBeam.ids), 'beam 4');
    const scoreDiff = Math.max(...beam.scores.map((s, i) => Math.abs(s - wantBeam.scores[i]!)));
    t.diagnostic(`${sources.length} sentences, identical; beam scores max |Δ| ${scoreDiff.toExponential(2)}`);
    assert.ok(scoreDiff < 1e-3, `beam scores differ by ${scoreDiff}`);
    // the synchronous API cannot wait for a GPU read: it says so instead of returning wrong words
    assert.throws(() => generateGreedy(model, src, FR, 30), /only asynchronously/);
  } finally {
    model.dispose();
  }
});

test("back-translation's batch on webgpu (decoded asynchronously) = wasm's", async (t) => {
  const sentences = sources.slice(0, 6);
  const { offsets, tokens } = packSentences(sentences, trained.dictionary.size);
  const mono = {
    header: {
      version: 1 as const,
      dtype: 'uint16' as const,
      nSentences: sentences.length,
      nTokens: tokens.length,
      dictionary: trained.dictionary.fingerprint(),
      source: {},
    },
    offsets,
    tokens,
  };
  const stream = () =>
    new BatchStream(
      'bt-en',
      Int32Array.from(sentences.keys()),
      new Int32Array(sentences.length).fill(5),
      { tokensPerBatch: -1, batchSize: sentences.length, maxBatchSize: 0, groupBySize: false },
      1,
    );
  await initBackend('wasm');
  const want = backTranslationBatch(trained.model, stream(), mono, 0, FR);
  const model = await webgpuModel();
  try {
    const got = await backTranslationBatchAsync(model, stream(), mono, 0, FR);
    assertOnWebgpu();
    assert.deepEqual(got, want);
    t.diagnostic(`${got.bs} sentences back-translated, ${got.srcLen}-token synthetic sources, identical`);
  } finally {
    model.dispose();
  }
});

test('tensors and GPU memory flat over repeated translations', async (t) => {
  const model = await webgpuModel();
  try {
    const src = sourceBatch(sources.slice(0, 4));
    const usage = () => {
      const m = tf.memory() as { numTensors: number; numBytesAllocatedInGPU?: number };
      return { tensors: m.numTensors, gpu: m.numBytesAllocatedInGPU };
    };
    await generateGreedyAsync(model, src, FR, 20);
    await beamSearchAsync(model, src, FR, 20, { beamSize: 3 });
    const start = usage();
    // 200 translations (issue 16): 25 rounds of a greedy and a beam decode of the same 4 sentences
    for (let i = 0; i < 25; i++) {
      await generateGreedyAsync(model, src, FR, 20);
      await beamSearchAsync(model, src, FR, 20, { beamSize: 3 });
      assert.deepEqual(usage(), start, `after ${8 * (i + 1)} translations`);
    }
    assertOnWebgpu();
    t.diagnostic(`${start.tensors} tensors, ${start.gpu} bytes allocated on the GPU after every round, 200 translations`);
  } finally {
    model.dispose();
  }
});
