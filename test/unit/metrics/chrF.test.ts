import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chrF, sentenceChrF, type ChrFOptions } from '../../../server/src/engine/metrics/chrF.js';
import { HYPS, REFS, REFS2 } from './sampleLines.js';

// Expected values: sacreBLEU 2.6.0 (Python 3.11) on the same lines.
const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);

const CORPUS: [string, ChrFOptions, { score: number; formatted: string; signature: string }][] = [
  ['chrf', {}, { score: 65.05336698897494, formatted: 'chrF2 = 65.05', signature: 'nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0' }],
  [
    'chrf++',
    { wordOrder: 2 },
    { score: 63.65715815955538, formatted: 'chrF2++ = 63.66', signature: 'nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0' },
  ],
  [
    'ws',
    { whitespace: true },
    { score: 67.4600373114496, formatted: 'chrF2 = 67.46', signature: 'nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:yes|version:2.6.0' },
  ],
  [
    'eps',
    { epsSmoothing: true },
    { score: 65.053256159273, formatted: 'chrF2 = 65.05', signature: 'nrefs:1|case:mixed|eff:no|nc:6|nw:0|space:no|version:2.6.0' },
  ],
  ['lc', { lowercase: true }, { score: 66.8332222856379, formatted: 'chrF2 = 66.83', signature: 'nrefs:1|case:lc|eff:yes|nc:6|nw:0|space:no|version:2.6.0' }],
];

test("corpus chrF and chrF++ with sacreBLEU's options", () => {
  for (const [name, options, e] of CORPUS) {
    const s = chrF(HYPS, [REFS], options);
    close(s.score, e.score, name);
    assert.equal(s.formatted, e.formatted, name);
    assert.equal(s.signature, e.signature, name);
  }
});

test('chrF++ with two references keeps the better one per line', () => {
  const s = chrF(HYPS, [REFS, REFS2], { wordOrder: 2 });
  const e = { score: 65.92761796217766, formatted: 'chrF2++ = 65.93', signature: 'nrefs:2|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0' };
  close(s.score, e.score, '2 refs');
  assert.equal(s.signature, e.signature);
  assert.ok(s.score > chrF(HYPS, [REFS], { wordOrder: 2 }).score);
});

const SENTENCE: { chrf: number; chrfpp: number }[] = [
  { chrf: 66.39918828356436, chrfpp: 64.49719341047546 },
  { chrf: 83.02608121388545, chrfpp: 80.90505491900636 },
  { chrf: 83.02873010266991, chrfpp: 81.38587866717798 },
  { chrf: 79.70114737602401, chrfpp: 76.72411980699142 },
  { chrf: 61.46334433128492, chrfpp: 62.86940425912106 },
  { chrf: 0.0, chrfpp: 0.0 },
  { chrf: 80.42250336173375, chrfpp: 76.01897414448308 },
  { chrf: 71.88036548432135, chrfpp: 72.66266532618447 },
];

test('sentence chrF and chrF++', () => {
  HYPS.forEach((h, i) => {
    close(sentenceChrF(h, [REFS[i]!]).score, SENTENCE[i]!.chrf, `line ${i + 1}`);
    close(sentenceChrF(h, [REFS[i]!], { wordOrder: 2 }).score, SENTENCE[i]!.chrfpp, `line ${i + 1} ++`);
  });
  assert.equal(sentenceChrF(REFS[0]!, [REFS[0]!]).score, 100);
  assert.equal(sentenceChrF('', [REFS[0]!]).score, 0);
});

test('characters are code points (emoji), and chrF++ splits punctuation off word ends', () => {
  const hyp = 'Paquet 😀 (test) émoji';
  const ref = 'Paquet 😀😀 test émojis';
  close(sentenceChrF(hyp, [ref]).score, 53.08036462448227, 'chrF');
  close(sentenceChrF(hyp, [ref], { wordOrder: 2 }).score, 42.808800637037855, 'chrF++');
});

test('names: chrF2, chrF2++, chrF1+', () => {
  assert.equal(chrF(HYPS, [REFS]).name, 'chrF2');
  assert.equal(chrF(HYPS, [REFS], { wordOrder: 2 }).name, 'chrF2++');
  assert.equal(chrF(HYPS, [REFS], { wordOrder: 1, beta: 1 }).name, 'chrF1+');
});
