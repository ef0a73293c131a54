import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sacreBleu, sentenceBleu, countTokenizedPeriods, type SacreBleuOptions } from '../../../server/src/engine/metrics/sacreBleu.js';
import { tokenize13a, tokenizeIntl } from '../../../server/src/engine/metrics/bleuTokenizers.js';
import { HYPS, REFS, REFS2 } from './sampleLines.js';

// Expected values: sacreBLEU 2.6.0 (Python 3.11) on the same lines.
const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);

interface Expected {
  score: number;
  formatted: string;
  signature: string;
  counts: number[];
  totals: number[];
}
const CORPUS: [string, SacreBleuOptions, Expected][] = [
  [
    'default',
    {},
    {
      score: 34.79058055467652,
      formatted: 'BLEU = 34.79 80.8/60.6/39.1/19.3 (BP = 0.794 ratio = 0.812 hyp_len = 78 ref_len = 96)',
      signature: 'nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0',
      counts: [63, 43, 25, 11],
      totals: [78, 71, 64, 57],
    },
  ],
  [
    'lc',
    { lowercase: true },
    {
      score: 38.24893914026704,
      formatted: 'BLEU = 38.25 83.3/64.8/43.8/22.8 (BP = 0.794 ratio = 0.812 hyp_len = 78 ref_len = 96)',
      signature: 'nrefs:1|case:lc|eff:no|tok:13a|smooth:exp|version:2.6.0',
      counts: [65, 46, 28, 13],
      totals: [78, 71, 64, 57],
    },
  ],
  [
    'none',
    { tokenize: 'none' },
    {
      score: 33.398756694990105,
      formatted: 'BLEU = 33.40 76.1/54.7/36.8/20.0 (BP = 0.798 ratio = 0.816 hyp_len = 71 ref_len = 87)',
      signature: 'nrefs:1|case:mixed|eff:no|tok:none|smooth:exp|version:2.6.0',
      counts: [54, 35, 21, 10],
      totals: [71, 64, 57, 50],
    },
  ],
  [
    'char',
    { tokenize: 'char' },
    {
      score: 63.36457696305127,
      formatted: 'BLEU = 63.36 92.5/85.5/81.3/77.6 (BP = 0.754 ratio = 0.780 hyp_len = 400 ref_len = 513)',
      signature: 'nrefs:1|case:mixed|eff:no|tok:char|smooth:exp|version:2.6.0',
      counts: [370, 336, 314, 294],
      totals: [400, 393, 386, 379],
    },
  ],
  [
    'intl',
    { tokenize: 'intl' },
    {
      score: 40.350478857041765,
      formatted: 'BLEU = 40.35 82.1/63.6/44.3/27.0 (BP = 0.807 ratio = 0.824 hyp_len = 84 ref_len = 102)',
      signature: 'nrefs:1|case:mixed|eff:no|tok:intl|smooth:exp|version:2.6.0',
      counts: [69, 49, 31, 17],
      totals: [84, 77, 70, 63],
    },
  ],
  [
    'floor',
    { smoothMethod: 'floor' },
    {
      score: 34.79058055467652,
      formatted: 'BLEU = 34.79 80.8/60.6/39.1/19.3 (BP = 0.794 ratio = 0.812 hyp_len = 78 ref_len = 96)',
      signature: 'nrefs:1|case:mixed|eff:no|tok:13a|smooth:floor[0.10]|version:2.6.0',
      counts: [63, 43, 25, 11],
      totals: [78, 71, 64, 57],
    },
  ],
  [
    'addk',
    { smoothMethod: 'add-k' },
    {
      score: 35.692177092502334,
      formatted: 'BLEU = 35.69 80.8/61.1/40.0/20.7 (BP = 0.794 ratio = 0.812 hyp_len = 78 ref_len = 96)',
      signature: 'nrefs:1|case:mixed|eff:no|tok:13a|smooth:add-k[1.00]|version:2.6.0',
      counts: [63, 44, 26, 12],
      totals: [78, 72, 65, 58],
    },
  ],
  [
    'nosmooth',
    { smoothMethod: 'none' },
    {
      score: 34.79058055467652,
      formatted: 'BLEU = 34.79 80.8/60.6/39.1/19.3 (BP = 0.794 ratio = 0.812 hyp_len = 78 ref_len = 96)',
      signature: 'nrefs:1|case:mixed|eff:no|tok:13a|smooth:none|version:2.6.0',
      counts: [63, 43, 25, 11],
      totals: [78, 71, 64, 57],
    },
  ],
  [
    'eff',
    { effectiveOrder: true },
    {
      score: 34.79058055467652,
      formatted: 'BLEU = 34.79 80.8/60.6/39.1/19.3 (BP = 0.794 ratio = 0.812 hyp_len = 78 ref_len = 96)',
      signature: 'nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0',
      counts: [63, 43, 25, 11],
      totals: [78, 71, 64, 57],
    },
  ],
];

