import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, parseMetricList } from '../../../server/src/engine/metrics/evaluate.js';
import { multiBleu } from '../../../server/src/engine/metrics/multiBleu.js';
import { NLP_PARITY } from '../../helpers/paths.js';

const lines = (...p: string[]) =>
  readFileSync(join(NLP_PARITY, ...p), 'utf8')
    .split('\n')
    .slice(0, -1);

test('metric lists: order kept, duplicates and case folded, unknown names reported', () => {
  assert.deepEqual(parseMetricList('chrf++, BLEU,bleu,,rouge'), { metrics: ['chrf++', 'bleu', 'rouge'], unknown: [] });
  assert.deepEqual(parseMetricList('bleu,meteor').unknown, ['meteor']);
});

test('--remove-bpe: BPE text scores as its plain form (real fastBPE output)', () => {
  const bpe = lines('bpe', 'heldout.bpe.fr');
  const plain = lines('bpe', 'heldout.fr');
  const raw = evaluate(bpe, [plain], { metrics: ['bleu'] });
  const undone = evaluate(bpe, [plain], { metrics: ['bleu'], removeBpe: true });
  assert.ok(raw.bleu!.score < 90);
  assert.equal(undone.bleu!.score, 100);
  assert.equal(undone.bleu!.line, multiBleu(plain, [plain]).line);
});

test('warnings: tokenized text under sacreBLEU, either way', () => {
  const hyp = lines('bleu', 'tok', 'hyp.noise10.fr');
  const ref = lines('bleu', 'tok', 'ref.fr');
  const undeclared = evaluate(hyp, [ref], { metrics: ['sacrebleu'] });
  assert.match(undeclared.warnings.join('\n'), /^304 hypotheses end in a tokenized period/);
  const declared = evaluate(hyp, [ref], { metrics: ['bleu', 'sacrebleu'], tokenized: true });
  assert.match(declared.warnings.join('\n'), /not comparable with published/);
  const multiBleuOnly = evaluate(hyp, [ref], { metrics: ['bleu'], tokenized: true });
  assert.deepEqual(multiBleuOnly.warnings, []);
  assert.equal(multiBleuOnly.sacrebleu, undefined);
});

test('every metric in one call, with the options passed through', () => {
  const hyp = lines('bleu', 'hyp.noise25.fr');
  const ref = lines('bleu', 'ref.fr');
  const r = evaluate(hyp, [ref], {
    metrics: ['bleu', 'sacrebleu', 'chrf', 'chrf++', 'rouge'],
    lowercase: true,
    rougeStemmer: true,
    sacreBleu: { tokenize: 'none' },
  });
  assert.equal(r.lines, 500);
  assert.equal(r.references, 1);
  assert.match(r.sacrebleu!.signature, /case:lc\|eff:no\|tok:none/);
  assert.match(r.chrf!.signature, /case:lc\|eff:yes\|nc:6\|nw:0/);
  assert.match(r['chrf++']!.signature, /nw:2/);
  assert.equal(r.rouge!.useStemmer, true);
  assert.deepEqual(Object.keys(r.rouge!.average), ['rouge1', 'rouge2', 'rougeL', 'rougeLsum']);
  assert.ok(r.bleu!.score > 0 && r.bleu!.score < 100);
  assert.throws(() => evaluate(hyp, [ref, ref], { metrics: ['rouge'] }), /exactly one reference/);
});
