/**
 * `mass translate --backend webgpu` as a user runs it: the same lines as on wasm, and the process exits
 * (the GPU device is destroyed at the end). Where no adapter exists, `--backend webgpu` is one clear
 * error and exit 1; `auto` never picks a software adapter.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/paths.js';
import { buildTinyCheckpoint, type TinyCheckpoint } from '../helpers/tinyCheckpoint.js';
import { useWebgpu } from '../helpers/webgpu.js';
import { initBackend } from '../../server/src/engine/backend/selectBackend.js';

const tmp = tempDir('mass-webgpu-cli-');
let ck: TinyCheckpoint;

before(async () => {
  await initBackend('wasm');
  ck = await buildTinyCheckpoint(tmp.dir, { pairs: 12, steps: 120, nMaxPositions: 64 });
});
after(() => tmp.cleanup());

/** Dawn finds no adapter: no Vulkan driver, and EGL on a display that is not there. */
const NO_GPU = { VK_ICD_FILENAMES: '/dev/null', EGL_PLATFORM: 'x11', DISPLAY: '' };

test('translate --backend webgpu: the same lines as wasm, exit 0', async () => {
  await useWebgpu();
  const input = ck.pairs.map((p) => p.en).join('\n') + '\n';
  for (const beam of ['1', '3']) {
    const args = ['translate', '--model', ck.path, '--src', 'en', '--tgt', 'fr', '--beam', beam];
    const wasm = await runCli([...args, '--backend', 'wasm'], { input });
    const gpu = await runCli([...args, '--backend', 'webgpu'], { input, timeoutMs: 240_000 });
    assert.equal(gpu.code, 0, gpu.stderr);
    assert.equal(gpu.stdout, wasm.stdout, `beam ${beam}`);
    assert.match(gpu.stderr, new RegExp(`translate: done, ${ck.pairs.length} lines`));
  }
});

test('--backend webgpu without an adapter: one line saying why, exit 1, nothing written', async () => {
  const r = await runCli(['translate', '--model', ck.path, '--src', 'en', '--tgt', 'fr', '--backend', 'webgpu'], {
    input: `${ck.pairs[0]!.en}\n`,
    env: NO_GPU,
  });
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^mass: backend 'webgpu' is not available: webgpu: no adapter \(/m);
});

test('auto passes over a software adapter, saying so', async () => {
  const named = await useWebgpu();
  const auto = await initBackend('auto');
  if (named.adapter?.includes('software')) {
    assert.notEqual(auto.name, 'webgpu');
    const why = auto.skipped.find((s) => s.name === 'webgpu')?.reason ?? '';
    assert.match(why, /^software adapter \S+ \(used only when asked for by name\)$/);
  } else {
    assert.equal(auto.name, 'webgpu', `a hardware adapter (${named.adapter}) comes first`);
  }
});
