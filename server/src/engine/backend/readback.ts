/**
 * Reading tensors back to the host. WebGPU in Node has no synchronous read (tfjs-backend-webgpu's
 * `dataSync` needs a browser canvas), so code that runs there awaits `data()`; wasm and cpu read
 * either way.
 */
import { tf, type Tensor } from './tf.js';
import { throwWebgpuError } from './webgpuDevice.js';

/** Whether the active backend reads results only asynchronously (webgpu). */
export function readsAsync(): boolean {
  return tf.getBackend() === 'webgpu';
}

/** The values of `tensors`, downloaded together; fails if the GPU rejected a kernel since the last check. */
export async function download(tensors: readonly Tensor[]): Promise<(Float32Array | Int32Array)[]> {
  const out = (await Promise.all(tensors.map((t) => t.data()))) as (Float32Array | Int32Array)[];
  throwWebgpuError();
  return out;
}
