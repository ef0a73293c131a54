/**
 * Greedy and beam search on a tiny model trained briefly on real en→fr pairs (wasm backend): the
 * incremental decoders (ours and the model's) agree with whole-prefix decoding token for token, beam 1
 * is greedy, beam scores are the length-penalised sums of log-probabilities a forced decode gives,
 * and batching, limits, processors and cancellation behave.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../server/src/engine/backend/selectBackend.js';
import { tf } from '../../../server/src/engine/backend/tf.js';
import { batchIdLists } from '../../../server/src/engine/data/datasets.js';
import { beamSearch, beamSearchAsync } from '../../../server/src/engine/generate/beamSearch.js';
import { generateGreedy, generateGreedyAsync } from '../../../server/src/engine/generate/greedy.js';
import { InferenceWeights } from '../../../server/src/engine/generate/inferenceWeights.js';
import type { SourceBatch } from '../../../server/src/engine/generate/source.js';
import type { DecoderKind } from '../../../server/src/engine/generate/startDecoder.js';
import { decode } from '../../../server/src/engine/model/decoder.js';
import { encode } from '../../../server/src/engine/model/encoder.js';
import type { MassModel } from '../../../server/src/engine/model/model.js';
import { predictLogits } from '../../../server/src/engine/model/output.js';
import { trainTinyTranslator, type TrainedPairModel } from '../../helpers/trainedModel.js';

const FR = 1;
let trained: TrainedPairModel;
let sources: number[][];

function sourceBatch(sentences: number[][], lang = 0): SourceBatch {
  const b = batchIdLists(sentences);
  return { bs: b.bs, len: b.slen, tokens: b.x, lengths: b.lengths, langs: new Int32Array(b.x.length).fill(lang) };
}

const asLists = (ids: Int32Array[]) => ids.map((s) => Array.from(s));

before(async () => {
  await initBackend('wasm');
  trained = await trainTinyTranslator({ steps: 150 });
  // Held-out sentences and a few training ones (the model is surer of those).
  sources = [...trained.heldOut.slice(0, 10), ...trained.pairs.slice(0, 6).map((p) => p.en)];
});

test('training went somewhere and the outputs are not degenerate', () => {
  assert.ok(trained.losses.at(-1)! < trained.losses[0] - 2, `loss ${trained.losses[0]} → ${trained.losses.at(-1)}`);
  const g = generateGreedy(trained.model, sourceBatch(sources), FR, 40);
  const distinct = new Set(g.ids.map((s) => s.join(' ')));
  assert.ok(distinct.size >= sources.length / 2, `only ${distinct.size} distinct outputs for ${sources.length} sources`);
  assert.ok(
    g.ids.some((s) => new Set(s).size >= 4),
    'some output uses at least 4 different words',
  );
});

test('greedy: cached decoders equal uncached decoding token for token', () => {
  const src = sourceBatch(sources);
  const reference = asLists(generateGreedy(trained.model, src, FR, 40, { decoder: 'uncached' }).ids);
  for (const decoder of ['fast', 'cached'] as DecoderKind[]) {
    const g = generateGreedy(trained.model, src, FR, 40, { decoder });
    assert.deepEqual(asLists(g.ids), reference, decoder);
    assert.deepEqual(
      Array.from(g.lengths),
      reference.map((s) => s.length + 2),
      'lengths count both </s>',
    );
  }
});

test('beam search: cached decoders equal uncached decoding token for token', () => {
  const src = sourceBatch(sources.slice(0, 8));
  const opts = { beamSize: 4, lengthPenalty: 1 };
  const reference = beamSearch(trained.model, src, FR, 30, { ...opts, decoder: 'uncached' });
  for (const decoder of ['fast', 'cached'] as DecoderKind[]) {
    const b = beamSearch(trained.model, src, FR, 30, { ...opts, decoder });
    assert.deepEqual(asLists(b.ids), asLists(reference.ids), decoder);
    b.hypotheses.forEach((hs, i) => {
      assert.deepEqual(
        hs.map((h) => Array.from(h.ids)),
        reference.hypotheses[i].map((h) => Array.from(h.ids)),
        `${decoder}: n-best of sentence ${i}`,
      );
      hs.forEach((h, j) =>
        assert.ok(Math.abs(h.score - reference.hypotheses[i][j].score) < 1e-4, `${decoder}: score ${h.score} vs ${reference.hypotheses[i][j].score}`),
      );
    });
  }
});

test('beam 1 equals greedy (early stopping, and length penalty 0 without it)', () => {
  const src = sourceBatch(sources);
  const greedy = asLists(generateGreedy(trained.model, src, FR, 40).ids);
  assert.deepEqual(asLists(beamSearch(trained.model, src, FR, 40, { beamSize: 1, earlyStopping: true }).ids), greedy);
  assert.deepEqual(asLists(beamSearch(trained.model, src, FR, 40, { beamSize: 1, lengthPenalty: 0 }).ids), greedy);
  // With a length limit that cuts sentences short, too.
  const shortGreedy = asLists(generateGreedy(trained.model, src, FR, 5).ids);
  assert.ok(
    shortGreedy.some((s) => s.length === 3),
    'the limit of 5 cuts some output to 3 words',
  );
  assert.deepEqual(asLists(beamSearch(trained.model, src, FR, 5, { beamSize: 1, earlyStopping: true }).ids), shortGreedy);
});

/** Σ log p(word | prefix) over the words and the final </s>, by one uncached forward pass. */
function forcedLogprob(model: MassModel, source: number[], words: Int32Array, lang: number): number {
  const src = sourceBatch([source]);
  const tgt = [model.config.eos_index, ...words];
  const len = tgt.length;
  return tf.tidy(() => {
    const enc = encode(model, { bs: 1, len: src.len, tokens: src.tokens, lengths: src.lengths, langs: src.langs });
    const h = decode(
      model,
      {
        bs: 1,
        len,
        tokens: Int32Array.from(tgt),
        lengths: Int32Array.of(len),
        langs: new Int32Array(len).fill(lang),
        positions: Int32Array.from({ length: len }, (_, i) => i),
      },
      { out: enc, lengths: src.lengths },
    );
    const logp = tf.logSoftmax(predictLogits(model, 'decoder', tf.reshape(h, [len, -1]) as tf.Tensor2D)).dataSync();
    const n = model.config.n_words;
    let sum = 0;
    [...words, model.config.eos_index].forEach((w, t) => (sum += logp[t * n + w]));
    return sum;
  });
}

