import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { SAMPLE, tempDir } from '../helpers/paths.js';
import { readBinarized } from '../../server/src/engine/data/binarized.js';
import { Dictionary } from '../../server/src/engine/text/dictionary.js';

function workspace(dir: string, extra: Record<string, unknown> = {}) {
  for (const f of ['mono.en', 'mono.fr', 'valid.en', 'valid.fr']) copyFileSync(join(SAMPLE, f), join(dir, f));
  // a smaller parallel set keeps the test quick
  writeFileSync(join(dir, 'train.en'), readFileSync(join(SAMPLE, 'train.en'), 'utf8').split('\n').slice(0, 800).join('\n') + '\n');
  writeFileSync(join(dir, 'train.fr'), readFileSync(join(SAMPLE, 'train.fr'), 'utf8').split('\n').slice(0, 800).join('\n') + '\n');
  const config = {
    lgs: 'en-fr',
    data_path: 'processed',
    corpora: {
      mono: { en: ['mono.*'.replace('*', 'en')], fr: ['mono.fr'] },
      para: { 'en-fr': { en: 'train.en', fr: 'train.fr' } },
      valid: { 'en-fr': { en: 'valid.en', fr: 'valid.fr' } },
      valid_size: 200,
    },
    bpe: { codes: 1500 },
    mass_steps: 'en,fr',
    ...extra,
  };
  writeFileSync(join(dir, 'mass.config.json'), JSON.stringify(config, null, 2));
}

test('preprocess builds the XLM layout from real text, then reuses its cache', async () => {
  const { dir, cleanup } = tempDir();
  try {
    workspace(dir);
    const r = await runCli(['preprocess', '--config', join(dir, 'mass.config.json')]);
    assert.equal(r.code, 0, r.stderr);
    const out = join(dir, 'processed');
    const files = readdirSync(out);
    for (const f of [
      'codes',
      'vocab',
      'train.en.mbin',
      'valid.en.mbin',
      'train.fr.mbin',
      'train.en-fr.en.mbin',
      'train.en-fr.fr.mbin',
      'valid.en-fr.fr.mbin',
      'valid.en-fr.fr.ref',
      'preprocess.json',
    ]) {
      assert.ok(files.includes(f), `${f} written`);
    }
    assert.equal(readFileSync(join(out, 'codes'), 'utf8').trimEnd().split('\n').length, 1500);
    const { dictionary } = await Dictionary.readVocab(join(out, 'vocab'));
    const train = await readBinarized(join(out, 'train.en.mbin'));
    const valid = await readBinarized(join(out, 'valid.en.mbin'));
    assert.equal(valid.header.nSentences, 200);
    assert.equal(train.header.nSentences + valid.header.nSentences, 12000);
    assert.equal(train.header.dictionary, dictionary.fingerprint());
    // ids decode back to the BPE'd tokenized text of the input
    const firstLine = readFileSync(
      join(
        out,
        'work',
        readdirSync(join(out, 'work')).find((f) => f.startsWith('mono.en') && f.endsWith('.bpe'))!,
      ),
      'utf8',
    ).split('\n')[0]!;
    assert.equal(dictionary.toText(train.tokens.subarray(train.offsets[0]!, train.offsets[1]!)), firstLine);
    const para1 = await readBinarized(join(out, 'train.en-fr.en.mbin'));
    const para2 = await readBinarized(join(out, 'train.en-fr.fr.mbin'));
    assert.equal(para1.header.nSentences, para2.header.nSentences);
    assert.match(r.stdout, /train\.en\.mbin\s+11800/);

    const mtime = statSync(join(out, 'train.en.mbin')).mtimeMs;
    const again = await runCli(['preprocess', '--config', join(dir, 'mass.config.json')]);
    assert.equal(again.code, 0);
    assert.equal(statSync(join(out, 'train.en.mbin')).mtimeMs, mtime, 'cache reused');
    assert.match(again.stdout, /train\.en\.mbin.*cached/);

    // change one input: only what depends on it is rebuilt
    writeFileSync(join(dir, 'valid.fr'), readFileSync(join(dir, 'valid.fr'), 'utf8').replace(/^[^\n]*\n/, 'Une phrase modifiée pour le test.\n'));
    const third = await runCli(['preprocess', '--config', join(dir, 'mass.config.json')]);
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stdout, /valid\.en-fr\.fr\.mbin.*built/);
    assert.match(third.stdout, /train\.en\.mbin.*cached/);
  } finally {
    cleanup();
  }
});

