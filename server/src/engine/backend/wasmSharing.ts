/**
 * Identity (and same-type Cast) on wasm without copying. tfjs clones every tensor it saves for a
 * gradient through the Identity kernel; the cpu backend shares the data (tensors are immutable), the
 * wasm backend copies it — about 800 copies per training step of a small Transformer. Sharing is what
 * the cpu backend does.
 */
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from './tf.js';
import { asWasm } from './wasmInternals.js';

function share(backend: unknown, x: TensorInfo): TensorInfo {
  asWasm(backend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function registerWasmSharingKernels(): void {
  const identity = tf.getKernel('Identity', 'wasm');
  if (identity) {
    tf.unregisterKernel('Identity', 'wasm');
    const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: unknown }) =>
      args.inputs.x.dtype === 'string' ? identity.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) : share(args.backend, args.inputs.x);
    tf.registerKernel({ ...identity, kernelFunc: kernelFunc as unknown as KernelFunc });
  }
  const cast = tf.getKernel('Cast', 'wasm');
  if (cast) {
    tf.unregisterKernel('Cast', 'wasm');
    const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: unknown; attrs: NamedAttrMap }) =>
      args.inputs.x.dtype === args.attrs.dtype && args.inputs.x.dtype !== 'string'
        ? share(args.backend, args.inputs.x)
        : cast.kernelFunc(args as unknown as Parameters<KernelFunc>[0]);
    tf.registerKernel({ ...cast, kernelFunc: kernelFunc as unknown as KernelFunc });
  }
}
