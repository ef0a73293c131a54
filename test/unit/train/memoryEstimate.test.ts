import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseConfig } from '../../../server/src/config/loadConfig.js';
import { estimateTrainingMemory, countParameters } from '../../../server/src/engine/train/memoryEstimate.js';
import { totalmem } from 'node:os';
import { WASM_HEAP_BYTES, backendMemoryLimit } from '../../../server/src/engine/train/memoryLimits.js';
import { memoryRefusal } from '../../../server/src/engine/train/memoryCheck.js';

const settings = (o: Record<string, unknown>) => analyseConfig(JSON.stringify({ lgs: 'en-fr', mass_steps: 'en,fr', ...o }), '/ws').settings;

test("the paper's model with 3000 tokens per batch does not fit the wasm heap; the sample config does", () => {
  const big = settings({ emb_dim: 1024, n_layers: 6, n_dec_layers: 6, n_heads: 8, tokens_per_batch: 3000, max_len: 100 });
  const est = estimateTrainingMemory(big, 60000)!;
  // XLM's en-fr MASS model: about 250M parameters with two 60k-word embedding tables
  assert.ok(est.parameters > 200e6 && est.parameters < 320e6, String(est.parameters));
  assert.ok(est.bytes.total > WASM_HEAP_BYTES);
  const small = settings({ emb_dim: 128, n_layers: 2, n_dec_layers: 2, n_heads: 4, tokens_per_batch: 1500, max_len: 100 });
  assert.ok(estimateTrainingMemory(small, 6000)!.bytes.total < WASM_HEAP_BYTES / 10);
});

test('memory grows with the batch, and an impossible model gives no estimate', () => {
  const at = (t: number) => estimateTrainingMemory(settings({ emb_dim: 512, n_heads: 8, tokens_per_batch: t }), 30000)!.bytes.total;
  assert.ok(at(4000) > at(2000) && at(2000) > at(1000));
  assert.equal(estimateTrainingMemory(settings({ emb_dim: 512, n_heads: 7 }), 30000), undefined);
  assert.ok(countParameters(settings({ emb_dim: 64, n_heads: 4 }), 1000) > 0);
});

test("the limit is the backend's, or the daemon's memory budget when that is smaller", () => {
  assert.deepEqual(backendMemoryLimit('wasm'), { bytes: WASM_HEAP_BYTES, what: "the wasm backend's 4 GB heap" });
  assert.equal(backendMemoryLimit('wasm', 8192)!.bytes, WASM_HEAP_BYTES);
  const budget = backendMemoryLimit('wasm', 1024)!;
  assert.equal(budget.bytes, 1024 ** 3);
  assert.match(budget.what, /memory limit of 1024 MB \(setting mass\.daemon\.memoryLimitMB\)/);
  assert.equal(backendMemoryLimit('tfjs-node-gpu'), undefined, "a GPU's memory is not known");
  assert.equal(backendMemoryLimit('tfjs-node-gpu', 2048)!.bytes, 2048 * 1024 ** 2);
  assert.equal(backendMemoryLimit('cpu', 0)!.bytes, totalmem());
});

test('a run that cannot fit is refused with what would: the largest batch that fits, a smaller model, a GPU', () => {
  const big = settings({ emb_dim: 1024, n_layers: 6, n_dec_layers: 6, n_heads: 8, tokens_per_batch: 3000, max_len: 100, backend: 'wasm' });
  const limit = backendMemoryLimit('wasm')!;
  const msg = memoryRefusal(big, 6258, limit)!;
  assert.match(msg, /^out of memory before it starts: a training step needs about [\d.]+ GB/);
  assert.match(msg, /more than the wasm backend's 4 GB heap/);
  const tpb = Number(/tokens_per_batch (\d+) with accumulate_gradients (\d+)/.exec(msg)![1]);
  const acc = Number(/tokens_per_batch (\d+) with accumulate_gradients (\d+)/.exec(msg)![2]);
  // The suggestion fits, and keeps the effective batch.
  assert.ok(estimateTrainingMemory({ ...big, tokens_per_batch: tpb }, 6258)!.bytes.total <= limit.bytes);
  assert.ok(estimateTrainingMemory({ ...big, tokens_per_batch: tpb + 500 }, 6258)!.bytes.total > limit.bytes);
  assert.ok(tpb * acc >= 3000);
  const model = /a smaller model: --emb_dim (\d+) --n_heads (\d+) --n_layers (\d+) --n_dec_layers (\d+)/.exec(msg)!;
  const smaller = { ...big, emb_dim: +model[1]!, n_heads: +model[2]!, n_layers: +model[3]!, n_dec_layers: +model[4]! };
  assert.ok(estimateTrainingMemory(smaller, 6258)!.bytes.total <= limit.bytes);
  assert.match(msg, /a GPU backend/);
  // What fits is not refused; an unknown limit (a GPU's) refuses nothing.
  assert.equal(memoryRefusal(settings({ emb_dim: 256, n_heads: 4, tokens_per_batch: 4000 }), 16000, limit), undefined);
  assert.equal(memoryRefusal(big, 6258, undefined), undefined);
});

test('when not even one sentence fits, the message says so instead of suggesting a batch', () => {
  // The paper's model with a 60k vocabulary: 307M parameters, 4.6 GB before any activation.
  const paper = settings({ emb_dim: 1024, n_layers: 6, n_dec_layers: 6, n_heads: 8, tokens_per_batch: 3000, max_len: 100, backend: 'wasm' });
  const msg = memoryRefusal(paper, 60000, backendMemoryLimit('wasm'))!;
  assert.match(msg, /no batch size: the [\d.]+ GB of weights, gradients and Adam state alone leave no room/);
  assert.match(msg, /a smaller model: --emb_dim 512 /);
});