test('corpus BLEU under each tokenizer and smoothing sacreBLEU offers', () => {
  for (const [name, options, e] of CORPUS) {
    const s = sacreBleu(HYPS, [REFS], options);
    close(s.score, e.score, name);
    assert.equal(s.formatted, e.formatted, name);
    assert.equal(s.signature, e.signature, name);
    assert.deepEqual(s.counts, e.counts, name);
    assert.deepEqual(s.totals, e.totals, name);
  }
});

test('corpus BLEU with two references', () => {
  const s = sacreBleu(HYPS, [REFS, REFS2]);
  const e: Expected = {
    score: 45.07798658898135,
    formatted: 'BLEU = 45.08 83.3/66.2/46.9/28.1 (BP = 0.868 ratio = 0.876 hyp_len = 78 ref_len = 89)',
    signature: 'nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0',
    counts: [65, 47, 30, 16],
    totals: [78, 71, 64, 57],
  };
  close(s.score, e.score, '2 refs');
  assert.equal(s.formatted, e.formatted);
  assert.equal(s.signature, e.signature);
  assert.deepEqual(s.counts, e.counts);
});

const SENTENCE: { score: number; formatted: string; two: number }[] = [
  { score: 22.355093096292105, formatted: 'BLEU = 22.36 71.4/46.2/16.7/4.5 (BP = 1.000 ratio = 1.000 hyp_len = 14 ref_len = 14)', two: 22.355093096292105 },
  { score: 53.107253497886994, formatted: 'BLEU = 53.11 75.0/63.6/50.0/33.3 (BP = 1.000 ratio = 1.091 hyp_len = 12 ref_len = 11)', two: 53.107253497886994 },
  { score: 44.68310718440574, formatted: 'BLEU = 44.68 100.0/83.3/60.0/25.0 (BP = 0.751 ratio = 0.778 hyp_len = 7 ref_len = 9)', two: 44.68310718440574 },
  { score: 46.713797772819994, formatted: 'BLEU = 46.71 80.0/55.6/37.5/28.6 (BP = 1.000 ratio = 1.000 hyp_len = 10 ref_len = 10)', two: 65.80370064762461 },
  { score: 36.369318955245326, formatted: 'BLEU = 36.37 87.5/60.0/35.7/15.4 (BP = 0.882 ratio = 0.889 hyp_len = 16 ref_len = 18)', two: 65.25452579142075 },
  { score: 0.0, formatted: 'BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 0.000 ratio = 0.000 hyp_len = 0 ref_len = 14)', two: 0.0 },
  { score: 37.99178428257963, formatted: 'BLEU = 37.99 70.0/55.6/37.5/14.3 (BP = 1.000 ratio = 1.000 hyp_len = 10 ref_len = 10)', two: 37.99178428257963 },
  { score: 53.417359568998464, formatted: 'BLEU = 53.42 88.9/75.0/57.1/33.3 (BP = 0.895 ratio = 0.900 hyp_len = 9 ref_len = 10)', two: 59.694917920196445 },
];

test('sentence BLEU (effective order, exp smoothing), one and two references', () => {
  HYPS.forEach((h, i) => {
    const s = sentenceBleu(h, [REFS[i]!]);
    close(s.score, SENTENCE[i]!.score, `line ${i + 1}`);
    assert.equal(s.formatted, SENTENCE[i]!.formatted);
    assert.equal(s.signature, 'nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0');
    close(sentenceBleu(h, [REFS[i]!, REFS2[i]!]).score, SENTENCE[i]!.two, `line ${i + 1}, 2 refs`);
  });
});

