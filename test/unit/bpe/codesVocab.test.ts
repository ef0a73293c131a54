import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../server/src/engine/errors.js';
import { compareUtf8 } from '../../../server/src/engine/text/bpe/byteOrder.js';
import { BpeCodes } from '../../../server/src/engine/text/bpe/codes.js';
import { BpeVocab, formatVocab, getVocab } from '../../../server/src/engine/text/bpe/vocab.js';
import { NLP_PARITY, tempDir } from '../../helpers/paths.js';

const FIXTURE = join(NLP_PARITY, 'bpe');

function userError(re: RegExp) {
  return (e: Error) => e instanceof UserError && re.test(e.message);
}

test('codes: real file loads; ranks are line order; fields may be separated by several spaces', async () => {
  const codes = await BpeCodes.load(join(FIXTURE, 'codes'));
  assert.equal(codes.size, 4000);
  const first = codes.merges[0]!;
  assert.equal(codes.rank(first.left, first.right), 0);
  assert.equal(codes.rank('no such', 'pair'), -1);
  const c = BpeCodes.parse('e s</w>  12\r\nt h 10\n', 'x');
  assert.equal(c.rank('e', 's</w>'), 0);
  assert.equal(c.merges[0]!.count, 12);
  assert.deepEqual(c.split('th'), ['t', 'h']);
});

test('codes: malformed lines and repeated pairs name file and line', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const f = join(dir, 'codes');
    writeFileSync(f, 'e s</w> 12\nt h\n');
    await assert.rejects(BpeCodes.load(f), userError(new RegExp(`^${f}:2: malformed codes line 't h', expected 'left right count'$`)));
    writeFileSync(f, 'e s</w> 12\nt h ten\n');
    await assert.rejects(BpeCodes.load(f), userError(/:2: malformed codes line 't h ten'/));
    writeFileSync(f, '#version: 0.2\ne s</w>\n');
    await assert.rejects(BpeCodes.load(f), userError(/:1: .*subword-nmt codes file/));
    writeFileSync(f, 'e s 3\nt h 2\ne s 1\n');
    await assert.rejects(BpeCodes.load(f), userError(/:3: merge 'e s' appears twice \(first on line 1\)/));
    await assert.rejects(BpeCodes.load(join(dir, 'missing')), userError(/missing: no such file/));
  } finally {
    cleanup();
  }
});

test('vocab: loads the fixture vocab; malformed and repeated lines name file and line', async () => {
  const v = await BpeVocab.load(join(FIXTURE, 'vocab'));
  assert.ok(v.size > 4000);
  assert.ok(v.has('the'));
  const { dir, cleanup } = tempDir();
  try {
    const f = join(dir, 'vocab');
    writeFileSync(f, 'the 10\nof\n');
    await assert.rejects(BpeVocab.load(f), userError(new RegExp(`^${f}:2: malformed vocab line 'of', expected 'word count'$`)));
    writeFileSync(f, 'the 10\nof 1 2\n');
    await assert.rejects(BpeVocab.load(f), userError(/:2: malformed vocab line/));
    writeFileSync(f, 'the 10\nof -1\n');
    await assert.rejects(BpeVocab.load(f), userError(/:2: malformed vocab line 'of -1'/));
    writeFileSync(f, 'the 10\nof 9\nthe 8\n');
    await assert.rejects(BpeVocab.load(f), userError(/:3: word 'the' appears twice \(first on line 1\)/));
  } finally {
    cleanup();
  }
});

test('get-vocab order: count descending, then UTF-8 byte order (not UTF-16)', async () => {
  // U+FF01 (EF BC 81) sorts before U+1F600 (F0 9F 98 80) in bytes, after it in UTF-16 units.
  assert.ok(compareUtf8('\uff01', '\u{1f600}') < 0);
  assert.ok('\uff01' > '\u{1f600}');
  assert.ok(compareUtf8('a', 'ab') < 0 && compareUtf8('b', 'ab') > 0 && compareUtf8('é', 'é') === 0);
  const { dir, cleanup } = tempDir();
  try {
    const f = join(dir, 'text');
    writeFileSync(f, '\u{1f600} ！ z a\nz a\t a \n');
    assert.equal(formatVocab(await getVocab([f])), 'a 2\nz 2\na\t 1\n！ 1\n\u{1f600} 1\n');
  } finally {
    cleanup();
  }
});
