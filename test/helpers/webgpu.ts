/**
 * Opening the webgpu backend in a test. Here the GPU is Mesa's software adapter (llvmpipe through
 * Dawn's OpenGL backend): without Mesa a test skips with what to install, except in CI (CI=true),
 * where it fails — CI must not pass on a skipped GPU test.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { initBackend, type BackendInfo } from '../../server/src/engine/backend/selectBackend.js';
import { tf } from '../../server/src/engine/backend/tf.js';

export const MESA_ADVICE = 'install Mesa (Debian/Ubuntu: apt-get install mesa-vulkan-drivers) for the software GPU adapter';
const inCi = /^(1|true)$/i.test(process.env.CI ?? '');

/** Switches to webgpu; undefined (test skipped) when no adapter exists outside CI. */
export async function useWebgpu(t: TestContext): Promise<BackendInfo | undefined> {
  let info: BackendInfo;
  try {
    info = await initBackend('webgpu');
  } catch (e) {
    const why = (e as Error).message;
    assert.ok(!inCi, `webgpu is not available and CI=${process.env.CI} requires these tests to run: ${why}. ${MESA_ADVICE}`);
    t.skip(`webgpu not available (${why}); ${MESA_ADVICE}`);
    return undefined;
  }
  assertOnWebgpu();
  return info;
}

/** Fails when the engine quietly runs elsewhere. */
export function assertOnWebgpu(): void {
  assert.equal(tf.getBackend(), 'webgpu', 'the test must run on the webgpu backend');
}
