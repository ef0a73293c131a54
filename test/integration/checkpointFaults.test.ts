/**
 * Fault injection: a tiny training run (the real `mass train`, saving every epoch of a few updates) is
 * SIGKILLed at 20 random moments, and resumed each time from its checkpoint. After every kill the
 * checkpoint loads completely (weights and Adam state), its `.json` sidecar agrees with its header once
 * the next run has started, no update is lost (the saved update count never goes back), and the next
 * start leaves none of the temporary files the killed save left; then a last resume finishes the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/paths.js';
import { tinySettings, tinyWorkspace } from '../helpers/tinyWorkspace.js';

const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const KILLS = Number(process.env.MASS_FAULT_KILLS ?? 20);

/** A small seeded generator (the seed is printed, so a failing run can be replayed). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Starts `mass train`, waits for its first save (so its start, which cleans up, is behind it), then
 * kills it after `delayMs`: anywhere in the following updates, evaluations and saves.
 */
function trainAndKill(args: string[], cwd: string, delayMs: number | undefined): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'server/src/cli/main.ts'), 'train', ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let armed = false;
    child.stdout.resume();
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!armed && delayMs !== undefined && /^saved .*checkpoint\.safetensors$/m.test(stderr)) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stderr });
    });
  });
}

const tempFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => n.includes('.tmp-')) : []);

test(`SIGKILL at ${KILLS} random moments of a training run: the checkpoint is always whole and current, then resume finishes`, async () => {
  const seed = Number(process.env.MASS_FAULT_SEED ?? Date.now() % 100000);
  const random = rng(seed);
  const ws = await tinyWorkspace('mass-kill-', 300);
  const maxSteps = 1000;
  const config = ws.write('mass.config.json', tinySettings({ epoch_size: 8, tokens_per_batch: 200, max_steps: maxSteps }));
  const pre = await runCli(['preprocess', '--config', config], { cwd: ws.dir });
  assert.equal(pre.code, 0, pre.stderr);
  const expDir = join(ws.dir, 'dumped', 'tiny', 'run');
  const ck = join(expDir, 'checkpoint.safetensors');
  const [{ readCheckpoint, readCheckpointHeader, modelFromCheckpoint }, { optimizerFromCheckpoint }, { initBackend }] = await Promise.all([
    import('../../server/src/engine/checkpoint/safetensorsCheckpoint.js'),
    import('../../server/src/engine/train/saveCheckpoint.js'),
    import('../../server/src/engine/backend/selectBackend.js'),
  ]);
  await initBackend('cpu');
  let lastUpdates = -1;
  let midSave = 0;
  let crashes = 0;
  let leftBehind: string[] = [];
  const seen: number[] = [];
  try {
    for (let i = 0; i < KILLS; i++) {
      const args = ['--config', config, ...(existsSync(ck) ? ['--reload_checkpoint', ck] : [])];
      const r = await trainAndKill(args, ws.dir, Math.floor(random() * 3000));
      if (r.signal !== 'SIGKILL') crashes++;
      assert.equal(r.signal, 'SIGKILL', `run ${i} ended by itself (code ${r.code}) before the kill:\n${r.stderr.slice(-2000)}`);
      // the start of this run removed what the previous kill left
      for (const f of leftBehind) assert.ok(!existsSync(join(expDir, f)), `run ${i} started, yet ${f} is still there`);
      leftBehind = tempFiles(expDir);
      if (leftBehind.length) midSave++;
      if (process.env.MASS_FAULT_DEBUG) process.stderr.write(`# run ${i}: ${r.stderr.split('\n').slice(-6).join(' / ')}\n`);
      if (!existsSync(ck)) continue; // killed before the first save
      const ckpt = await readCheckpoint(ck);
      const model = modelFromCheckpoint(ckpt); // every weight present, of its shape
      model.dispose();
      const adam = optimizerFromCheckpoint(ckpt);
      assert.ok(ckpt.meta.state, 'resumable');
      assert.equal(ckpt.meta.updates, ckpt.meta.state.optimizerUpdates, 'metadata and optimizer state agree');
      assert.equal(adam.updates, ckpt.meta.updates);
      assert.equal(ckpt.meta.kind, 'last');
      assert.ok(ckpt.meta.updates >= lastUpdates, `kill ${i}: the checkpoint went back from update ${lastUpdates} to ${ckpt.meta.updates}`);
      lastUpdates = ckpt.meta.updates;
      seen.push(ckpt.meta.updates);
      const header = await readCheckpointHeader(ck);
      assert.equal(header?.updates, ckpt.meta.updates);
    }
    // the last resume runs to the end
    assert.ok(existsSync(ck) && lastUpdates > 0, 'some checkpoint was saved between the kills');
    const target = lastUpdates + 4;
    const final = await trainAndKill(['--config', config, '--reload_checkpoint', ck, '--max_steps', String(target)], ws.dir, undefined);
    assert.equal(final.code, 0, final.stderr.slice(-3000));
    assert.match(final.stderr, /training finished after \d+ updates/);
    const done = await readCheckpointHeader(ck);
    assert.ok(done && done.updates >= target, `finished at ${done?.updates}, expected ${target}`);
    // the start of the final run repaired the sidecar and removed the temporary files
    const sidecar = JSON.parse(readFileSync(`${ck}.json`, 'utf8')) as { updates: number; savedAt: string };
    assert.equal(sidecar.updates, done.updates);
    assert.equal(sidecar.savedAt, done.savedAt);
    assert.deepEqual(tempFiles(expDir), []);
    process.stderr.write(
      `# fault injection (seed ${seed}): ${KILLS} SIGKILLs, ${midSave} left a temp file (killed mid-save), crashes ${crashes}, updates at each kill ${seen.join(' ')}, finished at ${done.updates}; data lost: 0\n`,
    );
  } finally {
    ws.cleanup();
  }
});
