import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { mosesPreprocess } from '../../../server/src/engine/text/moses/index.js';
import { CORPORA, NLP_PARITY, ROOT } from '../../helpers/paths.js';

// `mass tokenize` / `mass detokenize` run from source on real text.
const FIXTURE = join(NLP_PARITY, 'tokenize');

function mass(args: string[], input?: Buffer): { code: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'server/src/cli/main.ts'), ...args], {
    cwd: ROOT,
    input,
    maxBuffer: 64 << 20,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

describe('mass tokenize / detokenize', () => {
  it('tokenize --lang fr writes tokenizer.perl output byte for byte (stdin → stdout)', () => {
    const r = mass(['tokenize', '--lang', 'fr'], readFileSync(join(FIXTURE, 'raw.fr')));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.equals(readFileSync(join(FIXTURE, '4-tokenized.fr'))), 'differs from 4-tokenized.fr');
    assert.equal(r.stderr, '');
  });

  it('--stage stops after normalize-punctuation', () => {
    const r = mass(['tokenize', '-l', 'fr', '--stage', '2'], readFileSync(join(FIXTURE, 'raw.fr')));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.equals(readFileSync(join(FIXTURE, '2-normalize.fr'))), 'differs from 2-normalize.fr');
  });

  it('reads a .gz FILE: one output line per input line', () => {
    const file = join(CORPORA, 'en-fr', 'valid.fr.gz');
    const r = mass(['tokenize', '--lang', 'fr', file]);
    assert.equal(r.code, 0, r.stderr);
    const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    assert.equal(r.stdout.toString('utf8'), lines.map((l) => mosesPreprocess(l, 'fr') + '\n').join(''));
  });

  it('detokenize --lang fr writes detokenizer.perl output byte for byte', () => {
    const r = mass(['detokenize', '--lang', 'fr'], readFileSync(join(FIXTURE, '4-tokenized.fr')));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.equals(readFileSync(join(FIXTURE, '5-detokenized.fr'))), 'differs from 5-detokenized.fr');
  });

  it('stops at invalid UTF-8 with the line number, after writing the lines before it', () => {
    const input = Buffer.concat([Buffer.from("L'été dernier.\n"), Buffer.from([0x61, 0xff, 0x62, 0x0a]), Buffer.from('fin\n')]);
    const r = mass(['tokenize', '--lang', 'fr'], input);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^mass: <stdin>:2: invalid UTF-8/);
    assert.equal(r.stdout.toString('utf8'), "L' été dernier .\n");
  });

  it('requires --lang', () => {
    const r = mass(['tokenize'], Buffer.from('x\n'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--lang is required/);
  });
});