test('beam scores are sum(logprobs) / len^length_penalty of a forced decode of each hypothesis', () => {
  const few = sources.slice(0, 6);
  for (const lengthPenalty of [1, 0.6, 2]) {
    // max_len 9 cuts some hypotheses: those end with a forced </s>, scored the same way.
    for (const maxLen of [30, 9]) {
      const b = beamSearch(trained.model, sourceBatch(few), FR, maxLen, { beamSize: 3, lengthPenalty });
      b.hypotheses.forEach((hs, i) => {
        assert.ok(hs.length >= 1);
        for (const h of hs) {
          assert.ok(h.ids.length <= maxLen - 2);
          const sum = forcedLogprob(trained.model, few[i], h.ids, FR);
          const expected = sum / (h.ids.length + 1) ** lengthPenalty;
          assert.ok(Math.abs(h.score - expected) < 1e-4 * Math.max(1, Math.abs(expected)), `lp ${lengthPenalty}: score ${h.score}, recomputed ${expected}`);
        }
        for (let j = 1; j < hs.length; j++) assert.ok(hs[j - 1].score >= hs[j].score, 'best first');
        assert.equal(b.scores[i], hs[0].score);
      });
    }
  }
});

test('a sentence decodes the same alone as in a batch (greedy and beam)', () => {
  const few = sources.slice(0, 5);
  const batchGreedy = asLists(generateGreedy(trained.model, sourceBatch(few), FR, 30).ids);
  const batchBeam = asLists(beamSearch(trained.model, sourceBatch(few), FR, 30, { beamSize: 3 }).ids);
  few.forEach((s, i) => {
    assert.deepEqual(asLists(generateGreedy(trained.model, sourceBatch([s]), FR, 30).ids)[0], batchGreedy[i]);
    assert.deepEqual(asLists(beamSearch(trained.model, sourceBatch([s]), FR, 30, { beamSize: 3 }).ids)[0], batchBeam[i]);
  });
});

