/**
 * The daemon on webgpu (MASS_BACKEND=webgpu, as the extension's `mass.backend` setting passes it):
 * translations equal the CLI's on wasm, `mass/status` names the backend and its adapter, and the
 * daemon exits promptly at shutdown (the GPU device is destroyed).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { DaemonClient } from '../helpers/daemonClient.js';
import { tempDir } from '../helpers/paths.js';
import { buildTinyCheckpoint, type TinyCheckpoint } from '../helpers/tinyCheckpoint.js';
import { useWebgpu } from '../helpers/webgpu.js';
import { initBackend } from '../../server/src/engine/backend/selectBackend.js';
import type { StatusResult, TranslateResult } from '../../server/src/protocol.js';

const ws = tempDir('mass-webgpu-daemon-');
let ck: TinyCheckpoint;

before(async () => {
  await initBackend('wasm');
  ck = await buildTinyCheckpoint(ws.dir, { pairs: 8, steps: 100, nMaxPositions: 64 });
});
after(() => ws.cleanup());

test('daemon on webgpu: translations as on wasm, the adapter in mass/status, a prompt exit', async (t) => {
  await useWebgpu();
  const lines = ck.pairs.slice(0, 4).map((p) => p.en);
  const wasm = await runCli(['translate', '--model', ck.path, '--src', 'en', '--tgt', 'fr', '--backend', 'wasm'], { input: lines.join('\n') + '\n' });
  assert.equal(wasm.code, 0, wasm.stderr);
  const c = await DaemonClient.start(ws.dir, { env: { MASS_BACKEND: 'webgpu' } });
  let stopped = false;
  try {
    const r = (await c.connection.sendRequest('mass/translate', { text: lines, src: 'en', tgt: 'fr', checkpoint: ck.path })) as TranslateResult;
    assert.deepEqual(r.translations, wasm.stdout.trimEnd().split('\n'));
    const st = (await c.connection.sendRequest('mass/status')) as StatusResult;
    assert.equal(st.backend, 'webgpu');
    assert.match(st.backendAdapter ?? '', /^\S.* \((Vulkan|OpenGL|Metal|D3D12)(, software)?\)$/);
    t.diagnostic(`mass/status: backend ${st.backend}, adapter ${st.backendAdapter}`);
    const t0 = Date.now();
    await c.stop();
    stopped = true;
    const ms = Date.now() - t0;
    t.diagnostic(`shutdown + exit: ${ms} ms`);
    assert.equal(await c.exited, 0);
    assert.ok(ms < 8000, `the daemon took ${ms} ms to exit`);
  } finally {
    if (!stopped) c.child.kill('SIGKILL');
  }
});
