import { test } from 'node:test';
import assert from 'node:assert/strict';
import { multiBleu } from '../../../server/src/engine/metrics/multiBleu.js';
import { HYPS, REFS, REFS2 } from './sampleLines.js';

// Expected lines: the stdout of moses-smt multi-bleu.perl (Perl 5.36) on the same lines.
test('prints exactly what multi-bleu.perl prints, with one and two references', () => {
  assert.equal(multiBleu(HYPS, [REFS]).line, 'BLEU = 33.40, 76.1/54.7/36.8/20.0 (BP=0.798, ratio=0.816, hyp_len=71, ref_len=87)');
  assert.equal(multiBleu(HYPS, [REFS, REFS2]).line, 'BLEU = 44.61, 78.9/60.9/45.6/30.0 (BP=0.881, ratio=0.887, hyp_len=71, ref_len=80)');
});

test('-lc lowercases ASCII only, as Perl lc on bytes does', () => {
  assert.equal(multiBleu(HYPS, [REFS], { lowercase: true }).line, 'BLEU = 36.04, 78.9/59.4/40.4/22.0 (BP=0.798, ratio=0.816, hyp_len=71, ref_len=87)');
  // "ÉCRAN" stays unequal to "écran"; "Noir" matches "noir".
  const hyps = ['Le\tpaquet\vfournit\fla  collection\u00a0de routines', 'ÉCRAN Noir'];
  const refs = ['Le paquet fournit la collection de routines', 'écran noir'];
  assert.equal(multiBleu(hyps, [refs]).line, 'BLEU = 42.16, 62.5/50.0/50.0/33.3 (BP=0.882, ratio=0.889, hyp_len=8, ref_len=9)');
  assert.equal(multiBleu(hyps, [refs], { lowercase: true }).line, 'BLEU = 44.12, 75.0/50.0/50.0/33.3 (BP=0.882, ratio=0.889, hyp_len=8, ref_len=9)');
});

test('splits on ASCII whitespace only (a no-break space joins two words)', () => {
  const r = multiBleu(['la  collection\u00a0de'], [['la collection de']]);
  assert.equal(r.hypLen, 2);
  assert.equal(r.refLen, 3);
});

test('of two references equally far in length, the shorter one counts', () => {
  const r = multiBleu(['paquet de données PostgreSQL'], [['paquet de données'], ['un paquet de données PostgreSQL']]);
  assert.equal(r.line, 'BLEU = 100.00, 100.0/100.0/100.0/100.0 (BP=1.000, ratio=1.333, hyp_len=4, ref_len=3)');
  assert.equal(r.refLen, 3);
});

test('empty hypothesis lines add reference length only', () => {
  const withEmpty = multiBleu(HYPS, [REFS]);
  assert.equal(HYPS[5], '');
  const without = multiBleu(
    HYPS.filter((_, i) => i !== 5),
    [REFS.filter((_, i) => i !== 5)],
  );
  assert.equal(withEmpty.hypLen, without.hypLen);
  assert.equal(withEmpty.refLen, without.refLen + REFS[5]!.split(' ').length);
  assert.deepEqual(withEmpty.precisions, without.precisions);
});

test('all-empty references: the literal line multi-bleu.perl prints', () => {
  const r = multiBleu(['un deux', 'trois'], [['', '']]);
  assert.equal(r.line, 'BLEU = 0, 0/0/0/0 (BP=0, ratio=0, hyp_len=0, ref_len=0)');
  assert.equal(r.score, 0);
});

test('all-empty hypotheses: score 0 with a warning where multi-bleu.perl dies', () => {
  const r = multiBleu(['', ''], [[REFS[0]!, REFS[1]!]]);
  assert.equal(r.score, 0);
  assert.equal(r.line, 'BLEU = 0.00, 0.0/0.0/0.0/0.0 (BP=0.000, ratio=0.000, hyp_len=0, ref_len=21)');
  assert.match(r.warning ?? '', /division by zero/);
});

test('identical text scores 100 and the fields agree with the line', () => {
  const r = multiBleu(REFS, [REFS]);
  assert.equal(r.line, 'BLEU = 100.00, 100.0/100.0/100.0/100.0 (BP=1.000, ratio=1.000, hyp_len=87, ref_len=87)');
  assert.equal(r.bp, 1);
  const d = multiBleu(HYPS, [REFS]);
  assert.ok(Math.abs(d.score - 33.4) < 0.005);
  assert.equal(d.hypLen, 71);
});

test('reference sets must match the hypotheses in length', () => {
  assert.throws(() => multiBleu(HYPS, [REFS.slice(1)]), /reference set 0 has 7 lines, the hypotheses 8/);
  assert.throws(() => multiBleu(HYPS, []), /at least one reference/);
});
