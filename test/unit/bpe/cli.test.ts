import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NLP_PARITY, ROOT, tempDir } from '../../helpers/paths.js';

const FIXTURE = join(NLP_PARITY, 'bpe');

function mass(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('mass apply-bpe / get-vocab / learn-bpe on real files', () => {
  const { dir, cleanup } = tempDir();
  try {
    const input = join(dir, 'heldout.fr');
    copyFileSync(join(FIXTURE, 'heldout.fr'), input);
    const out = join(dir, 'heldout.bpe.fr');
    let r = mass('apply-bpe', out, input, join(FIXTURE, 'codes'), join(FIXTURE, 'vocab.en'), '--quiet');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.ok(readFileSync(out).equals(readFileSync(join(FIXTURE, 'heldout.bpe-vocab-other.fr'))));

    r = mass('get-vocab', out);
    assert.equal(r.code, 0, r.stderr);
    const first = r.stdout.split('\n')[0]!;
    assert.match(first, /^\S+ \d+$/);
    r = mass('get-vocab', out, '-o', join(dir, 'vocab'));
    assert.equal(r.stdout, '');
    assert.equal(readFileSync(join(dir, 'vocab'), 'utf8').split('\n')[0], first);

    r = mass('learn-bpe', '50', input, '-o', join(dir, 'codes'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^learn-bpe: 50 merges from \d+ words/);
    const codes = readFileSync(join(dir, 'codes'), 'utf8').split('\n');
    assert.equal(codes.length, 51);
    assert.match(codes[0]!, /^\S+ \S+ \d+$/);
  } finally {
    cleanup();
  }
});

test('mass bpe commands: user errors are one stderr line and exit code 1, with no output file', () => {
  const { dir, cleanup } = tempDir();
  try {
    const out = join(dir, 'out');
    const codes = join(dir, 'codes');
    writeFileSync(codes, 'e s</w> 12\nt h\n');
    const cases: [string[], RegExp][] = [
      [['learn-bpe', 'ten', join(FIXTURE, 'heldout.en')], /^mass: learn-bpe: N \(the number of merges\) must be a positive integer, got 'ten'\n$/],
      [['learn-bpe', '-5', join(FIXTURE, 'heldout.en')], /^mass: learn-bpe: unknown option -5/],
      [['learn-bpe', '100'], /^mass: learn-bpe: no input FILE given/],
      [['learn-bpe', '100', join(dir, 'nope.en')], /nope\.en: no such file\n$/],
      [['apply-bpe', out, join(FIXTURE, 'heldout.en'), codes], new RegExp(`^mass: ${codes}:2: malformed codes line 't h', expected 'left right count'\\n$`)],
      [['apply-bpe', out, join(FIXTURE, 'heldout.en'), join(FIXTURE, 'codes'), join(FIXTURE, 'codes')], /codes:1: malformed vocab line 'e s<\/w> 49551'/],
      [['apply-bpe', out, join(dir, 'missing.en'), join(FIXTURE, 'codes')], /missing\.en: no such file\n$/],
      [['apply-bpe', out, join(FIXTURE, 'heldout.en')], /^mass: apply-bpe: expected OUT IN CODES \[VOCAB\], got 2 argument\(s\)/],
      [['get-vocab'], /^mass: get-vocab: no input FILE given/],
    ];
    for (const [args, re] of cases) {
      const r = mass(...args);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, re);
      assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    }
    assert.ok(!existsSync(out));
    assert.deepEqual(readdirSync(dir), ['codes']);
  } finally {
    cleanup();
  }
});

test('mass learn-bpe --help documents the tie-break options', () => {
  const r = mass('learn-bpe', '--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Usage: mass learn-bpe N FILE\.\.\. \[options\]/);
  assert.match(r.stdout, /--tie-break/);
  assert.match(r.stdout, /--symbol-order/);
});