test('bad lines are skipped and counted by cause; bad files fail naming file and line, leaving no output', async () => {
  const { dir, cleanup } = tempDir();
  try {
    workspace(dir);
    const mono = readFileSync(join(dir, 'mono.fr'));
    const lines = mono.toString('utf8').split('\n');
    const bad = Buffer.concat([
      Buffer.from(lines.slice(0, 10).join('\n') + '\n'),
      Buffer.from([0x4c, 0x61, 0xff, 0xfe, 0x0a]), // invalid UTF-8 on line 11
      Buffer.from('\n'), // empty line 12
      Buffer.from('avant\u0000après\n'), // NUL on line 13
      Buffer.from(lines.slice(10).join('\n')),
    ]);
    writeFileSync(join(dir, 'mono.fr'), bad);
    const r = await runCli(['preprocess', '--config', join(dir, 'mass.config.json')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /skipped 1 invalid-utf8 \(first at line 11\), 1 nul-byte \(first at line 13\)/);
    assert.match(r.stdout, /train\.fr\.mbin.*1 invalid-utf8, 1 nul-byte, 1 empty/);

    // parallel files of different lengths: error naming both, nothing written
    writeFileSync(join(dir, 'train.fr'), readFileSync(join(dir, 'train.fr'), 'utf8').split('\n').slice(0, 700).join('\n') + '\n');
    const { dir: dir2, cleanup: c2 } = tempDir();
    try {
      workspace(dir2);
      writeFileSync(join(dir2, 'train.fr'), readFileSync(join(dir2, 'train.fr'), 'utf8').split('\n').slice(0, 700).join('\n') + '\n');
      const m = await runCli(['preprocess', '--config', join(dir2, 'mass.config.json')]);
      assert.equal(m.code, 1);
      assert.match(m.stderr, /^mass: parallel files differ in length: .*train\.en has 800 lines but .*train\.fr has 700 \(corpora\.para\.en-fr\)\n$/);
      assert.ok(!readdirSync(dir2).includes('processed') || readdirSync(join(dir2, 'processed')).filter((f) => f.endsWith('.mbin')).length === 0);
      // empty and binary files
      writeFileSync(join(dir2, 'train.fr'), readFileSync(join(dir2, 'train.en')));
      writeFileSync(join(dir2, 'mono.en'), '');
      const e = await runCli(['preprocess', '--config', join(dir2, 'mass.config.json')]);
      assert.equal(e.code, 1);
      assert.match(e.stderr, /mono\.en: file is empty/);
      writeFileSync(join(dir2, 'mono.en'), Buffer.alloc(10000, 0));
      const b = await runCli(['preprocess', '--config', join(dir2, 'mass.config.json')]);
      assert.match(b.stderr, /mono\.en: looks like a binary file/);
      const leftovers = readdirSync(join(dir2, 'processed', 'work')).filter((f) => f.includes('.tmp-'));
      assert.deepEqual(leftovers, [], 'no temporary files left behind');
    } finally {
      c2();
    }
  } finally {
    cleanup();
  }
});

test('reloaded codes and vocab (XLM --reload_codes/--reload_vocab) are used as given', async () => {
  const { dir, cleanup } = tempDir();
  try {
    workspace(dir);
    const first = await runCli(['preprocess', '--config', join(dir, 'mass.config.json')]);
    assert.equal(first.code, 0, first.stderr);
    copyFileSync(join(dir, 'processed', 'codes'), join(dir, 'codes_enfr'));
    copyFileSync(join(dir, 'processed', 'vocab'), join(dir, 'vocab_enfr'));
    const r = await runCli([
      'preprocess',
      '--config',
      join(dir, 'mass.config.json'),
      '--data_path',
      join(dir, 'reloaded'),
      '--reload_codes',
      join(dir, 'codes_enfr'),
      '--reload_vocab',
      join(dir, 'vocab_enfr'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(dir, 'reloaded', 'vocab'), 'utf8'), readFileSync(join(dir, 'vocab_enfr'), 'utf8'));
    assert.ok(!/learning/.test(r.stderr), 'no BPE learned');
    const bad = await runCli([
      'preprocess',
      '--config',
      join(dir, 'mass.config.json'),
      '--data_path',
      join(dir, 'x'),
      '--reload_codes',
      join(dir, 'missing_codes'),
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /bpe\.reload_codes: .*missing_codes: no such file/);
  } finally {
    cleanup();
  }
});
