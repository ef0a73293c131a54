import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/paths.js';
import { adapterName, isSoftwareAdapter, linuxGpuDeviceNode, type GpuAdapterInfo } from '../../../server/src/engine/backend/webgpuAdapter.js';
import { describeBackend } from '../../../server/src/engine/backend/selectBackend.js';

const info = (o: Partial<GpuAdapterInfo>): GpuAdapterInfo => ({ vendor: '', architecture: '', device: '', description: '', ...o });

test('software adapters are recognised by any of their names; hardware ones are not', () => {
  // what Dawn reports for Mesa's llvmpipe through OpenGL (checked on Debian 12)
  const llvmpipe = info({ device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL version 4.5 (Core Profile) Mesa 22.3.6' });
  assert.equal(isSoftwareAdapter(llvmpipe), true);
  assert.equal(adapterName(llvmpipe), 'llvmpipe');
  assert.equal(isSoftwareAdapter(info({ vendor: 'mesa', description: 'lavapipe' })), true);
  assert.equal(isSoftwareAdapter(info({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)' })), true);
  assert.equal(isSoftwareAdapter(info({ description: 'Microsoft Basic Render Driver' })), true);
  assert.equal(isSoftwareAdapter(info({ vendor: 'nvidia' }), true), true, 'a fallback adapter is software whatever its name');
  const h100 = info({ vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H100 80GB HBM3', description: 'NVIDIA: 550.54.15' });
  assert.equal(isSoftwareAdapter(h100), false);
  assert.equal(adapterName(h100), 'NVIDIA H100 80GB HBM3');
  assert.equal(adapterName(info({ vendor: 'nvidia', description: 'NVIDIA: 550.54.15' })), 'NVIDIA: 550.54.15', 'the driver when the device has no name');
  assert.equal(adapterName(info({ vendor: 'apple', architecture: 'metal-3' })), 'apple metal-3');
  assert.equal(adapterName(info({})), 'unknown adapter');
});

test('one line says what runs and why the backends before it did not', () => {
  assert.equal(describeBackend({ name: 'webgpu', tfBackend: 'webgpu', adapter: 'NVIDIA H100 (Vulkan)', skipped: [] }), 'webgpu: NVIDIA H100 (Vulkan)');
  assert.equal(
    describeBackend({
      name: 'wasm',
      tfBackend: 'wasm',
      simd: true,
      skipped: [{ name: 'webgpu', reason: 'software adapter llvmpipe (used only when asked for by name)' }],
    }),
    'wasm (SIMD); not used: webgpu: software adapter llvmpipe (used only when asked for by name)',
  );
});

test('auto looks for a GPU on Linux only where a GPU device node exists (else Dawn is not loaded)', () => {
  const tmp = tempDir('mass-dev-');
  try {
    const dev = tmp.dir;
    assert.equal(linuxGpuDeviceNode(dev), undefined, 'a container without GPU');
    mkdirSync(join(dev, 'dri'));
    writeFileSync(join(dev, 'dri', 'card0'), '');
    assert.equal(linuxGpuDeviceNode(dev), undefined, 'a display without a render node');
    writeFileSync(join(dev, 'nvidiactl'), '');
    assert.equal(linuxGpuDeviceNode(dev), undefined, "NVIDIA's control node alone is no GPU");
    writeFileSync(join(dev, 'nvidia0'), '');
    assert.equal(linuxGpuDeviceNode(dev), join(dev, 'nvidia0'));
    writeFileSync(join(dev, 'dri', 'renderD128'), '');
    assert.equal(linuxGpuDeviceNode(dev), join(dev, 'dri', 'renderD128'));
    writeFileSync(join(dev, 'dxg'), '');
    assert.equal(linuxGpuDeviceNode(dev), join(dev, 'dxg'), 'WSL2');
  } finally {
    tmp.cleanup();
  }
});
