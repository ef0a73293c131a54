/**
 * Full-size models are read and written one tensor at a time (issue 17, item 5): the streaming writer
 * writes the same bytes as the whole-file serialiser, the lazy reader reads what the whole-file parser
 * reads, and a model read lazily decodes exactly as the same model built in memory, with its tied
 * copies checked and its file closed with it.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '../../../server/src/engine/backend/selectBackend.js';
import { openCheckpointModel } from '../../../server/src/engine/checkpoint/safetensorsCheckpoint.js';
import { CHECKPOINT_FORMAT } from '../../../server/src/engine/checkpoint/format.js';
import { UserError } from '../../../server/src/engine/errors.js';
import { beamSearch } from '../../../server/src/engine/generate/beamSearch.js';
import { generateGreedy } from '../../../server/src/engine/generate/greedy.js';
import { makeModelConfig } from '../../../server/src/engine/model/config.js';
import { MassModel } from '../../../server/src/engine/model/model.js';
import { parseSafetensors, serializeSafetensors } from '../../../server/src/engine/model/safetensors.js';
import { SafetensorsReader } from '../../../server/src/engine/model/safetensorsReader.js';
import { writeSafetensorsStreaming } from '../../../server/src/engine/model/safetensorsWriter.js';
import { tempDir } from '../../helpers/paths.js';

before(async () => {
  await initBackend('wasm');
});

const config = makeModelConfig({
  emb_dim: 16,
  n_heads: 4,
  n_layers: 2,
  n_dec_layers: 2,
  hidden_dim: 64,
  n_words: 40,
  n_langs: 2,
  id2lang: { 0: 'en', 1: 'fr' },
});

async function writeModel(model: MassModel, path: string, tamper?: (name: string, data: Float32Array) => Float32Array): Promise<void> {
  const values = await model.stateDictValues();
  const meta = { model: config, langs: ['en', 'fr'], tasks: [], kind: 'test' };
  await writeSafetensorsStreaming(
    path,
    values.map(([name, t]) => [name, { shape: t.shape, values: () => (tamper ? tamper(name, t.data) : t.data) }]),
    { format: CHECKPOINT_FORMAT, meta: JSON.stringify(meta), vocab: '', codes: '' },
  );
}

test('the streaming writer writes what the whole-file serialiser does; the lazy reader reads what the parser does', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const a = Float32Array.from([1.5, -2, 3.25, 0, Math.PI, -0]);
    const b = Float32Array.from([7, 8]);
    const path = join(dir, 'x.safetensors');
    const md = { note: 'hello' };
    await writeSafetensorsStreaming(
      path,
      [
        ['a', { shape: [2, 3], values: () => a }],
        ['b', { shape: [2], values: () => b, dtype: 'F16' }],
        ['a2', { shape: [2, 3], values: () => a }],
      ],
      md,
    );
    const bytes = readFileSync(path);
    const whole = serializeSafetensors(
      [
        ['a', { shape: [2, 3], data: a }],
        ['b', { shape: [2], data: b, dtype: 'F16' }],
        ['a2', { shape: [2, 3], data: a }],
      ],
      md,
    );
    assert.deepEqual(new Uint8Array(bytes), whole);
    const parsed = parseSafetensors(bytes, path);
    const r = SafetensorsReader.open(path);
    try {
      assert.deepEqual(r.metadata, parsed.metadata);
      assert.deepEqual([...r.places.keys()], [...parsed.tensors.keys()]);
      for (const [name, t] of parsed.tensors) assert.deepEqual(r.read(name), t, name);
      assert.equal(r.read('nope'), undefined);
      assert.equal(r.sameBytes('a', 'a2'), true);
      assert.equal(r.sameBytes('a', 'b'), false);
    } finally {
      r.close();
    }
    assert.throws(() => r.read('a'), /read after close/);
  } finally {
    cleanup();
  }
});

test('a broken file is refused when opened, naming it', () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'bad.safetensors');
    writeFileSync(path, Buffer.from([200, 0, 0, 0, 0, 0, 0, 0, 123]));
    assert.throws(
      () => SafetensorsReader.open(path),
      (e: Error) => e instanceof UserError && e.message.includes(path) && /header length 200/.test(e.message),
    );
    assert.throws(() => SafetensorsReader.open(join(dir, 'absent')), /cannot read \(ENOENT\)/);
  } finally {
    cleanup();
  }
});

test('a model read lazily from its file decodes exactly as the model in memory (greedy and beam, fast and cached decoders)', async () => {
  const { dir, cleanup } = tempDir();
  const model = MassModel.init(config, 7);
  try {
    const path = join(dir, 'm.safetensors');
    await writeModel(model, path);
    const { model: lazy, meta } = openCheckpointModel(path);
    try {
      assert.equal(meta.kind, 'test');
      assert.equal(lazy.parameterCount(), model.parameterCount());
      const row = Int32Array.from([1, 20, 21, 22, 23, 24, 1]);
      const src = { bs: 1, len: row.length, tokens: row, lengths: Int32Array.of(row.length), langs: new Int32Array(row.length) };
      for (const lang of [0, 1]) {
        const want = generateGreedy(model, src, lang, 12, { decoder: 'fast', minLen: 10 }).ids[0];
        assert.deepEqual(generateGreedy(lazy, src, lang, 12, { decoder: 'fast', minLen: 10 }).ids[0], want);
        const beam = beamSearch(model, src, lang, 12, { decoder: 'fast', beamSize: 3 }).ids[0];
        assert.deepEqual(beamSearch(lazy, src, lang, 12, { decoder: 'fast', beamSize: 3 }).ids[0], beam);
      }
      // The model's own (non-fast) decoder makes the variables it needs on first use.
      assert.deepEqual(
        generateGreedy(lazy, src, 1, 12, { decoder: 'cached', minLen: 10 }).ids[0],
        generateGreedy(model, src, 1, 12, { decoder: 'cached', minLen: 10 }).ids[0],
      );
    } finally {
      lazy.dispose();
    }
  } finally {
    model.dispose();
    cleanup();
  }
});

test('a tied copy that differs from its tensor is refused when the model is opened, and the file is closed', async () => {
  const { dir, cleanup } = tempDir();
  const model = MassModel.init(config, 8);
  try {
    const path = join(dir, 'untied.safetensors');
    await writeModel(model, path, (name, data) => (name === 'decoder.pred_layer.proj.weight' ? data.map((v, i) => (i === 3 ? v + 1 : v)) : data));
    assert.throws(() => openCheckpointModel(path), /'decoder\.pred_layer\.proj\.weight' differs from 'decoder\.embeddings\.weight'/);
  } finally {
    model.dispose();
    cleanup();
  }
});
