import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseConfig } from '../../../server/src/config/loadConfig.js';
import { UserError } from '../../../server/src/engine/errors.js';
import { alertForFailure, fieldOfMessage, isOutOfMemory, warmupAlert } from '../../../server/src/daemon/jobs/trainingAlerts.js';

const settings = (o: Record<string, unknown>) => analyseConfig(JSON.stringify({ lgs: 'en-fr', mass_steps: 'en', ...o }), '/ws').settings;

test('out of memory is recognised on every backend and points at the batch size', () => {
  const oom = [
    new RangeError('Array buffer allocation failed'),
    Object.assign(new Error('wasm heap exhausted: could not allocate 1 bytes'), { name: 'WasmOutOfMemoryError' }),
    new Error('OOM when allocating tensor with shape[3000,60000]'),
  ];
  for (const e of oom) assert.ok(isOutOfMemory(e), e.message);
  assert.ok(!isOutOfMemory(new Error('n_heads: bad')));
  const a = alertForFailure(oom[0], settings({ tokens_per_batch: 3000 }));
  assert.equal(a.field, 'tokens_per_batch');
  assert.match(a.message, /^out of memory \(Array buffer allocation failed\): lower tokens_per_batch \(now 3000\)/);
  assert.equal(alertForFailure(oom[1], settings({})).field, 'batch_size');
});

test('user errors keep their message and name their field; others are training failures', () => {
  assert.equal(fieldOfMessage("corpora.mono.en: 'x' matches no file"), 'corpora.mono.en');
  assert.equal(fieldOfMessage('/ws/mass.config.json:3:14: n_heads: n_heads (6) must divide emb_dim (1024)'), 'n_heads');
  assert.equal(fieldOfMessage('train.en:12: invalid UTF-8'), undefined);
  const u = alertForFailure(new UserError('data_path: /ws/data holds no preprocessed data'));
  assert.deepEqual([u.field, u.message], ['data_path', 'data_path: /ws/data holds no preprocessed data']);
  assert.equal(alertForFailure(new UserError('the MA-en loss became NaN'), undefined, 'optimizer').field, 'optimizer');
  assert.equal(alertForFailure(new UserError('training diverged at update 2: loss NaN, gradient norms NaN (encoder)')).field, 'optimizer');
  assert.match(alertForFailure(new TypeError('x is undefined')).message, /^training failed: x is undefined$/);
});

test('a warm-up longer than the planned run, or starting above lr', () => {
  const s = settings({ optimizer: 'adam_inverse_sqrt,lr=0.0001,warmup_updates=4000' });
  assert.match(warmupAlert(s, 1000)!.message, /warm-up lasts 4000 updates but this run plans only 1000/);
  assert.equal(warmupAlert(s, 100000), undefined);
  assert.match(warmupAlert(settings({ optimizer: 'adam_inverse_sqrt,lr=0.0001,warmup_init_lr=0.01' }), 100000)!.message, /falls during warm-up/);
});
