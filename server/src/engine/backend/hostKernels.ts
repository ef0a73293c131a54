/**
 * Kernels written in TypeScript over typed-array views, registered for both the wasm backend (views
 * into its heap: no copies) and the cpu backend. Used where tfjs's own kernels are missing or slow on
 * wasm (a fused op run as one pass instead of 5–10 kernels). Other backends (tfjs-node) use the
 * composite fallbacks of the ops that call these kernels; see `hasHostKernel`.
 */
import type { DataType, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from './tf.js';
import { asWasm } from './wasmInternals.js';

export type HostArray = Float32Array | Int32Array;

export interface HostKernel {
  name: string;
  /** Shapes and dtypes of the outputs. */
  outputs(inputs: TensorInfo[], attrs: NamedAttrMap): { shape: number[]; dtype: DataType }[];
  /** Fills `out` (fresh, uninitialised) from `ins`. */
  run(ins: HostArray[], out: HostArray[], inputs: TensorInfo[], attrs: NamedAttrMap): void;
  /** Input names in order (as passed to runKernel). */
  inputNames: string[];
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function wasmView(backend: ReturnType<typeof asWasm>, t: TensorInfo): HostArray {
  const off = backend.dataIdMap.get(t.dataId).memoryOffset;
  const buf = backend.wasm.HEAPU8.buffer;
  return t.dtype === 'int32' ? new Int32Array(buf, off, sizeOf(t.shape)) : new Float32Array(buf, off, sizeOf(t.shape));
}

interface CpuBackend {
  data: { get(dataId: object): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: DataType, values?: HostArray): TensorInfo;
}

function cpuView(backend: CpuBackend, t: TensorInfo): HostArray {
  const v = backend.data.get(t.dataId).values;
  if (t.dtype === 'int32') return v instanceof Int32Array ? v : Int32Array.from(v);
  return v instanceof Float32Array ? v : Float32Array.from(v);
}

const registered = new Set<string>();

export function registerHostKernel(k: HostKernel): void {
  const wasmFunc = (args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs: NamedAttrMap }) => {
    const backend = asWasm(args.backend);
    const inputs = k.inputNames.map((n) => args.inputs[n]);
    const outs = k.outputs(inputs, args.attrs).map((o) => backend.makeOutput(o.shape, o.dtype));
    // Views only after every allocation: growing the heap detaches older views.
    k.run(
      inputs.map((t) => wasmView(backend, t)),
      outs.map((t) => wasmView(backend, t)),
      inputs,
      args.attrs,
    );
    return outs.length === 1 ? outs[0] : outs;
  };
  const cpuFunc = (args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs: NamedAttrMap }) => {
    const backend = args.backend as CpuBackend;
    const inputs = k.inputNames.map((n) => args.inputs[n]);
    const specs = k.outputs(inputs, args.attrs);
    const arrays = specs.map((o) => (o.dtype === 'int32' ? new Int32Array(sizeOf(o.shape)) : new Float32Array(sizeOf(o.shape))));
    k.run(
      inputs.map((t) => cpuView(backend, t)),
      arrays,
      inputs,
      args.attrs,
    );
    const outs = specs.map((o, i) => backend.makeTensorInfo(o.shape, o.dtype, arrays[i]));
    return outs.length === 1 ? outs[0] : outs;
  };
  for (const [backendName, kernelFunc] of [
    ['wasm', wasmFunc],
    ['cpu', cpuFunc],
  ] as const) {
    if (tf.getKernel(k.name, backendName)) tf.unregisterKernel(k.name, backendName);
    tf.registerKernel({ kernelName: k.name, backendName, kernelFunc: kernelFunc as unknown as KernelFunc });
  }
  registered.add(k.name);
}

/** Whether the active backend runs host kernel `name` (else callers use their composite fallback). */
export function hasHostKernel(name: string): boolean {
  const b = tf.getBackend();
  return registered.has(name) && (b === 'wasm' || b === 'cpu');
}
