/**
 * Opening the webgpu backend in a test. Here the GPU is Mesa's software adapter (llvmpipe through
 * Dawn's OpenGL backend): without it a test fails with what to install — a skipped GPU test would
 * prove nothing.
 */
import assert from 'node:assert/strict';
import { initBackend, type BackendInfo } from '../../server/src/engine/backend/selectBackend.js';
import { tf } from '../../server/src/engine/backend/tf.js';

export const MESA_ADVICE = 'install Mesa (Debian/Ubuntu: apt-get install mesa-vulkan-drivers) for the software GPU adapter';
/** Switches to webgpu; fails, naming what to install, when no adapter exists. */
export async function useWebgpu(): Promise<BackendInfo> {
  let info: BackendInfo;
  try {
    info = await initBackend('webgpu');
  } catch (e) {
    assert.fail(`webgpu is not available: ${(e as Error).message}. ${MESA_ADVICE}`);
  }
  assertOnWebgpu();
  return info;
}

/** Fails when the engine quietly runs elsewhere. */
export function assertOnWebgpu(): void {
  assert.equal(tf.getBackend(), 'webgpu', 'the test must run on the webgpu backend');
}
