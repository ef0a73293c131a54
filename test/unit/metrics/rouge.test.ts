import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rouge, rougePair, rougeTokenize, type RougeScores } from '../../../server/src/engine/metrics/rouge.js';

// Expected values: Google's rouge-score (with NLTK 3.8's Porter stemmer) on the same text.
// [precision, recall, fmeasure] per type.
type Triple = [number, number, number];
interface Case {
  reference: string;
  candidate: string;
  plain: Record<string, Triple>;
  stem: Record<string, Triple>;
}

// The summaries of the first records of data/corpora/summarization/valid.jsonl.gz, against the
// article's first 12 words and against its first two sentences on two lines.
const CASES: Case[] = [
  {
    reference: 'read .ini-style configuration files',
    candidate: 'Config::IniFiles provides a way to have readable configuration files outside your Perl',
    plain: {
      rouge1: [0.15384615384615385, 0.4, 0.2222222222222222],
      rouge2: [0.08333333333333333, 0.25, 0.125],
      rougeL: [0.15384615384615385, 0.4, 0.2222222222222222],
      rougeLsum: [0.15384615384615385, 0.4, 0.2222222222222222],
    },
    stem: {
      rouge1: [0.15384615384615385, 0.4, 0.2222222222222222],
      rouge2: [0.08333333333333333, 0.25, 0.125],
      rougeL: [0.15384615384615385, 0.4, 0.2222222222222222],
      rougeLsum: [0.15384615384615385, 0.4, 0.2222222222222222],
    },
  },
  {
    reference: 'read .ini-style configuration files',
    candidate:
      'Config::IniFiles provides a way to have readable configuration files outside your Perl script.\nConfigurations can be imported (inherited, stacked, ...), sections can be grouped, and settings can be accessed from a tied hash.',
    plain: {
      rouge1: [0.06060606060606061, 0.4, 0.10526315789473685],
      rouge2: [0.03125, 0.25, 0.05555555555555555],
      rougeL: [0.06060606060606061, 0.4, 0.10526315789473685],
      rougeLsum: [0.06060606060606061, 0.4, 0.10526315789473685],
    },
    stem: {
      rouge1: [0.06060606060606061, 0.4, 0.10526315789473685],
      rouge2: [0.03125, 0.25, 0.05555555555555555],
      rougeL: [0.06060606060606061, 0.4, 0.10526315789473685],
      rougeLsum: [0.06060606060606061, 0.4, 0.10526315789473685],
    },
  },
  {
    reference: 'module to perform DNS queries',
    candidate: 'Net::DNS is a DNS resolver implemented in Perl supporting IPv6. It allows',
    plain: {
      rouge1: [0.07692307692307693, 0.2, 0.1111111111111111],
      rouge2: [0.0, 0.0, 0.0],
      rougeL: [0.07692307692307693, 0.2, 0.1111111111111111],
      rougeLsum: [0.07692307692307693, 0.2, 0.1111111111111111],
    },
    stem: {
      rouge1: [0.07692307692307693, 0.2, 0.1111111111111111],
      rouge2: [0.0, 0.0, 0.0],
      rougeL: [0.07692307692307693, 0.2, 0.1111111111111111],
      rougeLsum: [0.07692307692307693, 0.2, 0.1111111111111111],
    },
  },
  {
    reference: 'module to perform DNS queries',
    candidate:
      'Net::DNS is a DNS resolver implemented in Perl supporting IPv6.\nIt allows the programmer to perform nearly any type of DNS query from a Perl script.',
    plain: {
      rouge1: [0.1111111111111111, 0.6, 0.18750000000000003],
      rouge2: [0.038461538461538464, 0.25, 0.06666666666666668],
      rougeL: [0.1111111111111111, 0.6, 0.18750000000000003],
      rougeLsum: [0.1111111111111111, 0.6, 0.18750000000000003],
    },
    stem: {
      rouge1: [0.14814814814814814, 0.8, 0.25],
      rouge2: [0.07692307692307693, 0.5, 0.13333333333333336],
      rougeL: [0.14814814814814814, 0.8, 0.25],
      rougeLsum: [0.14814814814814814, 0.8, 0.25],
    },
  },
  {
    reference: 'scalable, non-blocking web server and tools - documentation',
    candidate: 'Tornado is a Python web framework and asynchronous networking library, originally developed',
    plain: {
      rouge1: [0.16666666666666666, 0.25, 0.2],
      rouge2: [0.0, 0.0, 0.0],
      rougeL: [0.16666666666666666, 0.25, 0.2],
      rougeLsum: [0.16666666666666666, 0.25, 0.2],
    },
    stem: {
      rouge1: [0.16666666666666666, 0.25, 0.2],
      rouge2: [0.0, 0.0, 0.0],
      rougeL: [0.16666666666666666, 0.25, 0.2],
      rougeLsum: [0.16666666666666666, 0.25, 0.2],
    },
  },
  {
    reference: 'scalable, non-blocking web server and tools - documentation',
    candidate:
      'Tornado is a Python web framework and asynchronous networking library, originally developed at FriendFeed.\nBy using non-blocking network I/O, Tornado can scale to tens of thousands of open connections, making it ideal for long polling, WebSockets, and other applications that require a long-lived connection to each user.',
    plain: {
      rouge1: [0.08, 0.5, 0.13793103448275865],
      rouge2: [0.02040816326530612, 0.14285714285714285, 0.03571428571428571],
      rougeL: [0.06, 0.375, 0.10344827586206896],
      rougeLsum: [0.08, 0.5, 0.13793103448275865],
    },
    stem: {
      rouge1: [0.08, 0.5, 0.13793103448275865],
      rouge2: [0.02040816326530612, 0.14285714285714285, 0.03571428571428571],
      rougeL: [0.06, 0.375, 0.10344827586206896],
      rougeLsum: [0.08, 0.5, 0.13793103448275865],
    },
  },
  {
    reference: 'scalable, non-blocking web server and tools - Python 3 package',
    candidate: 'Tornado is a Python web framework and asynchronous networking library, originally developed',
    plain: {
      rouge1: [0.25, 0.3, 0.2727272727272727],
      rouge2: [0.0, 0.0, 0.0],
      rougeL: [0.16666666666666666, 0.2, 0.1818181818181818],
      rougeLsum: [0.16666666666666666, 0.2, 0.1818181818181818],
    },
    stem: {
      rouge1: [0.25, 0.3, 0.2727272727272727],
      rouge2: [0.0, 0.0, 0.0],
      rougeL: [0.16666666666666666, 0.2, 0.1818181818181818],
      rougeLsum: [0.16666666666666666, 0.2, 0.1818181818181818],
    },
  },
  {
    reference: 'scalable, non-blocking web server and tools - Python 3 package',
    candidate:
      'Tornado is a Python web framework and asynchronous networking library, originally developed at FriendFeed.\nBy using non-blocking network I/O, Tornado can scale to tens of thousands of open connections, making it ideal for long polling, WebSockets, and other applications that require a long-lived connection to each user.',
    plain: {
      rouge1: [0.1, 0.5, 0.16666666666666669],
      rouge2: [0.02040816326530612, 0.1111111111111111, 0.034482758620689655],
      rougeL: [0.06, 0.3, 0.09999999999999999],
      rougeLsum: [0.08, 0.4, 0.13333333333333333],
    },
    stem: {
      rouge1: [0.1, 0.5, 0.16666666666666669],
      rouge2: [0.02040816326530612, 0.1111111111111111, 0.034482758620689655],
      rougeL: [0.06, 0.3, 0.09999999999999999],
      rougeLsum: [0.08, 0.4, 0.13333333333333333],
    },
  },
];

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) <= 1e-12, `${what}: ${actual} vs ${expected}`);
function check(got: RougeScores, expected: Record<string, Triple>, what: string) {
  for (const [type, [p, r, f]] of Object.entries(expected)) {
    close(got[type]!.precision, p, `${what} ${type} P`);
    close(got[type]!.recall, r, `${what} ${type} R`);
    close(got[type]!.fmeasure, f, `${what} ${type} F`);
  }
}

