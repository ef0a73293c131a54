import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../server/src/engine/errors.js';
import { readLines } from '../../../server/src/engine/text/corpusReader.js';
import { applyBpe, applyBpeFile, BpeApplier, removeBpe } from '../../../server/src/engine/text/bpe/applyBpe.js';
import { BpeCodes } from '../../../server/src/engine/text/bpe/codes.js';
import { learnBpe } from '../../../server/src/engine/text/bpe/learnBpe.js';
import { BpeVocab } from '../../../server/src/engine/text/bpe/vocab.js';
import { CORPORA, tempDir } from '../../helpers/paths.js';

const VALID_EN = join(CORPORA, 'en-fr', 'valid.en.gz');
const VALID_FR = join(CORPORA, 'en-fr', 'valid.fr.gz');

async function realLines(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const l of readLines(path)) out.push(l.text);
  return out;
}

async function learnedCodes(n: number): Promise<BpeCodes> {
  return new BpeCodes((await learnBpe([VALID_EN, VALID_FR], n)).merges);
}

test('round trip: removing "@@ " gives every real line back, spacing included', async () => {
  const codes = await learnedCodes(800);
  const applier = new BpeApplier(codes);
  let split = 0;
  for (const path of [VALID_EN, VALID_FR]) {
    for (const line of await realLines(path)) {
      const bpe = applier.line(line);
      if (bpe !== line) split++;
      assert.equal(removeBpe(bpe), line);
      // Extra spaces and tabs, as file mode must copy them.
      const spaced = `  ${line.replace(/ /g, '  ')}\t `;
      assert.equal(removeBpe(applier.line(spaced)), spaced);
    }
  }
  assert.ok(split > 1000, `most lines get split (${split})`);
});

test('segmentation follows merge ranks, and the vocabulary splits unknown subwords back', async () => {
  const codes = BpeCodes.parse('l o 9\nlo w</w> 8\ne r</w> 7\nlo w 6\nlow er</w> 5\n', 'mini-codes');
  const a = new BpeApplier(codes);
  assert.equal(a.word('low'), 'low');
  assert.equal(a.word('lower'), 'lower');
  assert.equal(a.word('lowest'), 'low@@ e@@ s@@ t');
  assert.equal(a.line('lower  low lo'), 'lower  low l@@ o');
  // 'lower</w>' is not allowed ('lower' missing), so it goes back to low + er</w>; 'low@@' is allowed.
  const v = new BpeVocab([
    { word: 'low@@', count: 1 },
    { word: 'er', count: 1 },
    { word: 'low', count: 1 },
  ]);
  const b = new BpeApplier(codes, v);
  assert.equal(b.word('lower'), 'low@@ er');
  assert.equal(b.word('low'), 'low');
  // Without 'lo@@' nor 'l@@' in the vocab, characters still stay (they cannot be split further).
  const c = new BpeApplier(codes, new BpeVocab([{ word: 'er', count: 3 }]));
  assert.equal(c.word('lower'), 'l@@ o@@ w@@ er');
  // The shared-cache helper gives the same as a fresh applier.
  assert.equal(applyBpe('lower lowest', codes, v), 'low@@ er low@@ e@@ s@@ t');
});

test('applyBpeFile: final line without newline is kept without one; empty input gives empty output', async () => {
  const codes = await learnedCodes(200);
  const { dir, cleanup } = tempDir();
  try {
    const lines = (await realLines(VALID_EN)).slice(0, 50);
    const input = join(dir, 'in.en');
    writeFileSync(input, lines.join('\n'));
    const out = join(dir, 'out.en');
    assert.deepEqual(await applyBpeFile(out, input, codes), { lines: 50 });
    const text = readFileSync(out, 'utf8');
    assert.ok(!text.endsWith('\n'));
    assert.deepEqual(text.split('\n').map(removeBpe), lines);
    writeFileSync(input, lines.join('\n') + '\n');
    await applyBpeFile(out, input, codes);
    assert.equal(readFileSync(out, 'utf8'), text + '\n');
    const empty = join(dir, 'empty.en');
    writeFileSync(empty, '');
    await applyBpeFile(out, empty, codes);
    assert.equal(readFileSync(out, 'utf8'), '');
  } finally {
    cleanup();
  }
});

test('applyBpeFile: a bad input line fails with file:line and leaves no output', async () => {
  const codes = await learnedCodes(100);
  const { dir, cleanup } = tempDir();
  try {
    const lines = (await realLines(VALID_FR)).slice(0, 20);
    const input = join(dir, 'in.fr');
    writeFileSync(input, Buffer.concat([Buffer.from(lines.join('\n') + '\n'), Buffer.from([0xc3, 0x28, 0x0a])]));
    const out = join(dir, 'out.fr');
    await assert.rejects(applyBpeFile(out, input, codes), (e: Error) => e instanceof UserError && e.message.startsWith(`${input}:21: invalid UTF-8`));
    assert.ok(!existsSync(out));
    assert.deepEqual(readdirSync(dir).sort(), ['in.fr']);
  } finally {
    cleanup();
  }
});

test('a word cache that starts over (tiny maxCacheWords) changes nothing, as strings or as bytes', async () => {
  const codes = await learnedCodes(500);
  const big = new BpeApplier(codes);
  const tiny = new BpeApplier(codes, undefined, 7);
  const tinyBytes = new BpeApplier(codes, undefined, 7);
  for (const line of await realLines(VALID_FR)) {
    const want = big.line(line);
    assert.equal(tiny.line(line), want);
    const buf = Buffer.alloc(BpeApplier.maxEncodedBytes(line) + 2);
    const end = tinyBytes.encodeLine(line, buf, 2);
    assert.equal(buf.toString('utf8', 2, end), want);
  }
});
