import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyBpeFile } from '../../server/src/engine/text/bpe/applyBpe.js';
import { BpeCodes } from '../../server/src/engine/text/bpe/codes.js';
import { formatCodes, learnBpeFromCounts } from '../../server/src/engine/text/bpe/learnBpe.js';
import { initialSymbolOrder, readSymbolOrder } from '../../server/src/engine/text/bpe/symbolOrder.js';
import { BpeVocab, formatVocab, getVocab } from '../../server/src/engine/text/bpe/vocab.js';
import { countWords } from '../../server/src/engine/text/bpe/wordCounts.js';
import { CORPORA, NLP_PARITY, tempDir } from '../helpers/paths.js';

// glample/fastBPE outputs; see the fixture's README.md for the commands that made them.
const F = join(NLP_PARITY, 'bpe');
const fixture = (name: string) => join(F, name);
const TRAIN = [fixture('train.en'), fixture('train.fr')];

const codeLines = (text: string) => text.split('\n').filter((l) => l !== '');
const pairOf = (line: string) => line.split(' ').slice(0, 2).join(' ');

test('learn-bpe (default tie-break) = fastBPE codes: all 4,000 lines, counts included', async () => {
  const wc = await countWords(TRAIN);
  const r = learnBpeFromCounts(wc, 4000);
  assert.equal(formatCodes(r.merges), readFileSync(fixture('codes'), 'utf8'));
  // The README: 2942 of the 4,000 merges were chosen among tied pairs.
  assert.equal(r.tiedMerges, 2942);
});

test('the simulated libstdc++ order is the fixture initial-symbol-order.txt', async () => {
  const wc = await countWords(TRAIN);
  assert.deepEqual(initialSymbolOrder(wc, 'fastbpe'), await readSymbolOrder(fixture('initial-symbol-order.txt')));
});

test('replaying initial-symbol-order.txt gives all 4,000 codes', async () => {
  const wc = await countWords(TRAIN);
  const order = await readSymbolOrder(fixture('initial-symbol-order.txt'));
  const r = learnBpeFromCounts(wc, 4000, { tieBreak: 'first-seen', symbolOrder: order });
  assert.equal(formatCodes(r.merges), readFileSync(fixture('codes'), 'utf8'));
});

test('first-seen tie-break: identical up to the first tie, >= 95% of merges in common', async () => {
  const wc = await countWords(TRAIN);
  const r = learnBpeFromCounts(wc, 4000, { tieBreak: 'first-seen' });
  const ours = codeLines(formatCodes(r.merges));
  const theirs = codeLines(readFileSync(fixture('codes'), 'utf8'));
  assert.ok(r.firstTie > 0);
  assert.deepEqual(ours.slice(0, r.firstTie), theirs.slice(0, r.firstTie));
  const theirPairs = new Set(theirs.map(pairOf));
  const common = ours.filter((l) => theirPairs.has(pairOf(l))).length;
  assert.ok(common / theirs.length >= 0.95, `${common} of ${theirs.length} merges in common`);
});

test('get-vocab = fastBPE getvocab (words, joint and per-language BPE vocabularies)', async () => {
  assert.equal(formatVocab(await getVocab(TRAIN)), readFileSync(fixture('vocab.words'), 'utf8'));
  assert.equal(formatVocab(await getVocab([fixture('train.bpe.en'), fixture('train.bpe.fr')])), readFileSync(fixture('vocab'), 'utf8'));
  for (const l of ['en', 'fr']) {
    assert.equal(formatVocab(await getVocab([fixture(`train.bpe.${l}`)])), readFileSync(fixture(`vocab.${l}`), 'utf8'));
  }
});

test('apply-bpe = fastBPE applybpe byte for byte, with and without a vocabulary', async () => {
  const codes = await BpeCodes.load(fixture('codes'));
  const vocab = {
    joint: await BpeVocab.load(fixture('vocab')),
    en: await BpeVocab.load(fixture('vocab.en')),
    fr: await BpeVocab.load(fixture('vocab.fr')),
  };
  const { dir, cleanup } = tempDir();
  try {
    const cases: [string, string, BpeVocab | undefined][] = [];
    for (const [l, other] of [
      ['en', 'fr'],
      ['fr', 'en'],
    ] as const) {
      cases.push(
        [`train.${l}`, `train.bpe.${l}`, undefined],
        [`heldout.${l}`, `heldout.bpe.${l}`, undefined],
        [`heldout.${l}`, `heldout.bpe-vocab.${l}`, vocab.joint],
        [`heldout.${l}`, `heldout.bpe-vocab-own.${l}`, vocab[l]],
        [`heldout.${l}`, `heldout.bpe-vocab-other.${l}`, vocab[other]],
      );
    }
    for (const [input, expected, v] of cases) {
      const out = join(dir, expected);
      await applyBpeFile(out, fixture(input), codes, v);
      assert.ok(readFileSync(out).equals(readFileSync(fixture(expected))), `${expected} differs`);
    }
  } finally {
    cleanup();
  }
});

/**
 * Text the fixture does not contain: data/corpora/en-fr/valid.{en,fr}.gz (raw, untokenized). The
 * digests are sha256 of fastBPE's outputs (glample/fastBPE 036711f, g++ 12.2.0 -O3, run on the
 * gunzipped files, which end in '\n'):
 *   fast learnbpe 2000 valid.en valid.fr > codes;  fast getvocab valid.en valid.fr > words
 *   fast applybpe bpe.en valid.en codes;  fast getvocab bpe.en > voc.en
 *   fast applybpe bpe-vocab.fr valid.fr codes voc.en
 */
test('unseen text: learn / get-vocab / apply (with vocab) match fastBPE digests', async () => {
  const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
  const valid = [join(CORPORA, 'en-fr', 'valid.en.gz'), join(CORPORA, 'en-fr', 'valid.fr.gz')];
  const wc = await countWords(valid);
  const learned = learnBpeFromCounts(wc, 2000);
  assert.ok(learned.tiedMerges > 1000, 'ties decide most merges here too');
  const codesText = formatCodes(learned.merges);
  assert.equal(sha(codesText), '4fcf17d69642be90ce7425e901647b4655227ec1846e838d51be5d543dd28b5e');
  assert.equal(sha(formatVocab(await getVocab(valid))), 'd5e553e9cc6a9235fad2dde8c02d5b89b7b321800fe3d6f1eb99e5f9efb4b81f');
  const { dir, cleanup } = tempDir();
  try {
    const codes = BpeCodes.parse(codesText);
    const bpeEn = join(dir, 'bpe.en');
    await applyBpeFile(bpeEn, valid[0]!, codes);
    assert.equal(sha(readFileSync(bpeEn)), '557f2c7ec85ae62f16d9e04363fff3e4c9bf0ebb107510b8730ab8db325dd4be');
    const vocText = formatVocab(await getVocab([bpeEn]));
    assert.equal(sha(vocText), '6d235d6fca4e40087d3bea21a018e683106fd567fda60c3f953a1efafde20ec4');
    const vocab = new BpeVocab(
      vocText
        .split('\n')
        .filter(Boolean)
        .map((l, i) => BpeVocab.parseLine(l, 'voc.en', i + 1)),
    );
    const out = join(dir, 'bpe-vocab.fr');
    await applyBpeFile(out, valid[1]!, codes, vocab);
    assert.equal(sha(readFileSync(out)), 'ed2328e856179dee3823cc41402944cb798ca041995d2756b894028431f477b7');
  } finally {
    cleanup();
  }
});
