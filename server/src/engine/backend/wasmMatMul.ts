/**
 * Replacement wasm kernels for BatchMatMul and _FusedMatMul.
 *
 * tfjs-backend-wasm 4.22 sends a matmul to XNNPACK (≈25 GFLOP/s here) only when it has no transpose
 * flag and a batch of 1; everything else runs a scalar triple loop at 0.4–2 GFLOP/s. Every matmul
 * gradient carries a transpose flag, and attention matmuls are batched, so a stock training step
 * spends most of its time there. These kernels (1) materialise transposed operands with the wasm
 * (faster) transpose, then (2) run each batch slice through the XNNPACK path by registering views of the
 * slices as C-side tensors (no copies), calling the C exports directly. Results equal the stock kernels
 * up to float rounding.
 */
import type { KernelConfig, KernelFunc, TensorInfo, NamedAttrMap } from '@tensorflow/tfjs-core';
import { tf } from './tf.js';
import { asWasm, idOf, offsetOf, type WasmBackendInternals } from './wasmInternals.js';
import { transposeInto } from './transpose.js';

/** The C exports used directly (numeric arguments only, so no ccall marshalling per call). */
interface RawExports {
  BatchMatMul(aId: number, aShape: number, aRank: number, bId: number, bShape: number, bRank: number, ta: number, tb: number, outId: number): void;
  _FusedMatMul(
    aId: number, aShape: number, aRank: number, bId: number, bShape: number, bRank: number, ta: number, tb: number,
    activation: number, biasId: number, preluId: number, leakyAlpha: number, outId: number,
  ): void;
  register_tensor(id: number, size: number, offset: number): void;
  dispose_data(id: number): void;
}

let raw: RawExports | undefined;
/** Heap address of 6 int32: the [1, m, k] and [1, k, n] shapes passed to the C kernels. */
let shapeScratch = 0;

function setup(backendIn: unknown): void {
  const backend = asWasm(backendIn);
  raw = backend.wasm.asm as unknown as RawExports;
  shapeScratch = backend.wasm._malloc(24);
}

/** Operand as [batch, rows, cols] of contiguous memory. */
interface Operand {
  t: TensorInfo;
  batch: number;
  rows: number;
  cols: number;
  temp: boolean;
}

function operand(t: TensorInfo, transposed: boolean, backend: WasmBackendInternals): Operand {
  const r = t.shape.length;
  const rows0 = t.shape[r - 2];
  const cols0 = t.shape[r - 1];
  const batch = t.shape.slice(0, -2).reduce((a, b) => a * b, 1);
  if (!transposed) return { t, batch, rows: rows0, cols: cols0, temp: false };
  // A transpose of a row or column vector is the same memory.
  if (rows0 === 1 || cols0 === 1) return { t, batch, rows: cols0, cols: rows0, temp: false };
  const out = backend.makeOutput([batch, cols0, rows0], 'float32');
  const n = batch * rows0 * cols0;
  const buf = backend.wasm.HEAPU8.buffer;
  transposeInto(new Float32Array(buf, offsetOf(backend, t), n), new Float32Array(buf, offsetOf(backend, out), n), [batch, rows0, cols0], [0, 2, 1]);
  return { t: out, batch, rows: cols0, cols: rows0, temp: true };
}

function matMulCore(
  backend: WasmBackendInternals,
  aIn: TensorInfo,
  bIn: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias: TensorInfo | undefined,
): TensorInfo {
  if (aIn.dtype !== 'float32' || bIn.dtype !== 'float32') throw new Error('BatchMatMul: float32 only');
  const outerA = aIn.shape.slice(0, -2);
  const outerB = bIn.shape.slice(0, -2);
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  const a = operand(aIn, transposeA, backend);
  const b = operand(bIn, transposeB, backend);
  try {
    if (a.cols !== b.rows) {
      throw new Error(`matMul: inner shapes ${a.cols} and ${b.rows} of ${aIn.shape} and ${bIn.shape} (transposeA=${transposeA}, transposeB=${transposeB}) must match`);
    }
    const m = a.rows;
    const k = a.cols;
    const n = b.cols;
    const batch = Math.max(a.batch, b.batch);
    if ((a.batch !== batch && a.batch !== 1) || (b.batch !== batch && b.batch !== 1)) {
      throw new Error(`matMul: batch shapes ${outerA} and ${outerB} are not supported`);
    }
    const out = backend.makeOutput([...outer, m, n], 'float32');
    new Int32Array(backend.wasm.HEAPU8.buffer, shapeScratch, 6).set([1, m, k, 1, k, n]);
    const biasId = bias ? idOf(backend, bias) : 0;
    const c = raw!;
    const run = (aId: number, bId: number, outId: number) => {
      if (biasId) c._FusedMatMul(aId, shapeScratch, 3, bId, shapeScratch + 12, 3, 0, 0, 0, biasId, 0, 0, outId);
      else c.BatchMatMul(aId, shapeScratch, 3, bId, shapeScratch + 12, 3, 0, 0, outId);
    };
    if (batch === 1) {
      run(idOf(backend, a.t), idOf(backend, b.t), idOf(backend, out));
    } else {
      // Each slice becomes a C-side tensor over the existing memory (no copy), used, then unregistered
      // (which also drops XNNPACK's packed copy of it).
      const aOff = offsetOf(backend, a.t);
      const bOff = offsetOf(backend, b.t);
      const oOff = offsetOf(backend, out);
      for (let i = 0; i < batch; i++) {
        const ia = backend.dataIdNextNumber++;
        const ib = backend.dataIdNextNumber++;
        const io = backend.dataIdNextNumber++;
        c.register_tensor(ia, m * k, aOff + (a.batch === 1 ? 0 : i * m * k * 4));
        c.register_tensor(ib, k * n, bOff + (b.batch === 1 ? 0 : i * k * n * 4));
        c.register_tensor(io, m * n, oOff + i * m * n * 4);
        try {
          run(ia, ib, io);
        } finally {
          c.dispose_data(ia);
          c.dispose_data(ib);
          c.dispose_data(io);
        }
      }
    }
    return out;
  } finally {
    if (a.temp) backend.disposeData(a.t.dataId);
    if (b.temp) backend.disposeData(b.t.dataId);
  }
}

function batchMatMul(args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: unknown; attrs: NamedAttrMap }): TensorInfo {
  const { a, b } = args.inputs;
  return matMulCore(asWasm(args.backend), a, b, !!args.attrs.transposeA, !!args.attrs.transposeB, undefined);
}

function fusedMatMul(args: {
  inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  backend: unknown;
  attrs: NamedAttrMap;
}): TensorInfo {
  const { a, b, bias, preluActivationWeights } = args.inputs;
  const activation = args.attrs.activation ?? 'linear';
  if (activation !== 'linear' || preluActivationWeights) throw new Error('_FusedMatMul: only linear activation is supported by the engine kernels');
  if (bias && bias.shape.length !== 1) throw new Error('_FusedMatMul: rank-1 bias only');
  return matMulCore(asWasm(args.backend), a, b, !!args.attrs.transposeA, !!args.attrs.transposeB, bias);
}

/** Installs the kernels; must run before the wasm backend is initialised (setup functions run then). */
export function registerWasmMatMulKernels(): void {
  const replace = (name: string, kernelFunc: KernelFunc, setupFunc?: KernelConfig['setupFunc']) => {
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc, setupFunc });
  };
  replace('BatchMatMul', batchMatMul as unknown as KernelFunc, setup as KernelConfig['setupFunc']);
  replace('_FusedMatMul', fusedMatMul as unknown as KernelFunc);
}
