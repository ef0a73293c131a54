/**
 * UnsortedSegmentSum for the wasm and cpu backends. The gradient of `gather` (token embeddings) needs
 * it: wasm has none, and cpu's is far too slow at vocabulary size (it builds a one-hot per segment).
 * out[segmentIds[i], ...] += x[i, ...]; ids outside [0, numSegments) are dropped, as in TensorFlow.
 */
import type { KernelFunc, TensorInfo, NamedAttrMap, DataType } from '@tensorflow/tfjs-core';
import { tf } from './tf.js';
import { asWasm, f32View, i32View } from './wasmInternals.js';

function accumulate(x: Float32Array, ids: Int32Array, out: Float32Array, numSegments: number, inner: number): void {
  out.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const o = s * inner;
    const r = i * inner;
    for (let j = 0; j < inner; j++) out[o + j] += x[r + j];
  }
}

function checkArgs(x: TensorInfo, segmentIds: TensorInfo): number {
  if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum: float32 only, got ${x.dtype}`);
  const n = segmentIds.shape.reduce((a, b) => a * b, 1);
  const xSize = x.shape.reduce((a, b) => a * b, 1);
  if (n === 0 || xSize % n !== 0) throw new Error(`UnsortedSegmentSum: ${n} segment ids for x of shape ${x.shape}`);
  return xSize / n;
}

function outShape(x: TensorInfo, segmentIds: TensorInfo, numSegments: number): number[] {
  return [numSegments, ...x.shape.slice(segmentIds.shape.length)];
}

const wasmKernel = (args: { inputs: { x: TensorInfo; segmentIds: TensorInfo }; backend: unknown; attrs: NamedAttrMap }): TensorInfo => {
  const backend = asWasm(args.backend);
  const { x, segmentIds } = args.inputs;
  const numSegments = args.attrs.numSegments as number;
  const inner = checkArgs(x, segmentIds);
  const out = backend.makeOutput(outShape(x, segmentIds, numSegments), 'float32');
  // Views are taken after the allocation: growing the heap detaches older views.
  const idsData = segmentIds.dtype === 'int32' ? i32View(backend, segmentIds) : Int32Array.from(f32View(backend, segmentIds));
  accumulate(f32View(backend, x), idsData, f32View(backend, out), numSegments, inner);
  return out;
};

interface CpuBackend {
  data: { get(dataId: object): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: DataType, values?: Float32Array): TensorInfo;
}

const cpuKernel = (args: { inputs: { x: TensorInfo; segmentIds: TensorInfo }; backend: unknown; attrs: NamedAttrMap }): TensorInfo => {
  const backend = args.backend as CpuBackend;
  const { x, segmentIds } = args.inputs;
  const numSegments = args.attrs.numSegments as number;
  const inner = checkArgs(x, segmentIds);
  const xv = backend.data.get(x.dataId).values as Float32Array;
  const idv = backend.data.get(segmentIds.dataId).values;
  const ids = idv instanceof Int32Array ? idv : Int32Array.from(idv);
  const out = new Float32Array(numSegments * inner);
  accumulate(xv, ids, out, numSegments, inner);
  return backend.makeTensorInfo(outShape(x, segmentIds, numSegments), 'float32', out);
};

export function registerSegmentSumKernels(): void {
  for (const [backendName, kernelFunc] of [
    ['wasm', wasmKernel],
    ['cpu', cpuKernel],
  ] as const) {
    if (tf.getKernel('UnsortedSegmentSum', backendName)) tf.unregisterKernel('UnsortedSegmentSum', backendName);
    tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName, kernelFunc: kernelFunc as unknown as KernelFunc });
  }
}
