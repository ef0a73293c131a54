import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { initBackend } from '../../../server/src/engine/backend/selectBackend.js';
import { tf } from '../../../server/src/engine/backend/tf.js';
import { makeModelConfig, modelConfigFromJson } from '../../../server/src/engine/model/config.js';
import { MassModel } from '../../../server/src/engine/model/model.js';
import { loadModel, saveModel } from '../../../server/src/engine/model/checkpoint.js';
import { readSafetensors } from '../../../server/src/engine/model/safetensors.js';
import { stateDictKeys } from '../../../server/src/engine/model/parameters.js';
import { encode } from '../../../server/src/engine/model/encoder.js';
import { decode, decodeStep, startDecoding } from '../../../server/src/engine/model/decoder.js';
import { predictLogits } from '../../../server/src/engine/model/output.js';
import { Dropout } from '../../../server/src/engine/model/dropout.js';
import { seq2seqLoss, sourceInput } from '../../../server/src/engine/model/seq2seqLoss.js';
import { UserError } from '../../../server/src/engine/errors.js';
import { CORPORA, MASS_PARITY, tempDir } from '../../helpers/paths.js';
import { massBatch, readSentences, whitespaceVocab, EOS } from '../../helpers/massBatch.js';

const fixtureFile = join(MASS_PARITY, 'weights.safetensors');

async function fixtureConfig() {
  const f = await readSafetensors(fixtureFile);
  return { file: f, config: modelConfigFromJson(JSON.parse(f.metadata.config), fixtureFile) };
}

test('parameter names, order and shapes are exactly the reference state_dict', async () => {
  const { file, config } = await fixtureConfig();
  const keys = stateDictKeys(config);
  assert.deepEqual(keys, [...file.tensors.keys()]);
  await initBackend('cpu');
  const model = MassModel.init(config, 7);
  try {
    for (const [k, v] of model.stateDict()) assert.deepEqual(v.shape, file.tensors.get(k)!.shape, k);
    assert.equal(model.p('decoder.pred_layer.proj.weight'), model.p('decoder.embeddings.weight'), 'output projection tied to the embeddings');
    const distinct = [...file.tensors.entries()].filter(([k]) => !k.endsWith('pred_layer.proj.weight')).reduce((n, [, t]) => n + t.data.length, 0);
    assert.equal(model.parameterCount(), distinct);
  } finally {
    model.dispose();
  }
});

test('initialisation follows the reference and is reproducible from the seed', async () => {
  await initBackend('cpu');
  const config = makeModelConfig({ emb_dim: 64, n_heads: 4, n_layers: 1, n_dec_layers: 1, n_words: 500 });
  const a = MassModel.init(config, 11);
  const b = MassModel.init(config, 11);
  const c = MassModel.init(config, 12);
  try {
    const emb = a.p('encoder.embeddings.weight').dataSync();
    const d = config.emb_dim;
    let ss = 0;
    for (let i = 0; i < emb.length; i++) ss += emb[i] * emb[i];
    const std = Math.sqrt(ss / (emb.length - d));
    assert.ok(Math.abs(std - d ** -0.5) < 0.01 * d ** -0.5 * 3, `embedding std ${std}`);
    assert.ok(
      emb.slice(config.pad_index * d, (config.pad_index + 1) * d).every((v) => v === 0),
      'pad row is zero',
    );
    const w = a.p('decoder.ffns.0.lin2.weight').dataSync(); // Linear(hidden → emb): U(±1/√hidden)
    const bound = 1 / Math.sqrt(config.hidden_dim);
    assert.ok(w.every((v) => Math.abs(v) <= bound) && Math.max(...w.map(Math.abs)) > 0.95 * bound);
    assert.ok(
      a
        .p('encoder.layer_norm1.0.weight')
        .dataSync()
        .every((v) => v === 1),
    );
    assert.ok(
      a
        .p('encoder.layer_norm1.0.bias')
        .dataSync()
        .every((v) => v === 0),
    );
    for (const [k, v] of a.parameters()) assert.deepEqual(v.dataSync(), b.p(k).dataSync(), k);
    assert.notDeepEqual(a.p('encoder.attentions.0.q_lin.weight').dataSync(), c.p('encoder.attentions.0.q_lin.weight').dataSync());
  } finally {
    a.dispose();
    b.dispose();
    c.dispose();
  }
});

test('save → load through safetensors gives the same parameters; mismatches are UserErrors', async () => {
  await initBackend('wasm');
  const { config } = await fixtureConfig();
  const model = await loadModel(fixtureFile);
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'm.safetensors');
    await saveModel(model, path, { step: '3' });
    const back = await loadModel(path);
    try {
      assert.deepEqual(back.config, config);
      for (const [k, v] of model.parameters()) assert.deepEqual(back.p(k).dataSync(), v.dataSync(), k);
      assert.equal((await readSafetensors(path)).metadata.step, '3');
    } finally {
      back.dispose();
    }
    const wrong = { ...config, hidden_dim: config.hidden_dim * 2 };
    await assert.rejects(loadModel(path, wrong), (e: Error) => e instanceof UserError && /encoder\.ffns\.0\.lin1\.weight' has shape/.test(e.message));
  } finally {
    cleanup();
    model.dispose();
  }
});

