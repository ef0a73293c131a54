/**
 * `mass train --backend webgpu` as a user runs it, on a small workspace of the sample data: the same
 * losses and validation scores (MASS and MT perplexity and accuracy) as `--backend wasm`, a checkpoint
 * written, and the process exits when done.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/paths.js';
import { jsonl, preparedWorkspace } from '../helpers/sampleData.js';
import { useWebgpu } from '../helpers/webgpu.js';

const ws = tempDir('mass-webgpu-train-');
let config: string;

before(async () => {
  config = await preparedWorkspace(ws.dir, { lines: 600, codes: 300 });
});
after(() => ws.cleanup());

function run(expDir: string) {
  const records = jsonl(join(expDir, 'train.jsonl'));
  const losses = records.filter((r) => r.type === 'progress').map((r) => r.losses as Record<string, number>);
  const scores = records.filter((r) => r.type === 'event' && r.kind === 'finished').map((r) => r.scores as Record<string, number>)[0] ?? {};
  return { losses, scores };
}

test('mass train --backend webgpu: the losses and validation scores of wasm, a checkpoint, exit 0', async (t) => {
  await useWebgpu();
  const common = ['train', '--config', config, '--max_steps', '4', '--quiet'];
  const wasm = await runCli([...common, '--backend', 'wasm', '--exp_id', 'wasm']);
  assert.equal(wasm.code, 0, wasm.stderr);
  const t0 = Date.now();
  const gpu = await runCli([...common, '--backend', 'webgpu', '--exp_id', 'gpu'], { timeoutMs: 600_000 });
  assert.equal(gpu.code, 0, gpu.stderr);
  t.diagnostic(`webgpu run: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  assert.ok(existsSync(join(ws.dir, 'dumped', 'test', 'gpu', 'checkpoint.safetensors')), 'checkpoint written');
  const want = run(join(ws.dir, 'dumped', 'test', 'wasm'));
  const got = run(join(ws.dir, 'dumped', 'test', 'gpu'));
  assert.equal(got.losses.length, want.losses.length, 'the same progress reports');
  assert.ok(want.losses.length > 0);
  got.losses.forEach((l, i) => {
    for (const [k, v] of Object.entries(want.losses[i]!)) assert.ok(Math.abs(l[k]! - v) <= 1e-4 * Math.abs(v), `report ${i} ${k}: ${l[k]} vs wasm ${v}`);
  });
  assert.deepEqual(Object.keys(got.scores).sort(), Object.keys(want.scores).sort(), 'the same validation scores');
  for (const [k, v] of Object.entries(want.scores))
    assert.ok(Math.abs(got.scores[k]! - v) <= 1e-3 * Math.max(1, Math.abs(v)), `${k}: ${got.scores[k]} vs wasm ${v}`);
  t.diagnostic(`scores webgpu ${JSON.stringify(got.scores)}`);
});
