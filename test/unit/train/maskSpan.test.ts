import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskSpans, getSegments } from '../../../server/src/engine/train/maskSpan.js';
import { maskForValidation } from '../../../server/src/engine/train/validationMask.js';
import { batchSentences, filterByLength } from '../../../server/src/engine/data/datasets.js';
import { MASK_INDEX, PAD_INDEX } from '../../../server/src/engine/text/dictionary.js';
import { pyRound } from '../../../server/src/engine/util/pyRound.js';
import { Rng } from '../../../server/src/engine/util/rng.js';
import { realLines, wordLevelData } from '../../helpers/realText.js';

const opts = { wordMass: 0.5, spanLen: 10000, maskKeepRand: [0.8, 0.1, 0.1] as [number, number, number], nWords: 0 };

/** |observed - expected| within k binomial standard deviations. */
function near(observed: number, expected: number, n: number, k = 4): void {
  const sd = Math.sqrt(Math.max(expected * (1 - expected), 1e-9) / n);
  assert.ok(Math.abs(observed - expected) <= k * sd, `observed ${observed.toFixed(4)} vs expected ${expected.toFixed(4)} (n=${n}, sd=${sd.toFixed(4)})`);
}

test('Python rounding and segments', () => {
  assert.deepEqual([2.5, 3.5, 4.5, 4.4, 4.6].map(pyRound), [2, 4, 4, 4, 5]);
  assert.deepEqual(getSegments(7, 10000), [7]);
  assert.deepEqual(getSegments(7, 3), [3, 3, 1]);
});

test('MASS masking statistics over real sentences match the reference scheme', async () => {
  const lines = await realLines('en-fr', 'mono.en.gz', 6000);
  const { dictionary, data } = wordLevelData(lines);
  const o = { ...opts, nWords: dictionary.size };
  const ids = filterByLength(data, { maxLen: 100, minLen: 5 });
  const rng = new Rng(1234);
  let sentences = 0;
  let startAtOne = 0;
  let endAtLast = 0;
  let expStart = 0;
  let expEnd = 0;
  let masked = 0;
  let asMask = 0;
  let kept = 0;
  for (let at = 0; at < ids.length; at += 16) {
    const batch = batchSentences(data, ids.subarray(at, at + 16));
    const m = maskSpans(batch, 0, o, rng);
    for (let b = 0; b < batch.bs; b++) {
      const len = batch.lengths[b]!;
      const maskLen = Math.min(len - 1, Math.max(1, pyRound(len * 0.5)));
      assert.equal(m.tgtLengths[b], maskLen, 'span length = round(len * word_mass)');
      const pos: number[] = [];
      for (let j = 0; j < m.tgtLen; j++) {
        const t = b * m.tgtLen + j;
        if (!m.predMask[t]) {
          assert.equal(m.tgtIn[t], PAD_INDEX);
          continue;
        }
        const p = m.tgtPositions[t]! + 1;
        pos.push(p);
        // decoder input = original token before, target = original token, at original position - 1
        assert.equal(m.targets[t], batch.x[b * batch.slen + p]);
        assert.equal(m.tgtIn[t], batch.x[b * batch.slen + p - 1]);
        masked++;
        const enc = m.src[b * m.srcLen + p]!;
        if (enc === MASK_INDEX) asMask++;
        else if (enc === batch.x[b * batch.slen + p]) kept++;
        assert.equal(m.encMask![b * m.srcLen + p], enc === MASK_INDEX ? 0 : 1);
      }
      assert.ok(pos[0]! >= 1, 'position 0 is never masked');
      for (let i = 1; i < pos.length; i++) assert.equal(pos[i], pos[i - 1]! + 1, 'one contiguous span');
      // untouched outside the span
      for (let t = 0; t < len; t++) if (!pos.includes(t)) assert.equal(m.src[b * m.srcLen + t], batch.x[b * batch.slen + t]);
      const slots = len - maskLen; // possible start positions 1..slots
      expStart += 0.2 + 0.6 / slots;
      expEnd += 0.2 + 0.6 / slots;
      if (pos[0] === 1) startAtOne++;
      if (pos[pos.length - 1] === len - 1) endAtLast++;
      sentences++;
    }
  }
  assert.ok(sentences > 3000, `enough sentences (${sentences})`);
  near(startAtOne / sentences, expStart / sentences, sentences);
  near(endAtLast / sentences, expEnd / sentences, sentences);
  // 80% [MASK], 10% kept, 10% random (a random id rarely equals [MASK] or the word itself)
  near(asMask / masked, 0.8, masked);
  near(kept / masked, 0.1 + 0.1 / dictionary.size, masked);
});

test('lambda_span splits the mask into chunks placed independently', async () => {
  const lines = await realLines('en-fr', 'mono.en.gz', 400);
  const { dictionary, data } = wordLevelData(lines);
  const ids = filterByLength(data, { maxLen: 100, minLen: 12 });
  const m = maskSpans(batchSentences(data, ids.subarray(0, 64)), 1, { ...opts, spanLen: 2, nWords: dictionary.size }, new Rng(5));
  let fragmented = 0;
  for (let b = 0; b < m.bs; b++) {
    const pos: number[] = [];
    for (let j = 0; j < m.tgtLengths[b]!; j++) pos.push(m.tgtPositions[b * m.tgtLen + j]!);
    let runs = 1;
    for (let i = 1; i < pos.length; i++) {
      if (pos[i] !== pos[i - 1]! + 1) runs++;
    }
    if (runs > 1) fragmented++;
    assert.ok(m.tgtLangs.every((l) => l === 1));
  }
  assert.ok(fragmented > m.bs / 2, `most sentences have several chunks (${fragmented}/${m.bs})`);
});

test('validation masking follows the evaluator (80/15/5, len-1) and is reproducible', async () => {
  const lines = await realLines('en-fr', 'mono.fr.gz', 3000);
  const { dictionary, data } = wordLevelData(lines);
  const ids = filterByLength(data, { maxLen: 100, minLen: 3 });
  const batch = batchSentences(data, ids);
  const a = maskForValidation(batch, 1, 0.5, dictionary.size, new Rng(0));
  const b = maskForValidation(batch, 1, 0.5, dictionary.size, new Rng(0));
  assert.deepEqual(a.src, b.src, 'same seed, same masks');
  let masked = 0;
  let asMask = 0;
  let kept = 0;
  for (let r = 0; r < batch.bs; r++) {
    const len = batch.lengths[r]!;
    assert.equal(a.tgtLengths[r], Math.max(1, pyRound(len * 0.5) - 1));
    for (let j = 0; j < a.tgtLengths[r]!; j++) {
      const p = a.tgtPositions[r * a.tgtLen + j]! + 1;
      masked++;
      const v = a.src[r * a.srcLen + p]!;
      if (v === MASK_INDEX) asMask++;
      else if (v === batch.x[r * batch.slen + p]) kept++;
    }
  }
  near(asMask / masked, 0.8, masked);
  near(kept / masked, 0.05, masked);
});
