import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planBatches, BatchStream } from '../../../server/src/engine/data/batching.js';
import { batchSentences, filterByLength, monoCosts } from '../../../server/src/engine/data/datasets.js';
import { EOS_INDEX, PAD_INDEX } from '../../../server/src/engine/text/dictionary.js';
import { Rng } from '../../../server/src/engine/util/rng.js';
import { realLines, wordLevelData } from '../../helpers/realText.js';

async function realData() {
  return wordLevelData(await realLines('en-fr', 'train.fr.gz', 3000));
}

test('token-budget batches: every sentence once, grouped by length, ~tokens_per_batch each', async () => {
  const { data } = await realData();
  const ids = filterByLength(data, { maxLen: 100, minLen: 0 });
  const costs = monoCosts(data);
  const opts = { tokensPerBatch: 500, batchSize: 32, maxBatchSize: 0, groupBySize: true };
  const batches = planBatches(ids, costs, opts, new Rng(1));
  const seen = new Set<number>();
  for (const b of batches) for (const i of b) {
    assert.ok(!seen.has(i));
    seen.add(i);
  }
  assert.equal(seen.size, ids.length);
  let big = 0;
  for (const b of batches) {
    const tokens = Array.from(b).reduce((s, i) => s + costs[i]!, 0);
    const lens = Array.from(b, (i) => costs[i]!);
    assert.ok(Math.max(...lens) - Math.min(...lens) <= Math.max(...lens) * 0.5 + 3, 'length-grouped');
    if (tokens > 500 + Math.max(...lens)) big++;
  }
  assert.equal(big, 0, 'no batch exceeds the budget by more than one sentence');
});

test('shuffling is deterministic by seed and differs across seeds', async () => {
  const { data } = await realData();
  const ids = filterByLength(data, { maxLen: 100, minLen: 0 });
  const opts = { tokensPerBatch: -1, batchSize: 32, maxBatchSize: 0, groupBySize: false };
  const a = planBatches(ids, monoCosts(data), opts, new Rng(7)).map((b) => Array.from(b));
  const b = planBatches(ids, monoCosts(data), opts, new Rng(7)).map((b) => Array.from(b));
  const c = planBatches(ids, monoCosts(data), opts, new Rng(8)).map((b) => Array.from(b));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  // np.array_split sizes: chunks differ by at most one
  const sizes = a.map((x) => x.length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
});

test('BatchStream resumes exactly from a saved state, across pass boundaries', async () => {
  const { data } = await realData();
  const ids = filterByLength(data, { maxLen: 100, minLen: 0 });
  const opts = { tokensPerBatch: 2000, batchSize: 32, maxBatchSize: 64, groupBySize: true };
  const s1 = new BatchStream('mass-en', ids, monoCosts(data), opts, 42);
  const full: number[][] = [];
  let saved;
  for (let i = 0; i < 120; i++) {
    if (i === 37) saved = s1.getState();
    full.push(Array.from(s1.next()));
  }
  assert.ok(s1.getState().pass >= 2, 'crossed into a second pass');
  const s2 = new BatchStream('mass-en', ids, monoCosts(data), opts, 42);
  s2.setState(saved!);
  for (let i = 37; i < 120; i++) assert.deepEqual(Array.from(s2.next()), full[i]);
  assert.ok(full.every((b) => b.length <= 64), 'max_batch_size caps sentences');
});

test('sentences per batch are fixed by the data: every shuffled pass cuts the same number of batches', async () => {
  const { data } = await realData();
  const ids = filterByLength(data, { maxLen: 100, minLen: 0 });
  const opts = { tokensPerBatch: 700, batchSize: 32, maxBatchSize: 0, groupBySize: true };
  const stream = new BatchStream('mt-en-fr', ids, monoCosts(data), opts, 3);
  const mean = stream.meanBatchSentences();
  for (const seed of [1, 2, 3, 4]) {
    const plan = planBatches(ids, monoCosts(data), opts, new Rng(seed));
    assert.equal(plan.length, Math.round(ids.length / mean), `seed ${seed}`);
  }
  // One pass of the stream itself holds ids.length sentences in ids.length / mean batches.
  let sentences = 0;
  const n = Math.round(ids.length / mean);
  for (let i = 0; i < n; i++) sentences += stream.next().length;
  assert.equal(sentences, ids.length);
  assert.equal(stream.getState().pass, 1);
});

test('batchSentences wraps as XLM: </s> w1..wn </s>, padded', async () => {
  const { data } = await realData();
  const batch = batchSentences(data, [0, 1, 2]);
  for (let b = 0; b < 3; b++) {
    const len = batch.lengths[b]!;
    assert.equal(batch.x[b * batch.slen], EOS_INDEX);
    assert.equal(batch.x[b * batch.slen + len - 1], EOS_INDEX);
    for (let t = len; t < batch.slen; t++) assert.equal(batch.x[b * batch.slen + t], PAD_INDEX);
  }
});
