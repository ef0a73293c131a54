/**
 * The step decoders on random-init models of several configurations (GELU/ReLU, attention_setting
 * v1/v2, one or two languages), on the cpu and wasm backends: fed the same tokens, with rows reordered
 * and dropped between steps as beam search does, the cached decoders' logits equal whole-prefix
 * decoding's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../server/src/engine/backend/selectBackend.js';
import { tf } from '../../../server/src/engine/backend/tf.js';
import { startDecoder, type DecoderKind } from '../../../server/src/engine/generate/startDecoder.js';
import type { StepOutput } from '../../../server/src/engine/generate/stepDecoder.js';
import { makeModelConfig, type ModelConfig } from '../../../server/src/engine/model/config.js';
import { MassModel } from '../../../server/src/engine/model/model.js';
import { readSentences, whitespaceVocab } from '../../helpers/massBatch.js';
import { CORPORA } from '../../helpers/paths.js';
import { join } from 'node:path';

const configs: [string, Partial<ModelConfig>][] = [
  ['gelu, v1, 2 languages', { gelu_activation: true, attention_setting: 'v1', n_langs: 2 }],
  ['relu, v2, 2 languages', { gelu_activation: false, attention_setting: 'v2', n_langs: 2 }],
  ['gelu, v1, 1 language', { gelu_activation: true, attention_setting: 'v1', n_langs: 1 }],
];

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function realSource(nWords: number) {
  const sentences = await readSentences(join(CORPORA, 'en-fr', 'valid.en.gz'), 3, 4, 12);
  const vocab = whitespaceVocab(sentences, nWords);
  const rows = sentences.map((s) => [1, ...s.map((w) => vocab.id(w)), 1]);
  const len = Math.max(...rows.map((r) => r.length));
  const tokens = new Int32Array(rows.length * len).fill(2);
  rows.forEach((r, b) => tokens.set(r, b * len));
  return { bs: rows.length, len, tokens, lengths: Int32Array.from(rows, (r) => r.length), langs: new Int32Array(rows.length * len) };
}

for (const backend of ['cpu', 'wasm'] as const) {
  for (const [name, extra] of configs) {
    test(`${backend}, ${name}: fast and cached steps equal whole-prefix decoding`, async () => {
      await initBackend(backend);
      const config = makeModelConfig({ emb_dim: 32, n_heads: 4, n_layers: 2, n_dec_layers: 2, n_words: 200, ...extra });
      const model = MassModel.init(config, 3);
      const src = await realSource(config.n_words);
      const lang = config.n_langs - 1;
      const before = tf.memory().numTensors;
      const kinds: DecoderKind[] = ['uncached', 'cached', 'fast'];
      const decoders = kinds.map((k) => startDecoder(model, src, lang, 8, k));
      try {
        // Step tokens per row; after step 1, rows become [2, 0, 0] (a reorder with a duplicate), after
        // step 3 [1] (two rows dropped).
        const schedule: { tokens: number[]; select?: number[] }[] = [
          { tokens: [1, 1, 1] },
          { tokens: [20, 31, 42], select: [2, 0, 0] },
          { tokens: [50, 51, 52] },
          { tokens: [60, 61, 62], select: [1] },
          { tokens: [70] },
          { tokens: [71] },
        ];
        schedule.forEach((s, pos) => {
          // wasm and cpu read synchronously
          const outs = decoders.map((d) => d.step(Int32Array.from(s.tokens), pos, pos % 2 === 0) as StepOutput);
          for (let k = 1; k < kinds.length; k++) {
            assert.equal(outs[k].logits.length, s.tokens.length * config.n_words);
            assert.ok(maxDiff(outs[k].logits, outs[0].logits) < 2e-4, `${kinds[k]} step ${pos}: max |Δlogit| = ${maxDiff(outs[k].logits, outs[0].logits)}`);
            if (pos % 2 === 0) {
              assert.equal(outs[k].lse!.length, s.tokens.length);
              assert.ok(maxDiff(outs[k].lse!, outs[0].lse!) < 2e-4, `${kinds[k]} step ${pos}: max |Δlse| = ${maxDiff(outs[k].lse!, outs[0].lse!)}`);
            }
          }
          // lse is log Σ exp(logits) of each row
          if (pos === 0) {
            const { logits, lse } = outs[2];
            for (let r = 0; r < s.tokens.length; r++) {
              let sum = 0;
              for (let w = 0; w < config.n_words; w++) sum += Math.exp(logits[r * config.n_words + w]);
              assert.ok(Math.abs(Math.log(sum) - lse![r]) < 1e-5);
            }
          }
          if (s.select) for (const d of decoders) d.select(Int32Array.from(s.select));
        });
        for (const d of decoders) d.dispose();
        assert.equal(tf.memory().numTensors, before, 'decoders free everything they made');
      } finally {
        for (const d of decoders) d.dispose();
        model.dispose();
      }
    });
  }
}
