import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { multiBleu } from '../../server/src/engine/metrics/multiBleu.js';
import { sacreBleu, sentenceBleu, type BleuScore } from '../../server/src/engine/metrics/sacreBleu.js';
import { chrF, sentenceChrF } from '../../server/src/engine/metrics/chrF.js';
import { rouge, rougeTokenize, type RougeType } from '../../server/src/engine/metrics/rouge.js';
import { NLP_PARITY } from '../helpers/paths.js';

// Scores of the original tools (multi-bleu.perl, sacreBLEU 2.6.0, rouge-score + NLTK 3.8) in the
// NLP parity fixture; whatever systems and pairs its expected.json files list are checked. Floats
// agree to ~1e-14 (libm's log/exp vs V8's differ in the last bit); strings exactly.
const BLEU_DIR = join(NLP_PARITY, 'bleu');
const ROUGE_DIR = join(NLP_PARITY, 'rouge');
const TOLERANCE = 1e-9;

function readLines(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= TOLERANCE * Math.max(1, Math.abs(expected)), `${what}: ${actual}, expected ${expected}`);
}

interface ExpectedBleu {
  score: number;
  formatted: string;
  counts: number[];
  totals: number[];
  precisions: number[];
  bp: number;
  ratio: number;
  sys_len: number;
  ref_len: number;
  signature?: string;
}
interface ExpectedSystem {
  hypothesis: string;
  multi_bleu_raw: string;
  multi_bleu_tokenized: string;
  sacrebleu_bleu: ExpectedBleu & { signature: string };
  sacrebleu_chrf: { score: number; formatted: string; signature: string };
  sacrebleu_chrf_plus_plus: { score: number; formatted: string; signature: string };
  sentence_first_50: (ExpectedBleu & { line: number; chrf: number })[];
}
interface ExpectedBleuFile {
  reference: string;
  systems: Record<string, ExpectedSystem>;
  sentence_bleu_signature: string;
  sentence_chrf_signature: string;
}

function checkBleu(got: BleuScore, e: ExpectedBleu, what: string): void {
  close(got.score, e.score, `${what} score`);
  assert.equal(got.formatted, e.formatted, `${what} formatted`);
  assert.deepEqual(got.counts, e.counts, `${what} counts`);
  assert.deepEqual(got.totals, e.totals, `${what} totals`);
  e.precisions.forEach((p, k) => close(got.precisions[k]!, p, `${what} precision ${k + 1}`));
  close(got.bp, e.bp, `${what} bp`);
  close(got.ratio, e.ratio, `${what} ratio`);
  assert.equal(got.sysLen, e.sys_len, `${what} sys_len`);
  assert.equal(got.refLen, e.ref_len, `${what} ref_len`);
}

const bleuExpected = JSON.parse(readFileSync(join(BLEU_DIR, 'expected.json'), 'utf8')) as ExpectedBleuFile;
const ref = readLines(join(BLEU_DIR, bleuExpected.reference));
const tokRef = readLines(join(BLEU_DIR, 'tok', bleuExpected.reference));

test('the BLEU fixture lists systems', () => {
  assert.ok(Object.keys(bleuExpected.systems).length > 0);
});

for (const [name, e] of Object.entries(bleuExpected.systems)) {
  const hyp = readLines(join(BLEU_DIR, e.hypothesis));

  test(`${name}: multi-bleu.perl lines, raw and Moses-tokenized`, () => {
    assert.equal(multiBleu(hyp, [ref]).line, e.multi_bleu_raw);
    assert.equal(multiBleu(readLines(join(BLEU_DIR, 'tok', e.hypothesis)), [tokRef]).line, e.multi_bleu_tokenized);
  });

  test(`${name}: sacreBLEU corpus BLEU, chrF, chrF++`, () => {
    const bleu = sacreBleu(hyp, [ref]);
    checkBleu(bleu, e.sacrebleu_bleu, 'BLEU');
    assert.equal(bleu.signature, e.sacrebleu_bleu.signature);
    for (const [got, exp] of [
      [chrF(hyp, [ref]), e.sacrebleu_chrf],
      [chrF(hyp, [ref], { wordOrder: 2 }), e.sacrebleu_chrf_plus_plus],
    ] as const) {
      close(got.score, exp.score, exp.formatted);
      assert.equal(got.formatted, exp.formatted);
      assert.equal(got.signature, exp.signature);
    }
  });

  test(`${name}: sentence BLEU and chrF`, () => {
    assert.ok(e.sentence_first_50.length > 0);
    for (const s of e.sentence_first_50) {
      const i = s.line - 1;
      const bleu = sentenceBleu(hyp[i]!, [ref[i]!]);
      checkBleu(bleu, s, `line ${s.line}`);
      assert.equal(bleu.signature, bleuExpected.sentence_bleu_signature);
      const chrf = sentenceChrF(hyp[i]!, [ref[i]!]);
      close(chrf.score, s.chrf, `line ${s.line} chrF`);
      assert.equal(chrf.signature, bleuExpected.sentence_chrf_signature);
    }
  });
}

interface Prf {
  precision: number;
  recall: number;
  fmeasure: number;
}
interface ExpectedRouge {
  rouge_types: RougeType[];
  settings: Record<
    string,
    {
      use_stemmer: boolean;
      average: Record<string, Prf>;
      pairs: { n: number; reference_tokens: string[]; candidate_tokens: string[]; scores: Record<string, Prf> }[];
    }
  >;
}

const rougeExpected = JSON.parse(readFileSync(join(ROUGE_DIR, 'expected.json'), 'utf8')) as ExpectedRouge;
const pairs = readLines(join(ROUGE_DIR, 'pairs.jsonl')).map((l) => JSON.parse(l) as { n: number; reference: string; candidate: string });

for (const [setting, e] of Object.entries(rougeExpected.settings)) {
  test(`ROUGE (${setting}): tokens, per-pair and average scores`, () => {
    assert.equal(e.pairs.length, pairs.length);
    const result = rouge(
      pairs.map((p) => p.candidate),
      pairs.map((p) => p.reference),
      { types: rougeExpected.rouge_types, useStemmer: e.use_stemmer },
    );
    e.pairs.forEach((exp, k) => {
      const pair = pairs[k]!;
      assert.equal(pair.n, exp.n);
      assert.deepEqual(rougeTokenize(pair.reference, e.use_stemmer), exp.reference_tokens, `pair ${exp.n} reference tokens`);
      assert.deepEqual(rougeTokenize(pair.candidate, e.use_stemmer), exp.candidate_tokens, `pair ${exp.n} candidate tokens`);
      for (const type of rougeExpected.rouge_types) {
        for (const m of ['precision', 'recall', 'fmeasure'] as const) close(result.pairs[k]![type]![m], exp.scores[type]![m], `pair ${exp.n} ${type} ${m}`);
      }
    });
    for (const type of rougeExpected.rouge_types) {
      for (const m of ['precision', 'recall', 'fmeasure'] as const) close(result.average[type]![m], e.average[type]![m], `average ${type} ${m}`);
    }
  });
}
