import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobQueue, type JobOutcome, type JobSpec } from '../../../server/src/daemon/jobs/jobQueue.js';
import type { JobInfo, TrainingEvent } from '../../../server/src/protocol.js';

/** A job that runs until released (or stopped), like a training loop between updates. */
function controllable(name: string, log: string[]) {
  let release!: (o: JobOutcome) => void;
  let stopHook = () => release({ status: 'stopped', checkpoint: `${name}.safetensors` });
  const spec: JobSpec = {
    kind: 'pretrain',
    config: `${name}.mass.json`,
    start(reporter) {
      log.push(`start ${name}`);
      reporter.progress({
        epoch: 0,
        step: 1,
        losses: { 'MA-en': 9 },
        loss: 9,
        ppl: Math.exp(9),
        lr: 1e-4,
        tokensPerSecond: 100,
        memoryMB: 10,
        elapsedSeconds: 1,
      });
      reporter.log(`${name} running`);
      return { done: new Promise<JobOutcome>((r) => (release = r)), stop: () => stopHook() };
    },
  };
  return { spec, finish: (o: JobOutcome) => release(o), setStop: (f: () => void) => (stopHook = f) };
}

function recorder() {
  const events: TrainingEvent[] = [];
  const logs: string[] = [];
  const queue = new JobQueue({
    progress: () => undefined,
    event: (_j: JobInfo, e) => events.push(e),
    log: (_j, l) => logs.push(l),
  });
  return { queue, events, logs };
}

const tick = () => new Promise((r) => setImmediate(r));

test('one job at a time, the others wait in order', async () => {
  const { queue, events } = recorder();
  const order: string[] = [];
  const a = controllable('a', order);
  const b = controllable('b', order);
  const ja = queue.enqueue(a.spec);
  const jb = queue.enqueue(b.spec);
  await tick();
  assert.deepEqual(order, ['start a']);
  let st = queue.status();
  assert.equal(st.job?.id, ja.id);
  assert.equal(st.job?.state, 'running');
  assert.deepEqual(
    st.queue.map((j) => [j.id, j.state]),
    [[jb.id, 'queued']],
  );
  assert.equal(st.progress?.jobId, ja.id);
  a.finish({ status: 'finished', checkpoint: 'a.safetensors', scores: { valid_en_ppl: 12 } });
  await tick();
  await tick();
  assert.deepEqual(order, ['start a', 'start b']);
  const fin = events.find((e) => e.jobId === ja.id && e.kind === 'finished');
  assert.equal(fin?.checkpoint, 'a.safetensors');
  assert.deepEqual(fin?.scores, { valid_en_ppl: 12 });
  b.finish({ status: 'finished' });
  await tick();
  st = queue.status();
  assert.equal(st.job?.state, 'finished');
  assert.equal(queue.isBusy(), false);
});

test('stopping: a queued job is dropped, the running one stops with its checkpoint', async () => {
  const { queue, events } = recorder();
  const order: string[] = [];
  const a = controllable('a', order);
  const b = controllable('b', order);
  const ja = queue.enqueue(a.spec);
  const jb = queue.enqueue(b.spec);
  await tick();
  assert.deepEqual(await queue.stop(jb.id), { stopped: true });
  assert.equal(events.find((e) => e.jobId === jb.id)?.kind, 'stopped');
  assert.deepEqual(await queue.stop(), { stopped: true, checkpoint: 'a.safetensors' });
  assert.equal(queue.status().job?.state, 'stopped');
  assert.deepEqual(order, ['start a'], 'the dropped job never started');
  assert.deepEqual(await queue.stop(ja.id), { stopped: false }, 'nothing left to stop');
});

test('a job that throws or rejects fails with its message and the queue goes on', async () => {
  const { queue, events } = recorder();
  const order: string[] = [];
  queue.enqueue({
    kind: 'pretrain',
    config: 'x',
    start: () => {
      throw new Error('n_heads: bad');
    },
  });
  queue.enqueue({ kind: 'pretrain', config: 'y', start: () => ({ done: Promise.reject(new Error('out of memory')), stop: () => undefined }) });
  const c = controllable('c', order);
  queue.enqueue(c.spec);
  for (let i = 0; i < 6; i++) await tick();
  assert.deepEqual(
    events.filter((e) => e.kind === 'failed').map((e) => e.message),
    ['n_heads: bad', 'out of memory'],
  );
  assert.deepEqual(order, ['start c']);
  c.finish({ status: 'finished' });
});

test('a listener that throws does not break the queue', async () => {
  const queue = new JobQueue({
    progress: () => {
      throw new Error('connection closed');
    },
    event: () => {
      throw new Error('connection closed');
    },
    log: () => {
      throw new Error('connection closed');
    },
  });
  const order: string[] = [];
  const a = controllable('a', order);
  queue.enqueue(a.spec);
  await tick();
  a.finish({ status: 'finished' });
  await tick();
  assert.equal(queue.status().job?.state, 'finished');
});
