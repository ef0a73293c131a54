import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseConfig } from '../../../server/src/config/loadConfig.js';
import { gpuLimitRefusal } from '../../../server/src/engine/train/gpuLimitCheck.js';
import { backendMemoryLimit } from '../../../server/src/engine/train/memoryLimits.js';

const settings = (o: Record<string, unknown>) => analyseConfig(JSON.stringify({ lgs: 'en-fr', mass_steps: 'en,fr', ...o }), '/ws').settings;
/** WebGPU's default limits: 256 MB buffers, 128 MB bindings. */
const DEFAULT_LIMITS = { maxBufferSize: 268435456, maxStorageBufferBindingSize: 134217728 };

test('a 64k × 1024 embedding (268 MB) is refused on an adapter with the default limits, with the numbers', () => {
  const s = settings({ emb_dim: 1024, n_heads: 8, n_layers: 6, n_dec_layers: 6, tokens_per_batch: 500, max_len: 100 });
  const m = gpuLimitRefusal(s, 65536, DEFAULT_LIMITS, 'llvmpipe (OpenGL, software)')!;
  assert.ok(m, 'refused');
  assert.match(m, /too large for the GPU \(llvmpipe \(OpenGL, software\)\): WebGPU allows at most 128 MB \(134217728 bytes\) per tensor/);
  assert.match(m, /maxBufferSize 268435456, maxStorageBufferBindingSize 134217728/);
  assert.match(m, /the embedding table \(65536 words × emb_dim 1024\) needs 256 MB \(268435456 bytes\)/);
  // the same model fits an adapter that binds 4 GB at once
  assert.equal(gpuLimitRefusal(s, 65536, { maxBufferSize: 2 ** 32, maxStorageBufferBindingSize: 2 ** 32 }, 'big'), undefined);
});

test('a batch whose output scores exceed the binding limit is refused; the sample config fits', () => {
  const big = settings({ emb_dim: 256, n_heads: 4, tokens_per_batch: 20000, max_len: 100 });
  const m = gpuLimitRefusal(big, 30000, DEFAULT_LIMITS, 'gpu')!;
  assert.match(m, /the output layer's scores \(\d+ predicted tokens × 30000 words\) needs/);
  assert.doesNotMatch(m, /embedding table/);
  const sample = settings({ emb_dim: 128, n_heads: 4, n_layers: 2, n_dec_layers: 2, tokens_per_batch: 1500, max_len: 100 });
  assert.equal(gpuLimitRefusal(sample, 6000, DEFAULT_LIMITS, 'gpu'), undefined);
});

test('webgpu has no memory limit before its adapter is open (the per-tensor check comes after)', () => {
  assert.equal(backendMemoryLimit('webgpu'), undefined);
});
