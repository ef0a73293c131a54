import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { multiBleu } from '../../server/src/engine/metrics/multiBleu.js';
import { NLP_PARITY, ROOT, tempDir } from '../helpers/paths.js';

// `mass eval` end to end on the NLP parity fixture (run from source, so no build is needed).
const BLEU = join(NLP_PARITY, 'bleu');
const expected = JSON.parse(readFileSync(join(BLEU, 'expected.json'), 'utf8'));

function mass(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'server/src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('readable report: the multi-bleu.perl line and the sacreBLEU strings as the tools print them', () => {
  const e = expected.systems['noise25'];
  const r = mass('eval', '--hyp', join(BLEU, 'tok', e.hypothesis), '--ref', join(BLEU, 'tok', 'ref.fr'), '--tokenized', '-m', 'bleu');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes(e.multi_bleu_tokenized), r.stdout);
  const raw = mass('eval', '--hyp', join(BLEU, e.hypothesis), '--ref', join(BLEU, 'ref.fr'), '--metric', 'sacrebleu,chrf,chrf++,rouge');
  assert.equal(raw.code, 0, raw.stderr);
  for (const s of [e.sacrebleu_bleu.formatted, e.sacrebleu_bleu.signature, e.sacrebleu_chrf.formatted, e.sacrebleu_chrf_plus_plus.formatted]) {
    assert.ok(raw.stdout.includes(s), `missing ${s}`);
  }
  assert.match(raw.stdout, /ROUGE \(Porter stemmer\)/);
  assert.match(raw.stdout, /^ {2}rougeLsum/m);
});

test('--json carries every number', () => {
  const e = expected.systems['noise10'];
  const r = mass('eval', '--hyp', join(BLEU, e.hypothesis), '--ref', join(BLEU, 'ref.fr'), '--json', '-m', 'bleu,sacrebleu,chrf');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.lines, 500);
  assert.equal(out.bleu.line, e.multi_bleu_raw);
  assert.equal(out.sacrebleu.formatted, e.sacrebleu_bleu.formatted);
  assert.ok(Math.abs(out.sacrebleu.score - e.sacrebleu_bleu.score) < 1e-9);
  assert.ok(Math.abs(out.chrf.score - e.sacrebleu_chrf.score) < 1e-9);
  assert.deepEqual(out.warnings, []);
});

test('several references found as multi-bleu.perl finds them (REF0, REF1)', () => {
  const { dir, cleanup } = tempDir();
  try {
    copyFileSync(join(BLEU, 'ref.fr'), join(dir, 'ref0'));
    copyFileSync(join(BLEU, 'hyp.noise50.fr'), join(dir, 'ref1'));
    const r = mass('eval', '--hyp', join(BLEU, 'hyp.noise25.fr'), '--ref', join(dir, 'ref'), '--json', '-m', 'bleu,sacrebleu');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.refs, [join(dir, 'ref0'), join(dir, 'ref1')]);
    const lines = (f: string) => readFileSync(f, 'utf8').split('\n').slice(0, -1);
    assert.equal(out.bleu.line, multiBleu(lines(join(BLEU, 'hyp.noise25.fr')), [lines(join(dir, 'ref0')), lines(join(dir, 'ref1'))]).line);
    assert.match(out.sacrebleu.signature, /^nrefs:2\|/);
  } finally {
    cleanup();
  }
});

test('line counts must match: the error names both files and counts', () => {
  const { dir, cleanup } = tempDir();
  try {
    const short = join(dir, 'short.fr');
    writeFileSync(short, readFileSync(join(BLEU, 'ref.fr'), 'utf8').split('\n').slice(0, 10).join('\n') + '\n');
    const hyp = join(BLEU, 'hyp.noise10.fr');
    const r = mass('eval', '--hyp', hyp, '--ref', short);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `mass: eval: ${hyp} has 500 lines but ${short} has 10; they must match line for line`);
    assert.equal(r.stdout, '');
  } finally {
    cleanup();
  }
});

test('bad flags and missing files fail with one line', () => {
  const hyp = join(BLEU, 'hyp.noise10.fr');
  const unknown = mass('eval', '--hyp', hyp, '--ref', join(BLEU, 'ref.fr'), '-m', 'bleu,meteor');
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr.trim(), "mass: eval: --metric: unknown metric 'meteor' (known: bleu, sacrebleu, chrf, chrf++, rouge)");
  const missing = mass('eval', '--hyp', hyp, '--ref', join(BLEU, 'nope.fr'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.fr: no such file/);
  const noRef = mass('eval', '--hyp', hyp);
  assert.equal(noRef.code, 1);
  assert.match(noRef.stderr, /both --hyp and --ref are needed/);
});

test('a file without a final newline gets a warning (multi-bleu.perl would lose a character)', () => {
  const { dir, cleanup } = tempDir();
  try {
    const ref = join(dir, 'ref.fr');
    const text = readFileSync(join(BLEU, 'ref.fr'), 'utf8');
    writeFileSync(ref, text.slice(0, -1));
    const r = mass('eval', '--hyp', join(BLEU, 'ref.fr'), '--ref', ref, '-m', 'bleu');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /BLEU = 100\.00, 100\.0\/100\.0\/100\.0\/100\.0/);
    assert.equal(
      r.stderr,
      `mass: eval: warning: ${ref} does not end in a newline: multi-bleu.perl would drop the last character of its last line (we do not)\n`,
    );
  } finally {
    cleanup();
  }
});