test('max_len counts both </s>; per-sentence limits; max_len 2 gives an empty output', () => {
  const few = sources.slice(0, 4);
  const src = sourceBatch(few);
  // min_len beyond the limit forbids </s>: every output is cut at exactly max_len - 2 words.
  const g = generateGreedy(trained.model, src, FR, Int32Array.of(2, 3, 7, 12), { minLen: 100 });
  assert.deepEqual(
    g.ids.map((s) => s.length),
    [0, 1, 5, 10],
  );
  const b = beamSearch(trained.model, src, FR, Int32Array.of(2, 3, 7, 12), { beamSize: 2, minLen: 100 });
  assert.deepEqual(
    b.ids.map((s) => s.length),
    [0, 1, 5, 10],
  );
  // The same limits one sentence at a time give the same words.
  few.forEach((s, i) => {
    const alone = generateGreedy(trained.model, sourceBatch([s]), FR, [2, 3, 7, 12][i], { minLen: 100 });
    assert.deepEqual(Array.from(alone.ids[0]), Array.from(g.ids[i]));
  });
});

test('min_len and no_repeat_ngram constrain every hypothesis', () => {
  const src = sourceBatch(sources);
  const plain = generateGreedy(trained.model, src, FR, 40);
  const minLen = Math.max(...plain.ids.map((s) => s.length)) + 2;
  for (const ids of [generateGreedy(trained.model, src, FR, 40, { minLen }).ids, beamSearch(trained.model, src, FR, 40, { beamSize: 3, minLen }).ids]) {
    for (const s of ids) assert.ok(s.length >= minLen, `${s.length} words < min_len ${minLen}`);
  }
  const bigrams = (s: Int32Array) => Array.from({ length: Math.max(0, s.length - 1) }, (_, i) => `${s[i]} ${s[i + 1]}`);
  assert.ok(
    plain.ids.some((s) => new Set(bigrams(s)).size < bigrams(s).length),
    'without the constraint some output repeats a bigram',
  );
  const greedy2 = generateGreedy(trained.model, src, FR, 40, { noRepeatNgram: 2 });
  const beam2 = beamSearch(trained.model, src, FR, 40, { beamSize: 3, noRepeatNgram: 2 });
  for (const s of [...greedy2.ids, ...beam2.hypotheses.flat().map((h) => h.ids)])
    assert.equal(new Set(bigrams(s)).size, bigrams(s).length, `repeated bigram in ${s}`);
});

test('no tensor is left behind; reused weights give the same output; an abort stops between steps', async () => {
  const src = sourceBatch(sources.slice(0, 4));
  const before = tf.memory().numTensors;
  const plain = generateGreedy(trained.model, src, FR, 30);
  beamSearch(trained.model, src, FR, 30, { beamSize: 3 });
  assert.equal(tf.memory().numTensors, before);
  const weights = InferenceWeights.build(trained.model, FR);
  assert.deepEqual(asLists(generateGreedy(trained.model, src, FR, 30, { weights }).ids), asLists(plain.ids));
  assert.deepEqual(asLists((await generateGreedyAsync(trained.model, src, FR, 30, { weights })).ids), asLists(plain.ids));
  weights.dispose();
  assert.equal(tf.memory().numTensors, before);

  const controller = new AbortController();
  const running = beamSearchAsync(trained.model, src, FR, 30, { beamSize: 3, minLen: 100, signal: controller.signal });
  setImmediate(() => controller.abort());
  await assert.rejects(running, (e: Error) => e.name === 'AbortError');
  assert.equal(tf.memory().numTensors, before, 'an aborted search frees its tensors');
  assert.throws(
    () => generateGreedy(trained.model, src, FR, 30, { signal: AbortSignal.abort() }),
    (e: Error) => e.name === 'AbortError',
  );
  assert.throws(() => generateGreedy(trained.model, src, 7, 30), /target language id 7 out of range/);
  const badToken = { ...src, tokens: Int32Array.from(src.tokens, (t, i) => (i === 1 ? 1_000_000 : t)) };
  assert.throws(() => beamSearch(trained.model, badToken, FR, 30, { beamSize: 2 }), /source token id 1000000 out of range/);
  assert.throws(() => generateGreedy(trained.model, src, FR, 1), /max_len must be an integer >= 2/);
});
