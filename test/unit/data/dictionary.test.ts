import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Dictionary, MASK_INDEX, UNK_INDEX, FIRST_WORD_INDEX } from '../../../server/src/engine/text/dictionary.js';
import { decodeBinarized, encodeBinarized, packSentences, readBinarized, writeBinarized } from '../../../server/src/engine/data/binarized.js';
import { UserError } from '../../../server/src/engine/errors.js';
import { NLP_PARITY, tempDir } from '../../helpers/paths.js';

test('XLM special symbols and order; [MASK] is <special1> = 5', async () => {
  const { dictionary, skipped } = await Dictionary.readVocab(join(NLP_PARITY, 'bpe', 'vocab'));
  assert.equal(skipped, 0);
  assert.deepEqual(dictionary.id2word.slice(0, 6), ['<s>', '</s>', '<pad>', '<unk>', '<special0>', '<special1>']);
  assert.equal(dictionary.word(MASK_INDEX), '<special1>');
  const firstVocabLine = readFileSync(join(NLP_PARITY, 'bpe', 'vocab'), 'utf8').split('\n')[0]!.split(' ')[0];
  assert.equal(dictionary.word(FIRST_WORD_INDEX), firstVocabLine);
  // vocab file round trip
  assert.equal(dictionary.toVocabText(), readFileSync(join(NLP_PARITY, 'bpe', 'vocab'), 'utf8'));
});

test('readVocab skips what XLM skips and names the line of a bad count', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const f = join(dir, 'vocab');
    writeFileSync(f, 'the 10\n<unk> 9\nbad\u2028word 8\nthree fields here\nthe 7\nde 6\n');
    const { dictionary, skipped } = await Dictionary.readVocab(f);
    assert.equal(skipped, 4);
    assert.deepEqual(dictionary.id2word.slice(FIRST_WORD_INDEX), ['the', 'de']);
    writeFileSync(f, 'the 10\nde x6\n');
    await assert.rejects(Dictionary.readVocab(f), (e: Error) => e instanceof UserError && e.message.startsWith(`${f}:2:`));
  } finally {
    cleanup();
  }
});

test('indexLine: unknown words, specials dropped as XLM does', async () => {
  const dictionary = Dictionary.fromEntries([['le', 5], ['chat', 3]]);
  const r = dictionary.indexLine('le chat <special1> zèbre </s> le');
  assert.deepEqual(r.ids, [14, 15, UNK_INDEX, 14]);
  assert.equal(r.unknown, 1);
  assert.equal(r.droppedSpecial, 2);
});

test('binarized data round trip (uint16 and int32) and corruption detected', async () => {
  const { dir, cleanup } = tempDir();
  try {
    for (const nWords of [1000, 70000]) {
      const sents = [[14, 15, 16], [], [999, 14]];
      const { offsets, tokens } = packSentences(sents, nWords);
      const data = { header: { version: 1 as const, dtype: (nWords < 65536 ? 'uint16' : 'int32') as 'uint16' | 'int32', nSentences: 3, nTokens: 5, dictionary: 'x', source: { a: 1 } }, offsets, tokens };
      const f = join(dir, `d${nWords}.mbin`);
      await writeBinarized(f, data);
      const back = await readBinarized(f);
      assert.deepEqual(Array.from(back.offsets), [0, 3, 3, 5]);
      assert.deepEqual(Array.from(back.tokens), [14, 15, 16, 999, 14]);
      const buf = encodeBinarized(data);
      assert.throws(() => decodeBinarized(buf.subarray(0, buf.length - 1), 'cut.mbin'), /cut\.mbin: truncated/);
    }
  } finally {
    cleanup();
  }
});
