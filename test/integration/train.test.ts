import { tmpdir } from 'node:os';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { runCli } from '../helpers/cli.js';
import { ROOT, tempDir } from '../helpers/paths.js';
import { preparedWorkspace, jsonl } from '../helpers/sampleData.js';
import { readCheckpoint, modelFromCheckpoint } from '../../server/src/engine/checkpoint/safetensorsCheckpoint.js';
import { initBackend } from '../../server/src/engine/backend/selectBackend.js';

let ws: { dir: string; cleanup: () => void };
let config: string;

before(async () => {
  ws = tempDir();
  config = await preparedWorkspace(ws.dir);
});
after(() => ws.cleanup());

function lossesOf(expDir: string): Record<string, number>[] {
  return jsonl(join(expDir, 'train.jsonl'))
    .filter((r) => r.type === 'progress')
    .map((r) => ({ step: r.step as number, ...(r.losses as Record<string, number>) }));
}

test('a resumed run gives the same losses as an uninterrupted one, step for step (dropout on)', async () => {
  const common = ['train', '--config', config, '--dropout', '0.1', '--attention_dropout', '0.1', '--quiet'];
  const a = await runCli([...common, '--exp_id', 'full', '--max_steps', '12']);
  assert.equal(a.code, 0, a.stderr);
  const b1 = await runCli([...common, '--exp_id', 'part', '--max_steps', '6']);
  assert.equal(b1.code, 0, b1.stderr);
  const ck = join(ws.dir, 'dumped', 'test', 'part', 'checkpoint.safetensors');
  // What the stop message says: the checkpoint alone (no config), here from another folder.
  const b2 = await runCli(['train', '--reload_checkpoint', ck, '--max_steps', '12', '--quiet'], { cwd: tmpdir() });
  assert.equal(b2.code, 0, b2.stderr);
  assert.equal(b2.stderr, '', 'no warnings about flags the checkpoint overrides');
  const full = lossesOf(join(ws.dir, 'dumped', 'test', 'full'));
  const resumed = lossesOf(join(ws.dir, 'dumped', 'test', 'part'));
  assert.equal(full.length, 6, 'one report per iteration (en + fr)');
  assert.deepEqual(resumed, full, 'losses identical before and after the resume');
});

test('settings that contradict each other or missing data fail before training, naming the field', async () => {
  const heads = await runCli(['train', '--config', config, '--n_heads', '3']);
  assert.equal(heads.code, 1);
  assert.equal(heads.stderr.trim(), 'mass: --n_heads: n_heads (3) must divide emb_dim (32)');
  const lang = await runCli(['train', '--config', config, '--mass_steps', 'en,de']);
  assert.match(lang.stderr, /^mass: --mass_steps: language 'de' is not in lgs \('en-fr'\)/);
  const data = await runCli(['train', '--config', config, '--data_path', join(ws.dir, 'nowhere')]);
  assert.match(data.stderr, /^mass: data_path: .*nowhere holds no preprocessed data/);
  const unknown = await runCli(['train', '--config', config, '--emb_dimm', '3']);
  assert.match(unknown.stderr, /^mass: train: unknown option --emb_dimm/);
});

