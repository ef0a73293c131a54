import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BeamHypotheses } from '../../../server/src/engine/generate/beamHypotheses.js';
import { lengthPenalized } from '../../../server/src/engine/generate/lengthPenalty.js';
import { buildProcessors, minLengthProcessor, noRepeatNgramProcessor } from '../../../server/src/engine/generate/logitsProcessors.js';
import { topCandidates } from '../../../server/src/engine/generate/topCandidates.js';

const ids = (...w: number[]) => Int32Array.from(w);

test('length penalty: sum / len^lp', () => {
  assert.equal(lengthPenalized(-6, 3, 1), -2);
  assert.equal(lengthPenalized(-6, 3, 0), -6);
  assert.equal(lengthPenalized(-8, 4, 0.5), -4);
});

test('BeamHypotheses keeps the n best, tracks the worst, and stops as XLM does', () => {
  const h = new BeamHypotheses(2, 10, 1, false);
  h.add(ids(5, 6), -3); // score -1
  h.add(ids(7), -4); // score -2
  assert.equal(h.size, 2);
  h.add(ids(8, 9, 10), -12); // score -3: worse than the worst, not kept
  assert.deepEqual(
    h.sorted().map((x) => x.score),
    [-1, -2],
  );
  h.add(ids(11, 12, 13), -6); // score -1.5 replaces -2
  assert.deepEqual(
    h.sorted().map((x) => Array.from(x.ids)),
    [
      [5, 6],
      [11, 12, 13],
    ],
  );
  assert.equal(h.sorted()[0].sumLogprobs, -3);
  // Not done while a live beam could still beat the worst (-1.5) at the longest length (10 - 1 = 9).
  assert.equal(h.isDone(-13), false); // -13/9 > -1.5
  assert.equal(h.isDone(-13.5), true); // -13.5/9 = -1.5
  const early = new BeamHypotheses(2, 10, 1, true);
  early.add(ids(1), -1);
  assert.equal(early.isDone(0), false, 'fewer than n hypotheses');
  early.add(ids(2), -1);
  assert.equal(early.isDone(0), true);
});

test('topCandidates: best first over several rows, ties in row-major order, banned tokens skipped', () => {
  const n = 4;
  const scores = Float32Array.from([-1, -2, -Infinity, -0.5, -0.25, -3, -1, -1]);
  const base = Float64Array.from([0, -1]);
  const c = topCandidates(scores, n, base, 0, 2, 4);
  assert.deepEqual(
    c.map((x) => [x.row, x.word, x.value]),
    [
      [0, 3, -0.5],
      [0, 0, -1],
      [1, 0, -1.25],
      [0, 1, -2],
    ],
  );
  const all = topCandidates(scores, n, base, 0, 1, 10);
  assert.deepEqual(
    all.map((x) => x.word),
    [3, 0, 1],
    '-Infinity never qualifies',
  );
  const ties = topCandidates(Float32Array.from([0, 0, 0, 0]), 2, Float64Array.from([0, 0]), 0, 2, 3);
  assert.deepEqual(
    ties.map((x) => [x.row, x.word]),
    [
      [0, 0],
      [0, 1],
      [1, 0],
    ],
  );
});

test('min length bans </s> until enough words; no-repeat-ngram bans what would repeat an n-gram', () => {
  const row = () => new Float32Array(10);
  const a = row();
  minLengthProcessor(3, 1).apply(a, 0, [4, 5]);
  assert.equal(a[1], -Infinity);
  const b = row();
  minLengthProcessor(3, 1).apply(b, 0, [4, 5, 6]);
  assert.equal(b[1], 0);

  // ... 4 5 7 ... 4 5 | next: 7 would repeat "4 5 7"
  const c = new Float32Array(20);
  noRepeatNgramProcessor(3).apply(c, 10, [4, 5, 7, 8, 4, 5]);
  assert.deepEqual(
    Array.from(c.slice(10))
      .map((v, i) => (v === -Infinity ? i : -1))
      .filter((i) => i >= 0),
    [7],
  );
  assert.ok(
    c.slice(0, 10).every((v) => v === 0),
    'other rows untouched',
  );
  const d = row();
  noRepeatNgramProcessor(2).apply(d, 0, [3, 4, 3, 5, 3]);
  assert.deepEqual(
    Array.from(d)
      .map((v, i) => (v === -Infinity ? i : -1))
      .filter((i) => i >= 0),
    [4, 5],
  );
  const e = row();
  noRepeatNgramProcessor(1).apply(e, 0, [2, 6]);
  assert.deepEqual(
    Array.from(e)
      .map((v, i) => (v === -Infinity ? i : -1))
      .filter((i) => i >= 0),
    [2, 6],
  );
  const f = row();
  noRepeatNgramProcessor(3).apply(f, 0, [4, 5]);
  assert.ok(
    f.every((v) => v === 0),
    'too short to repeat anything',
  );
  assert.throws(() => buildProcessors({ minLen: -1 }, 1), /min_len/);
  assert.throws(() => buildProcessors({ noRepeatNgram: 1.5 }, 1), /no_repeat_ngram/);
  assert.equal(buildProcessors({}, 1).length, 0);
});
