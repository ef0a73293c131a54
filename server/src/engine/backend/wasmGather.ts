/**
 * GatherV2 on wasm for the common case (axis 0, no batch dims): whole rows copied with
 * TypedArray.set. The stock kernel spends ≈30 ns per element here; embedding lookups and the
 * predicted-row selection are all of this kind.
 */
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from './tf.js';
import { asWasm } from './wasmInternals.js';

export function registerWasmGatherKernel(): void {
  const original = tf.getKernel('GatherV2', 'wasm');
  if (!original) return;
  const kernelFunc = (args: { inputs: { x: TensorInfo; indices: TensorInfo }; backend: unknown; attrs: NamedAttrMap }) => {
    const { x, indices } = args.inputs;
    const axis = tf.util.parseAxisParam(args.attrs.axis as number, x.shape)[0];
    if (axis !== 0 || ((args.attrs.batchDims as number) ?? 0) !== 0 || (x.dtype !== 'float32' && x.dtype !== 'int32') || indices.dtype !== 'int32') {
      return original.kernelFunc(args as unknown as Parameters<KernelFunc>[0]);
    }
    const backend = asWasm(args.backend);
    const rows = x.shape[0];
    const row = x.shape.slice(1).reduce((a, b) => a * b, 1);
    const n = indices.shape.reduce((a, b) => a * b, 1);
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    const buf = backend.wasm.HEAPU8.buffer;
    const ids = new Int32Array(buf, backend.dataIdMap.get(indices.dataId).memoryOffset, n);
    const view = (t: TensorInfo, size: number) =>
      x.dtype === 'int32'
        ? new Int32Array(buf, backend.dataIdMap.get(t.dataId).memoryOffset, size)
        : new Float32Array(buf, backend.dataIdMap.get(t.dataId).memoryOffset, size);
    const src = view(x, rows * row);
    const dst = view(out, n * row);
    for (let i = 0; i < n; i++) {
      const r = ids[i];
      if (!(r >= 0 && r < rows)) {
        backend.disposeData(out.dataId);
        throw new Error(`GatherV2: the index value ${r} is not in [0, ${rows - 1}]`);
      }
      if (row === 1) dst[i] = src[r];
      else dst.set(src.subarray(r * row, (r + 1) * row), i * row);
    }
    return out;
  };
  tf.unregisterKernel('GatherV2', 'wasm');
  tf.registerKernel({ ...original, kernelFunc: kernelFunc as unknown as KernelFunc });
}