for (const backend of ['wasm', 'cpu'] as const) {
  test(`incremental decoding with a key/value cache equals full decoding (${backend})`, async () => {
    await initBackend(backend);
    const model = await loadModel(fixtureFile);
    const sentences = await readSentences(join(CORPORA, 'en-fr', 'valid.fr.gz'), 3, 4, 12);
    const vocab = whitespaceVocab(sentences, model.config.n_words);
    const batch = massBatch(sentences, vocab, 14, 5, 1, 3);
    const before = tf.memory().numTensors;
    try {
      const steps = 6;
      const bs = batch.bs;
      // A target prefix: </s> then real tokens of each sentence, positions 0..steps-1, language 1.
      const tokens = new Int32Array(bs * steps);
      for (let b = 0; b < bs; b++) {
        tokens[b * steps] = EOS;
        for (let t = 1; t < steps; t++) tokens[b * steps + t] = batch.src[b * batch.srcLen + t] === 5 ? 7 : batch.src[b * batch.srcLen + t];
      }
      const positions = Int32Array.from({ length: bs * steps }, (_, i) => i % steps);
      const memory = { lengths: batch.srcLengths, encMask: batch.encMask };
      const full = tf.tidy(() => {
        const enc = encode(model, sourceInput(batch));
        const dec = decode(
          model,
          { bs, len: steps, tokens, positions, lengths: new Int32Array(bs).fill(steps), langs: new Int32Array(bs * steps).fill(1) },
          { ...memory, out: enc },
        );
        return predictLogits(model, 'decoder', tf.reshape(dec, [bs * steps, -1]) as tf.Tensor2D).arraySync() as number[][];
      });
      const enc = tf.tidy(() => encode(model, sourceInput(batch)));
      const state = startDecoding(model, { ...memory, out: enc }, 1);
      let maxDiff = 0;
      for (let t = 0; t < steps; t++) {
        const step = Int32Array.from({ length: bs }, (_, b) => tokens[b * steps + t]);
        const h = decodeStep(model, state, step);
        const logits = tf.tidy(() => predictLogits(model, 'decoder', h).arraySync() as number[][]);
        h.dispose();
        for (let b = 0; b < bs; b++) logits[b].forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - full[b * steps + t][j]))));
      }
      // Beam-search style reordering keeps rows consistent with their history.
      state.select(Int32Array.from([2, 0]));
      const h = decodeStep(model, state, Int32Array.from([tokens[2 * steps + 1], tokens[1]]));
      assert.deepEqual(h.shape, [2, model.config.emb_dim]);
      h.dispose();
      state.dispose();
      enc.dispose();
      assert.ok(maxDiff < 1e-5, `cached vs full logits differ by ${maxDiff}`);
      assert.equal(tf.memory().numTensors, before, 'decoding leaves no tensor behind');
    } finally {
      model.dispose();
    }
  });
}

test('dropout is reproducible from its seed and off without one', async () => {
  await initBackend('wasm');
  const { config } = await fixtureConfig();
  const model = await loadModel(fixtureFile, { ...config, dropout: 0.1, attention_dropout: 0.1 });
  const sentences = await readSentences(join(CORPORA, 'en-fr', 'mono.en.gz'), 4, 5, 20);
  const batch = massBatch(sentences, whitespaceVocab(sentences, config.n_words), 22, 6, 0, 5);
  const loss = (opts: Parameters<typeof seq2seqLoss>[2]) => tf.tidy(() => seq2seqLoss(model, batch, opts).dataSync()[0]);
  try {
    const a = loss({ dropout: new Dropout(42) });
    assert.equal(loss({ dropout: new Dropout(42) }), a);
    assert.notEqual(loss({ dropout: new Dropout(43) }), a);
    assert.equal(loss({}), loss({}));
    assert.notEqual(loss({}), a);
  } finally {
    model.dispose();
  }
});

test('inputs outside the model are UserErrors', async () => {
  await initBackend('cpu');
  const config = makeModelConfig({ emb_dim: 16, n_heads: 2, n_layers: 1, n_dec_layers: 1, n_words: 50, n_max_positions: 8 });
  const model = MassModel.init(config, 1);
  try {
    const input = { bs: 1, len: 9, tokens: new Int32Array(9).fill(7), lengths: Int32Array.from([9]), langs: new Int32Array(9) };
    assert.throws(
      () => tf.tidy(() => encode(model, input)),
      (e: Error) => e instanceof UserError && /position id 8 out of range \[0, 8\).*n_max_positions = 8/.test(e.message),
    );
    assert.throws(
      () => tf.tidy(() => encode(model, { ...input, len: 1, tokens: Int32Array.from([50]), lengths: Int32Array.from([1]), langs: new Int32Array(1) })),
      /token id 50 out of range/,
    );
    assert.throws(
      () => makeModelConfig({ emb_dim: 30, n_heads: 4, n_words: 10 }),
      (e: Error) => e instanceof UserError && /emb_dim \(30\) must be a multiple of n_heads \(4\)/.test(e.message),
    );
  } finally {
    model.dispose();
  }
});
