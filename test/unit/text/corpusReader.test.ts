import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readLines, emptyStats, firstInvalidUtf8 } from '../../../server/src/engine/text/corpusReader.js';
import { UserError } from '../../../server/src/engine/errors.js';
import { CORPORA, tempDir } from '../../helpers/paths.js';

async function collect(src: Parameters<typeof readLines>[0], opts = {}, stats = emptyStats()) {
  const out: string[] = [];
  for await (const l of readLines(src, opts, stats)) out.push(l.text);
  return out;
}

test('reads real gzipped corpus lines, matching a plain split', async () => {
  const lines: string[] = [];
  for await (const l of readLines(join(CORPORA, 'en-fr', 'valid.fr.gz'))) lines.push(l.text);
  assert.equal(lines.length, 1040);
  assert.ok(
    lines.some((l) => /[éèà]/.test(l)),
    'French accents decoded',
  );
});

test('line numbers, CR kept, final line without newline, tiny chunks', async () => {
  const text = 'un\r\ndeux\n\ntrois été';
  const bytes = Buffer.from(text);
  const chunks = [...bytes].map((b) => Buffer.from([b]));
  const seen: [number, string][] = [];
  for await (const l of readLines(Readable.from(chunks))) seen.push([l.lineNo, l.text]);
  assert.deepEqual(seen, [
    [1, 'un\r'],
    [2, 'deux'],
    [3, ''],
    [4, 'trois été'],
  ]);
});

test('invalid UTF-8 names file and line; skip mode counts it', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const f = join(dir, 'bad.en');
    writeFileSync(f, Buffer.concat([Buffer.from('good line\nbad '), Buffer.from([0xc3, 0x28]), Buffer.from(' here\nok\n')]));
    await assert.rejects(collect(f), (e: Error) => e instanceof UserError && e.message === `${f}:2: invalid UTF-8 at byte 5 of the line`);
    const stats = emptyStats();
    assert.deepEqual(await collect(f, { onBadLine: 'skip' }, stats), ['good line', 'ok']);
    assert.equal(stats.skipped['invalid-utf8'], 1);
    assert.equal(stats.firstSkipped['invalid-utf8'], 2);
  } finally {
    cleanup();
  }
});

test('binary file, empty file, NUL in a line, overlong line', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const bin = join(dir, 'model.bin');
    writeFileSync(bin, Buffer.alloc(4096));
    await assert.rejects(collect(bin), /model\.bin: looks like a binary file/);
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    await assert.rejects(collect(empty), /empty\.txt: file is empty/);
    assert.deepEqual(await collect(empty, { allowEmptyFile: true }), []);
    const nul = join(dir, 'nul.txt');
    writeFileSync(nul, 'a'.repeat(9000) + '\nb\u0000c\nd\n');
    await assert.rejects(collect(nul), /nul\.txt:2: line contains a NUL byte/);
    const long = join(dir, 'long.txt');
    writeFileSync(long, 'short\n' + 'x'.repeat(5000) + '\nafter\n');
    await assert.rejects(collect(long, { maxLineBytes: 100 }), /long\.txt:2: line is longer than 100 bytes/);
    const stats = emptyStats();
    assert.deepEqual(await collect(long, { maxLineBytes: 100, onBadLine: 'skip' }, stats), ['short', 'after']);
    assert.equal(stats.skipped['too-long'], 1);
  } finally {
    cleanup();
  }
});

test('firstInvalidUtf8 finds the offending byte', () => {
  assert.equal(firstInvalidUtf8(Buffer.from('héllo')), 0);
  assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82])), 2);
  assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xff])), 3);
});