test("the reference's full-size pre-training command is refused before anything is allocated, with the estimate, the limit and what would fit", async () => {
  // README's command, on this workspace's data: 196M parameters cannot train in the wasm heap.
  const r = await runCli([
    'train',
    '--config',
    config,
    '--backend',
    'wasm',
    '--emb_dim',
    '1024',
    '--n_layers',
    '6',
    '--n_dec_layers',
    '6',
    '--n_heads',
    '8',
    '--tokens_per_batch',
    '3000',
    '--max_len',
    '100',
    '--exp_id',
    'refused',
  ]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^mass: out of memory before it starts: a training step needs about [\d.]+ GB \([\d.]+M parameters/);
  assert.match(r.stderr, /more than the wasm backend's 4 GB heap/);
  assert.match(r.stderr, /- tokens_per_batch \d+ with accumulate_gradients \d+/);
  assert.match(r.stderr, /- a smaller model: --emb_dim 512 /);
  assert.match(r.stderr, /- a GPU backend/);
  assert.ok(!existsSync(join(ws.dir, 'dumped', 'test', 'refused')), 'nothing is written for a refused run');
});

test('a process killed (SIGKILL) while saving leaves the previous checkpoint loadable', async () => {
  const expDir = join(ws.dir, 'dumped', 'test', 'kill');
  // Bigger weights make each save take long enough to be caught in the middle.
  const args = [
    '--import',
    'tsx',
    join(ROOT, 'server/src/cli/main.ts'),
    'train',
    '--config',
    config,
    '--exp_id',
    'kill',
    '--emb_dim',
    '256',
    '--n_heads',
    '4',
    '--epoch_size',
    '60',
    '--max_epoch',
    '50',
    '--quiet',
  ];
  let caughtMidWrite = false;
  for (let attempt = 0; attempt < 6 && !caughtMidWrite; attempt++) {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (!existsSync(expDir)) return;
        clearInterval(poll);
        const w = watch(expDir, (_e, name) => {
          // the second save's temp file: a previous checkpoint exists to fall back on
          if (name && name.startsWith('.checkpoint.safetensors.tmp') && existsSync(join(expDir, 'checkpoint.safetensors'))) {
            child.kill('SIGKILL');
            w.close();
            resolve();
          }
        });
        child.on('exit', () => {
          w.close();
          resolve();
        });
      }, 20);
    });
    await exited;
    caughtMidWrite = readdirSync(expDir).some((f) => f.startsWith('.checkpoint.safetensors.tmp'));
  }
  assert.ok(caughtMidWrite, 'the process was killed while a checkpoint was being written');
  await initBackend('wasm');
  const ck = await readCheckpoint(join(expDir, 'checkpoint.safetensors'));
  const model = modelFromCheckpoint(ck);
  assert.equal(model.config.emb_dim, 256);
  assert.ok(ck.meta.state, 'resumable state present');
  model.dispose();
  const resumed = await runCli([
    'train',
    '--config',
    config,
    '--reload_checkpoint',
    join(expDir, 'checkpoint.safetensors'),
    '--max_steps',
    String(ck.meta.updates + 2),
    '--quiet',
  ]);
  assert.equal(resumed.code, 0, resumed.stderr);
});

test('MASS pre-training on a larger real sample lowers validation masked-span perplexity, epoch after epoch', async () => {
  const r = await runCli(['train', '--config', config, '--exp_id', 'ppl', '--epoch_size', '1500', '--max_epoch', '3', '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const epochs = jsonl(join(ws.dir, 'dumped', 'test', 'ppl', 'train.jsonl')).filter((x) => x.type === 'event' && x.kind === 'epoch');
  assert.equal(epochs.length, 3);
  for (const lang of ['en', 'fr']) {
    const ppl = epochs.map((e) => (e.scores as Record<string, number>)[`valid_${lang}-${lang}_mass_ppl`]!);
    assert.ok(ppl[2]! < ppl[0]! * 0.8, `${lang}: valid masked-span ppl ${ppl.map((p) => p.toFixed(1)).join(' → ')}`);
    assert.ok(ppl[1]! < ppl[0]!, `${lang}: improves after the first epoch`);
  }
  // The progress total is computed once from the data: it never jumps, and it is what the run did.
  const progress = jsonl(join(ws.dir, 'dumped', 'test', 'ppl', 'train.jsonl')).filter((x) => x.type === 'progress');
  assert.ok(progress.length >= 3, `${progress.length} progress records`);
  const totals = new Set(progress.map((x) => x.totalSteps));
  assert.equal(totals.size, 1, `totals seen: ${[...totals].join(', ')}`);
  const done = progress.at(-1)!.step as number;
  const total = [...totals][0] as number;
  assert.ok(Math.abs(total - done) <= Math.max(4, 0.15 * done), `planned ${total} updates, the run did at least ${done}`);
});