test('ROUGE-1/2/L/Lsum per pair, with and without the stemmer', () => {
  CASES.forEach((c, i) => {
    check(rougePair(c.reference, c.candidate), c.plain, `pair ${i}`);
    check(rougePair(c.reference, c.candidate, { useStemmer: true }), c.stem, `pair ${i} stemmed`);
  });
});

test('ROUGE-Lsum takes the union of LCS hits over candidate lines, each token counted once', () => {
  const reference = 'police de caractères\nglyphes de la police sélectionnée';
  const candidate = 'police glyphes\nde caractères la police\nsélectionnée de';
  const s = rougePair(reference, candidate, { types: ['rougeLsum', 'rougeL'] });
  check(s, { rougeLsum: [1.0, 1.0, 1.0], rougeL: [0.8181818181818182, 0.8181818181818182, 0.8181818181818182] }, 'union');
});

test('the tokenizer keeps [a-z0-9] runs only; stemming skips words of 3 letters or fewer', () => {
  const cases: [string, string[], string[]][] = [
    [
      "L'été, Kelvin K İstanbul: RUNNING-dogs & 3D-printers... généralement",
      ['l', 't', 'kelvin', 'k', 'i', 'stanbul', 'run', 'dog', '3d', 'printer', 'g', 'n', 'ralement'],
      ['l', 't', 'kelvin', 'k', 'i', 'stanbul', 'running', 'dogs', '3d', 'printers', 'g', 'n', 'ralement'],
    ],
    [
      'Connected, connecting, connection! Generalizations; hopefulness — relational',
      ['connect', 'connect', 'connect', 'gener', 'hope', 'relat'],
      ['connected', 'connecting', 'connection', 'generalizations', 'hopefulness', 'relational'],
    ],
  ];
  for (const [text, stemmed, plain] of cases) {
    assert.deepEqual(rougeTokenize(text, true), stemmed);
    assert.deepEqual(rougeTokenize(text), plain);
  }
});

test('averages are plain means over pairs; empty candidates score 0', () => {
  const refs = CASES.map((c) => c.reference);
  const hyps = CASES.map((c) => c.candidate);
  hyps[1] = '';
  const r = rouge(hyps, refs);
  assert.deepEqual(r.pairs[1]!.rouge1, { precision: 0, recall: 0, fmeasure: 0 });
  const mean = r.pairs.reduce((a, p) => a + p.rougeL!.fmeasure, 0) / r.pairs.length;
  assert.equal(r.average.rougeL!.fmeasure, mean);
  assert.throws(() => rouge(hyps, refs.slice(1)), /hypotheses but/);
  assert.throws(() => rougePair('a', 'b', { types: ['rouge0' as 'rouge1'] }), /invalid ROUGE type/);
});