test('signatures name non-default settings', () => {
  assert.equal(
    sacreBleu(HYPS, [REFS], { smoothMethod: 'floor', smoothValue: 0.3, lowercase: true }).signature,
    'nrefs:1|case:lc|eff:no|tok:13a|smooth:floor[0.30]|version:2.6.0',
  );
  assert.equal(sentenceBleu(HYPS[0]!, [REFS[0]!, REFS2[0]!], { tokenize: 'none' }).signature, 'nrefs:2|case:mixed|eff:yes|tok:none|smooth:exp|version:2.6.0');
});

test('13a tokenizer, including entities, <skipped> and hyphenated line breaks', () => {
  const cases: [string, string][] = [
    [
      'Le paquet fournit la collection de routines de gestion SoundFont, appelée AWElib.',
      'Le paquet fournit la collection de routines de gestion SoundFont , appelée AWElib .',
    ],
    ['système de sauvegarde/capture simple − interface graphique', 'système de sauvegarde / capture simple − interface graphique'],
    [
      "Version 3.14, voir http://example.org/a?b=1&amp;c=2 (AT&amp;T &lt;tag&gt; &quot;x&quot;) 1990-2000 [ok] {x} ~y `z` n'est pas",
      'Version 3.14 , voir http : / / example . org / a ? b = 1 & c = 2 ( AT & T < tag > " x " ) 1990 - 2000 [ ok ] { x } ~ y ` z ` n\'est pas',
    ],
    ['ligne-\nsuite<skipped> fin.', 'lignesuite fin .'],
    ['12.5% , 3,5 ; «guillemets» etc.,voilà', '12.5 % , 3,5 ; «guillemets» etc . , voilà'],
  ];
  for (const [input, expected] of cases) assert.equal(tokenize13a(input), expected);
});

test('intl tokenizer on Unicode punctuation and symbols', () => {
  const cases: [string, string][] = [
    [
      'Le paquet fournit la collection de routines de gestion SoundFont, appelée AWElib.',
      'Le paquet fournit la collection de routines de gestion SoundFont , appelée AWElib .',
    ],
    ['système de sauvegarde/capture simple − interface graphique', 'système de sauvegarde / capture simple − interface graphique'],
    [
      "Version 3.14, voir http://example.org/a?b=1&amp;c=2 (AT&amp;T &lt;tag&gt; &quot;x&quot;) 1990-2000 [ok] {x} ~y `z` n'est pas",
      "Version 3.14 , voir http : / / example . org / a ? b = 1 & amp ; c = 2 ( AT & amp ; T & lt ; tag & gt ; & quot ; x & quot ; ) 1990-2000 [ ok ] { x } ~ y ` z ` n ' est pas",
    ],
    ['ligne-\nsuite<skipped> fin.', 'ligne - suite < skipped > fin .'],
    ['12.5% , 3,5 ; «guillemets» etc.,voilà', '12.5 % , 3,5 ; « guillemets » etc . , voilà'],
  ];
  for (const [input, expected] of cases) assert.equal(tokenizeIntl(input), expected);
});

test('an empty hypothesis scores 0 and keeps the reference length', () => {
  const s = sentenceBleu('', [REFS[1]!]);
  assert.equal(s.score, 0);
  assert.equal(s.formatted, 'BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 0.000 ratio = 0.000 hyp_len = 0 ref_len = 11)');
});

test('tokenized-period count, the basis of sacreBLEU\'s "detokenize your data" warning', () => {
  assert.equal(countTokenizedPeriods(['un paquet .', 'un paquet.', 'fin .', '']), 2);
});

test('bad input is refused', () => {
  assert.throws(() => sacreBleu([], [[]]), /no hypotheses/);
  assert.throws(() => sacreBleu(HYPS, [REFS.slice(2)]), /reference set 0 has 6 lines/);
  assert.throws(() => sacreBleu(HYPS, [REFS], { maxNgramOrder: 0 }), /maxNgramOrder/);
});
