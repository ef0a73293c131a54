import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../server/src/engine/errors.js';
import { formatCodes, learnBpe, learnBpeFromCounts, type Merge } from '../../../server/src/engine/text/bpe/learnBpe.js';
import { initialSymbolOrder } from '../../../server/src/engine/text/bpe/symbolOrder.js';
import { wordSymbols } from '../../../server/src/engine/text/bpe/symbols.js';
import { countWords, WordCounts } from '../../../server/src/engine/text/bpe/wordCounts.js';
import { CORPORA, tempDir } from '../../helpers/paths.js';

const VALID_EN = join(CORPORA, 'en-fr', 'valid.en.gz');
const VALID_FR = join(CORPORA, 'en-fr', 'valid.fr.gz');

/**
 * The textbook algorithm, slowly: every step recounts all adjacent pairs from scratch and merges the
 * most frequent one, ties to the smallest (id(left), id(right)) with the same symbol numbering.
 */
function naiveLearn(wc: WordCounts, n: number, order: string[]): Merge[] {
  const names = [...order];
  const id = new Map(order.map((s, i) => [s, i]));
  const words = wc.words.map((w) => wordSymbols(w).map((s) => id.get(s)!));
  const merges: Merge[] = [];
  for (let m = 0; m < n; m++) {
    const counts = new Map<number, number>();
    words.forEach((w, wi) => {
      for (let i = 0; i + 1 < w.length; i++) {
        const k = w[i]! * 1048576 + w[i + 1]!;
        counts.set(k, (counts.get(k) ?? 0) + wc.counts[wi]!);
      }
    });
    let best: [number, number] | undefined;
    let bestCount = 0;
    for (const [k, c] of counts) {
      const l = Math.floor(k / 1048576);
      const r = k % 1048576;
      if (c > bestCount || (c === bestCount && best && (l < best[0] || (l === best[0] && r < best[1])))) {
        best = [l, r];
        bestCount = c;
      }
    }
    if (!best) break;
    const [L, R] = best;
    merges.push({ left: names[L]!, right: names[R]!, count: bestCount });
    const M = names.length;
    names.push(names[L]! + names[R]!);
    for (let wi = 0; wi < words.length; wi++) {
      const w = words[wi]!;
      const out: number[] = [];
      for (let i = 0; i < w.length; i++) {
        if (i + 1 < w.length && w[i] === L && w[i + 1] === R) {
          out.push(M);
          i++;
        } else out.push(w[i]!);
      }
      words[wi] = out;
    }
  }
  return merges;
}

test('incremental learner = recount-from-scratch learner on real text, both tie-breaks', async () => {
  const wc = await countWords([VALID_EN, VALID_FR]);
  for (const tieBreak of ['fastbpe', 'first-seen'] as const) {
    const fast = learnBpeFromCounts(wc, 200, { tieBreak });
    const slow = naiveLearn(wc, 200, initialSymbolOrder(wc, tieBreak));
    assert.equal(fast.merges.length, 200);
    assert.deepEqual(fast.merges, slow, tieBreak);
  }
});

test('merge counts never increase; ties are counted; first-seen and fastbpe agree before the first tie', async () => {
  const wc = await countWords([VALID_EN]);
  const a = learnBpeFromCounts(wc, 500, { tieBreak: 'fastbpe' });
  const b = learnBpeFromCounts(wc, 500, { tieBreak: 'first-seen' });
  for (let i = 1; i < a.merges.length; i++) assert.ok(a.merges[i]!.count <= a.merges[i - 1]!.count, `line ${i + 1}`);
  assert.ok(a.firstTie > 0 && a.tiedMerges > 0);
  assert.deepEqual(a.merges.slice(0, a.firstTie), b.merges.slice(0, a.firstTie));
  assert.equal(a.words, wc.total);
  assert.equal(a.uniqueWords, wc.size);
});

test('stops when no pair is left instead of inventing merges; tabs are word characters', () => {
  const wc = new WordCounts();
  wc.addLine('ab ab  abc\tx');
  const r = learnBpeFromCounts(wc, 50, { tieBreak: 'first-seen' });
  assert.ok(r.stoppedEarly);
  // Symbol ids (first-seen): a=0 b</w>=1 b=2 c=3 \t=4 x</w>=5; count-1 ties go to the smallest ids.
  assert.equal(formatCodes(r.merges), 'a b</w> 2\na b 1\nc \t 1\nab c\t 1\nabc\t x</w> 1\n');
  assert.equal(r.tiedMerges, 3);
  assert.equal(r.firstTie, 1);
});

test('replaying a symbol order: missing symbols are an error, extra ones are fine', async () => {
  const wc = new WordCounts();
  wc.addLine('low lower lowest');
  const order = initialSymbolOrder(wc, 'first-seen');
  const r = learnBpeFromCounts(wc, 3, { symbolOrder: ['zzz', ...order] });
  assert.equal(r.merges[0]!.left + r.merges[0]!.right, 'lo');
  assert.throws(
    () => learnBpeFromCounts(wc, 3, { symbolOrder: order.slice(1), symbolOrderSource: 'order.txt' }),
    (e: Error) => e instanceof UserError && /^order\.txt: 1 symbol\(s\) of the training text are not listed, e\.g\. 'l'$/.test(e.message),
  );
});

test('bad inputs: N not a positive integer, missing file, no words', async () => {
  await assert.rejects(learnBpe([VALID_EN], 0), /positive integer, got 0/);
  await assert.rejects(learnBpe([VALID_EN], 2.5), /positive integer, got 2\.5/);
  await assert.rejects(learnBpe([VALID_EN, '/nonexistent/x.en'], 10), (e: Error) => e instanceof UserError && e.message === '/nonexistent/x.en: no such file');
  const { dir, cleanup } = tempDir();
  try {
    const blank = join(dir, 'blank.txt');
    writeFileSync(blank, '   \n\n');
    await assert.rejects(learnBpe([blank], 10), /no words in .*blank\.txt/);
  } finally {
    cleanup();
  }
});
