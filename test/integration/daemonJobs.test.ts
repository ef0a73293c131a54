/**
 * Training through the daemon on real text (a tiny model, so it runs in seconds): progress
 * notifications and work-done progress, a second job queued, translate while training from the live
 * weights, cancelling a translation, the daemon killed mid-training and restarted, resuming from the
 * checkpoint; and training failures (missing data, a diverging loss) that become a message, a failed
 * event and a diagnostic on the config.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import { DaemonClient, type Diag } from '../helpers/daemonClient.js';
import { tempDir } from '../helpers/paths.js';
import { realLines } from '../helpers/realText.js';
import type { JobStarted, StatusResult, StopResult, TrainingEvent, TrainingProgress, TranslateResult } from '../../server/src/protocol.js';

let ws: { dir: string; cleanup: () => void };
let config: string;
const p = (f: string) => join(ws.dir, f);
const capabilities = { window: { workDoneProgress: true } };

function settings(extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      lgs: 'en-fr',
      data_path: './data/processed',
      dump_path: './dumped',
      corpora: { mono: { en: ['mono.en'], fr: ['mono.fr'] }, valid: { 'en-fr': { en: 'valid.en', fr: 'valid.fr' } }, valid_size: 100 },
      bpe: { codes: 500 },
      mass_steps: 'en,fr',
      emb_dim: 32,
      n_layers: 1,
      n_dec_layers: 1,
      n_heads: 2,
      tokens_per_batch: 400,
      optimizer: 'adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.001,warmup_updates=10',
      epoch_size: 200,
      max_epoch: 10000,
      max_len: 60,
      log_every: 2,
      ...extra,
    },
    null,
    2,
  );
}

before(async () => {
  ws = tempDir('mass-jobs-');
  writeFileSync(p('mono.en'), (await realLines('en-fr', 'mono.en.gz', 3000)).join('\n') + '\n');
  writeFileSync(p('mono.fr'), (await realLines('en-fr', 'mono.fr.gz', 3000)).join('\n') + '\n');
  writeFileSync(p('valid.en'), (await realLines('en-fr', 'valid.en.gz', 200)).join('\n') + '\n');
  writeFileSync(p('valid.fr'), (await realLines('en-fr', 'valid.fr.gz', 200)).join('\n') + '\n');
  config = p('mass.config.json');
  writeFileSync(config, settings());
});

after(() => ws?.cleanup());

const events = (c: DaemonClient) => c.notifications.filter((n) => n.method === 'mass/trainingEvent').map((n) => n.params as TrainingEvent);
const progress = (c: DaemonClient) => c.notifications.filter((n) => n.method === 'mass/trainingProgress').map((n) => n.params as TrainingProgress);

test('pre-train, queue, translate while training, cancel, kill the daemon, restart and resume', async () => {
  const a = await DaemonClient.start(ws.dir, { capabilities });
  let killedAtStep = 0;
  try {
    const { job } = (await a.connection.sendRequest('mass/pretrain', { config })) as JobStarted;
    assert.equal(job.kind, 'pretrain');
    assert.equal(job.config, config);
    const queued = ((await a.connection.sendRequest('mass/pretrain', { config })) as JobStarted).job;
    assert.equal(queued.state, 'queued');

    await a.waitFor('progress reports', () => progress(a).filter((x) => x.jobId === job.id).length >= 3, 120_000);
    const st = (await a.connection.sendRequest('mass/status')) as StatusResult;
    assert.equal(st.job?.id, job.id);
    assert.equal(st.job?.state, 'running');
    assert.deepEqual(
      st.queue.map((j) => j.id),
      [queued.id],
    );
    assert.equal(st.progress?.jobId, job.id);
    assert.ok(Number.isFinite(st.progress!.loss) && st.progress!.step > 0);
    assert.notEqual(st.backend, 'not-loaded');
    assert.ok(a.notifications.some((n) => n.method === 'mass/log' && /epoch/.test((n.params as { line: string }).line)));
    // work-done progress the daemon created for the job
    assert.ok(a.notifications.some((n) => n.method === 'window/workDoneProgress/create'));
    assert.ok(
      a.notifications.some((n) => n.method === '$/progress' && (n.params as { value: { kind: string; title?: string } }).value.title === 'MASS pretrain'),
    );

    assert.deepEqual(await a.connection.sendRequest('mass/stopTraining', { jobId: queued.id }), { stopped: true });

    const lines = await realLines('en-fr', 'valid.en.gz', 4, 300);
    const t = (await a.connection.sendRequest('mass/translate', { text: lines, src: 'en', tgt: 'fr' })) as TranslateResult;
    assert.equal(t.live, true, 'translated with the weights being trained');
    assert.equal(t.translations.length, 4);
    assert.ok(t.checkpoint.startsWith(p('dumped')));
    await assert.rejects(
      a.connection.sendRequest('mass/translate', { text: lines, src: 'en', tgt: 'de' }),
      (e: { code: number; message: string }) => e.code === -32602 && /params\.tgt: unknown target language 'de'/.test(e.message),
    );

    const source = new CancellationTokenSource();
    const many = await realLines('en-fr', 'valid.en.gz', 200, 400);
    const pending = a.connection.sendRequest('mass/translate', { text: many, src: 'en', tgt: 'fr', beam: 4 }, source.token);
    setImmediate(() => source.cancel());
    await assert.rejects(pending, (e: { code: number }) => e.code === -32800);

    const saved = await a.waitFor('a checkpoint', () => events(a).find((e) => e.jobId === job.id && e.kind === 'checkpoint'), 120_000);
    killedAtStep = progress(a).at(-1)!.step;
    assert.ok(saved.checkpoint!.endsWith('checkpoint.safetensors'));
    a.child.kill('SIGKILL');
    await a.exited;
  } finally {
    a.child.kill('SIGKILL');
  }

  const b = await DaemonClient.start(ws.dir);
  try {
    const st = (await b.connection.sendRequest('mass/status')) as StatusResult;
    assert.equal(st.job, undefined, 'a new daemon has run no job');
    assert.equal(st.checkpoint?.kind, 'last', 'but it finds the last checkpoint');
    assert.ok(st.checkpoint!.step > 0);
    const { job } = (await b.connection.sendRequest('mass/resume', { config })) as JobStarted;
    assert.equal(job.kind, 'resume');
    const first = await b.waitFor('progress of the resumed run', () => progress(b).find((x) => x.jobId === job.id), 120_000);
    assert.ok(first.step > st.checkpoint!.step, `continues from update ${st.checkpoint!.step}: ${first.step}`);
    assert.ok(first.step <= killedAtStep + 10);
    const stopped = (await b.connection.sendRequest('mass/stopTraining', {})) as StopResult;
    assert.equal(stopped.stopped, true);
    assert.match(stopped.checkpoint ?? '', /checkpoint\.safetensors$/);
    const ev = await b.waitFor('the stopped event', () => events(b).find((e) => e.jobId === job.id && e.kind === 'stopped'));
    assert.equal(ev.checkpoint, stopped.checkpoint);
    assert.equal(((await b.connection.sendRequest('mass/status')) as StatusResult).job?.state, 'stopped');

    // the saved model scored on the config's validation data
    const ev2 = (await b.connection.sendRequest('mass/evaluate', { config, checkpoint: stopped.checkpoint })) as {
      checkpoint: string;
      scores: Record<string, number>;
    };
    assert.equal(ev2.checkpoint, stopped.checkpoint);
    for (const k of ['valid_en-en_mass_ppl', 'valid_fr-fr_mass_acc', 'valid_en-fr_mt_bleu', 'valid_fr-en_mt_ppl'])
      assert.ok(Number.isFinite(ev2.scores[k]), `${k} in ${Object.keys(ev2.scores).join(', ')}`);
    await assert.rejects(b.connection.sendRequest('mass/evaluate', { config, checkpoint: '/etc/passwd' }), (e: { code: number }) => e.code === -32602);
  } finally {
    await b.stop();
  }
});

test('training failures: a message, a failed event and a diagnostic on the config field', async () => {
  const c = await DaemonClient.start(ws.dir);
  try {
    const noData = p('nodata.mass.json');
    writeFileSync(noData, JSON.stringify({ lgs: 'en-fr', mass_steps: 'en,fr', data_path: './empty', dump_path: './dumped', emb_dim: 32, n_heads: 2 }, null, 2));
    const { job } = (await c.connection.sendRequest('mass/pretrain', { config: noData })) as JobStarted;
    const failed = await c.waitFor('the failed event', () => events(c).find((e) => e.jobId === job.id && e.kind === 'failed'), 120_000);
    assert.match(failed.message, /^data_path: .*empty holds no preprocessed data/);
    const shown = await c.waitFor('a message', () => c.notifications.find((n) => n.method === 'window/showMessage'));
    assert.equal((shown.params as { type: number }).type, 1);
    assert.match((shown.params as { message: string }).message, /^MASS pretrain \(nodata\.mass\.json\): data_path: /);
    const d = await c.diagnosticsOf(noData, (x) => x.some((y) => y.source === 'mass-training'));
    const diag = d.find((x) => x.source === 'mass-training') as Diag;
    assert.equal(diag.range.start.line, 3, 'on the data_path line');
    assert.equal(diag.severity, 1);

    // a learning rate this large makes the loss overflow within a few updates
    const diverging = p('diverging.mass.json');
    writeFileSync(diverging, settings({ optimizer: 'adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=1e30,warmup_updates=1,warmup_init_lr=1e30', clip_grad_norm: 0 }));
    const j2 = ((await c.connection.sendRequest('mass/pretrain', { config: diverging })) as JobStarted).job;
    const f2 = await c.waitFor('the diverging run to fail', () => events(c).find((e) => e.jobId === j2.id && e.kind === 'failed'), 180_000);
    assert.match(f2.message, /diverged.*\b(NaN|-?Infinity)\b|\b(NaN|-?Infinity)\b.*diverged/);
    const d2 = await c.diagnosticsOf(diverging, (x) => x.some((y) => y.source === 'mass-training'));
    const onOptimizer = d2.find((x) => x.source === 'mass-training')!;
    const optimizerLine = settings()
      .split('\n')
      .findIndex((l) => l.includes('"optimizer"'));
    assert.equal(onOptimizer.range.start.line, optimizerLine);
  } finally {
    await c.stop();
  }
});
