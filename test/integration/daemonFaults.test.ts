/**
 * The daemon under client faults, on the real daemon with real (tiny) training jobs: a client that
 * supports work-done progress disconnecting while a job runs (stdio: the job stops and writes its
 * checkpoint, no crash; socket: the job goes on and the other clients are served), and a 5-job soak
 * with translations in between (tensor count and RSS back to the baseline after each job).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DaemonClient } from '../helpers/daemonClient.js';
import { realLines } from '../helpers/realText.js';
import { openSocket, request, startSocketDaemon, frame, type RawMessage } from '../helpers/rawLsp.js';
import { tinySettings, tinyWorkspace } from '../helpers/tinyWorkspace.js';
import type { JobStarted, StatusResult, TrainingEvent, TrainingProgress, TranslateResult } from '../../server/src/protocol.js';

const capabilities = { window: { workDoneProgress: true } };
const events = (c: DaemonClient) => c.notifications.filter((n) => n.method === 'mass/trainingEvent').map((n) => n.params as TrainingEvent);
const progress = (c: DaemonClient) => c.notifications.filter((n) => n.method === 'mass/trainingProgress').map((n) => n.params as TrainingProgress);

test('stdio closed while a job runs (work-done progress on): no crash; the job stops and writes its checkpoint', async () => {
  const ws = await tinyWorkspace('mass-faults-');
  const c = await DaemonClient.start(ws.dir, { capabilities });
  try {
    const { job } = (await c.connection.sendRequest('mass/pretrain', { config: ws.config })) as JobStarted;
    await c.waitFor(
      'a work-done progress report',
      () => c.notifications.some((n) => n.method === '$/progress' && (n.params as { value: { kind: string } }).value.kind === 'report'),
      120_000,
    );
    await c.waitFor('5 updates', () => progress(c).filter((x) => x.jobId === job.id).length >= 5, 120_000);
    const lastSeen = progress(c).at(-1)!.step;
    // the editor goes away: its end of the pipe closes
    c.child.stdin.end();
    const code = await Promise.race([c.exited, new Promise((r) => setTimeout(() => r('timeout'), 60_000))]);
    assert.equal(code, 1, `exit code (no shutdown was sent)\n${c.stderr.slice(-3000)}`);
    assert.doesNotMatch(c.stderr, /uncaught exception|unhandled rejection|Connection is closed/);
    // the wasm engine's emscripten glue tried to install its rethrowing process handlers, and was refused
    if (/backend: wasm/.test(c.stderr) || c.notifications.some((n) => n.method === 'mass/log' && /backend: wasm/.test(JSON.stringify(n.params)))) {
      assert.match(c.stderr, /ignored a process 'uncaughtException' handler/);
    }
    const { readCheckpointHeader } = await import('../../server/src/engine/checkpoint/safetensorsCheckpoint.js');
    const meta = await readCheckpointHeader(join(ws.dir, 'dumped/tiny/run/checkpoint.safetensors'));
    assert.ok(meta, 'a checkpoint was written');
    assert.ok(meta.updates >= lastSeen, `the stop checkpoint holds update ${meta.updates}, progress had reached ${lastSeen}`);
    assert.ok(meta.state, 'resumable');
  } finally {
    c.child.kill('SIGKILL');
    ws.cleanup();
  }
});

test('socket: a client with work-done progress drops mid-job; the job goes on and the other client is served', async () => {
  const ws = await tinyWorkspace('mass-faults-');
  const token = 'a-long-enough-test-token-0123456789';
  const d = await startSocketDaemon(token);
  try {
    const init = (id: number) =>
      request(id, 'initialize', {
        processId: null,
        rootUri: pathToFileURL(ws.dir).href,
        workspaceFolders: [{ uri: pathToFileURL(ws.dir).href, name: 'ws' }],
        capabilities,
      });
    const a = await openSocket(d.port);
    const b = await openSocket(d.port);
    for (const c of [a, b]) {
      c.socket.write(`MASS-TOKEN ${token}\r\n` + init(1) + frame({ jsonrpc: '2.0', method: 'initialized', params: {} }));
      await c.reader.response((m) => m.id === 1);
    }
    // a answers the daemon's window/workDoneProgress/create requests, as VS Code does
    const answered = new Set<number | string>();
    const answer = () => {
      for (const m of a.reader.messages)
        if (m.method && m.id !== undefined && m.id !== null && !answered.has(m.id)) {
          answered.add(m.id);
          a.socket.write(frame({ jsonrpc: '2.0', id: m.id, result: null }));
        }
    };
    const timer = setInterval(answer, 20);
    a.socket.write(request(2, 'mass/pretrain', { config: ws.config }));
    const started = (await a.reader.response((m) => m.id === 2, 120_000)).result as JobStarted;
    const reports = (msgs: RawMessage[]) =>
      msgs.filter((m) => m.method === '$/progress' && (m.params as { value: { kind: string } }).value.kind === 'report').length;
    const deadline = Date.now() + 120_000;
    while (reports(a.reader.messages) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(reports(a.reader.messages) >= 2, 'client a gets work-done progress');
    clearInterval(timer);
    a.socket.destroy();

    const stepOf = (m: RawMessage) => (m.params as TrainingProgress).step;
    const progressB = () => b.reader.messages.filter((m) => m.method === 'mass/trainingProgress');
    const before = progressB().length;
    const atDrop = stepOf(progressB().at(-1)!);
    while (progressB().length < before + 5 && Date.now() < deadline + 60_000) await new Promise((r) => setTimeout(r, 100));
    assert.ok(stepOf(progressB().at(-1)!) > atDrop, 'training went on after client a left');
    b.socket.write(request(3, 'mass/status'));
    const st = (await b.reader.response((m) => m.id === 3)).result as StatusResult;
    assert.equal(st.job?.id, started.job.id);
    assert.equal(st.job?.state, 'running');
    b.socket.write(request(4, 'mass/stopTraining', {}));
    const stopped = (await b.reader.response((m) => m.id === 4, 120_000)).result as { stopped: boolean; checkpoint?: string };
    assert.equal(stopped.stopped, true);
    assert.ok(stopped.checkpoint && existsSync(stopped.checkpoint));
    assert.equal(d.child.exitCode, null, 'the daemon is still running');
    assert.doesNotMatch(d.stderr(), /uncaught exception|unhandled rejection/);
    b.socket.destroy();
  } finally {
    await d.stop();
    ws.cleanup();
  }
});

test('soak: 5 jobs in one daemon with translations in between; tensors and RSS back to the baseline', async () => {
  const ws = await tinyWorkspace('mass-soak-');
  // max_steps ends each job by itself; each job writes its own experiment (the translator cache keeps two)
  const c = await DaemonClient.start(ws.dir);
  const lines = await realLines('en-fr', 'valid.en.gz', 4, 300);
  const samples: { tensors: number; rss: number }[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const config = ws.write(`job${i}.mass.json`, tinySettings({ exp_id: `soak${i}`, max_steps: 6, epoch_size: 60 }));
      const { job } = (await c.connection.sendRequest('mass/pretrain', { config })) as JobStarted;
      const end = await c.waitFor(
        `job ${i} to end`,
        () => events(c).find((e) => e.jobId === job.id && ['finished', 'failed', 'stopped'].includes(e.kind)),
        180_000,
      );
      assert.equal(end.kind, 'finished', end.message);
      const t = (await c.connection.sendRequest('mass/translate', { text: lines, src: 'en', tgt: 'fr', checkpoint: end.checkpoint })) as TranslateResult;
      assert.equal(t.translations.length, 4);
      assert.equal(t.live, false);
      const st = (await c.connection.sendRequest('mass/status')) as StatusResult;
      assert.ok(st.memory.tensors !== undefined);
      samples.push({ tensors: st.memory.tensors!, rss: st.memory.rss });
    }
    process.stderr.write(
      `# soak: tensors ${samples.map((s) => s.tensors).join(' → ')}; RSS MB ${samples.map((s) => (s.rss / 2 ** 20).toFixed(0)).join(' → ')}\n`,
    );
    // after job 2 the translator cache is full (two checkpoints): from there on, nothing may grow
    const base = samples[1]!;
    for (const s of samples.slice(2)) {
      assert.equal(s.tensors, base.tensors, `tensors ${samples.map((x) => x.tensors).join(', ')}`);
      assert.ok(s.rss <= base.rss * 1.15 + 32 * 2 ** 20, `RSS ${samples.map((x) => x.rss).join(', ')}`);
    }
  } finally {
    await c.stop();
    ws.cleanup();
  }
});
