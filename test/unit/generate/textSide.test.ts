import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lengthBatches } from '../../../server/src/engine/generate/lengthBatches.js';
import { TextCodec, codesFromText, vocabularyFromText } from '../../../server/src/engine/generate/textCodec.js';
import { formatCodes, learnBpeFromCounts } from '../../../server/src/engine/text/bpe/learnBpe.js';
import { countWords } from '../../../server/src/engine/text/bpe/wordCounts.js';
import { applyBpe } from '../../../server/src/engine/text/bpe/applyBpe.js';
import { mosesPreprocess } from '../../../server/src/engine/text/moses/pipeline.js';
import { realLines } from '../../helpers/realText.js';
import { tempDir } from '../../helpers/paths.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

test('lengthBatches: longest first, input order on ties, rows × width within the budget', () => {
  const lengths = [5, 12, 7, 12, 3, 30, 7];
  const batches = lengthBatches(lengths, 30);
  assert.deepEqual(batches, [[5], [1, 3], [2, 6, 0, 4]]);
  for (const b of batches) if (b.length > 1) assert.ok(b.length * Math.max(...b.map((i) => lengths[i])) <= 30);
  assert.deepEqual(lengthBatches(lengths, 1000, 3), [[5, 1, 3], [2, 6, 0], [4]]);
  assert.deepEqual(lengthBatches([], 10), []);
  assert.deepEqual(lengthBatches([50], 10), [[0]], 'an over-budget sentence gets a batch of its own');
});

test('vocabularyFromText reads a vocab as Dictionary.readVocab does and applies max_vocab/min_count', () => {
  const text = 'the 10\nof 7\nbad line here\nthe 3\n<s> 2\nrare 1\n\u2028x 5\nlast 1\n';
  const { dictionary, bpeVocab } = vocabularyFromText(text, 'vocab');
  assert.deepEqual(dictionary.id2word.slice(14), ['the', 'of', 'rare', 'last']);
  assert.ok(bpeVocab.has('the') && bpeVocab.has('last') && !bpeVocab.has('bad'));
  assert.deepEqual(vocabularyFromText(text, 'vocab', { maxVocab: 16 }).dictionary.id2word.slice(14), ['the', 'of']);
  assert.deepEqual(vocabularyFromText(text, 'vocab', { minCount: 2 }).dictionary.id2word.slice(14), ['the', 'of']);
  assert.throws(() => vocabularyFromText('word x1\n', 'v'), /v:1: count 'x1'/);
  assert.throws(() => vocabularyFromText('\n', 'v'), /no vocabulary entries/);
  assert.throws(() => codesFromText('', 'ck (BPE codes)'), /ck \(BPE codes\): no BPE codes/);
});

test('TextCodec: raw line → ids → raw line on real text, blank lines empty, unknown subwords as <unk>', async () => {
  const en = await realLines('en-fr', 'mono.en.gz', 400);
  const tok = en.map((l) => mosesPreprocess(l, 'en'));
  const tmp = tempDir();
  try {
    const file = join(tmp.dir, 'tok');
    writeFileSync(file, tok.join('\n') + '\n');
    const codesText = formatCodes(learnBpeFromCounts(await countWords([file]), 800).merges);
    const codes = codesFromText(codesText, 'codes');
    const counts = new Map<string, number>();
    for (const l of tok) for (const w of applyBpe(l, codes).split(' ').filter(Boolean)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const vocabText =
      [...counts]
        .sort((a, b) => b[1] - a[1])
        .map(([w, c]) => `${w} ${c}`)
        .join('\n') + '\n';
    const { dictionary, bpeVocab } = vocabularyFromText(vocabText, 'vocab');
    const codec = new TextCodec(dictionary, codes, bpeVocab);
    let same = 0;
    for (const line of en.slice(0, 100)) {
      const ids = codec.encode(line, 'en');
      assert.ok(ids.length > 0);
      assert.ok(!ids.includes(3), `no <unk> in training text: ${line}`);
      if (codec.decode(ids, 'en') === line) same++;
    }
    // Detokenization restores most raw lines exactly (Moses is not perfectly reversible).
    assert.ok(same >= 80, `${same}/100 lines come back exactly`);
    assert.deepEqual(codec.encode('', 'en'), []);
    assert.deepEqual(codec.encode('   \t ', 'en'), []);
    assert.equal(codec.decode([], 'fr'), '');
    assert.ok(codec.encode('Ωμέγα ✓', 'en').includes(3), 'unseen characters become <unk>');
  } finally {
    tmp.cleanup();
  }
});
