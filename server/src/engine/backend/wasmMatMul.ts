/**
 * Replacement wasm kernels for BatchMatMul and _FusedMatMul: our generated GEMM ({@link WasmGemm}).
 *
 * tfjs-backend-wasm 4.22 sends a matmul to XNNPACK only when it has no transpose flag and a batch of
 * 1; everything else runs a scalar triple loop at 0.4–2 GFLOP/s. Every matmul gradient carries a
 * transpose flag and attention matmuls are batched. Our GEMM reads transposed operands in place (A) or
 * while packing (B), runs batches without per-slice setup, and uses fused multiply-add where the
 * engine allows relaxed SIMD: ≈40–48 GFLOP/s here against XNNPACK's ≈30.
 */
import type { KernelConfig, KernelFunc, TensorInfo, NamedAttrMap } from '@tensorflow/tfjs-core';
import { tf } from './tf.js';
import { asWasm, offsetOf, type WasmBackendInternals } from './wasmInternals.js';
import { WasmGemm, type MatrixRef } from './wasmGemm.js';

const gemms = new WeakMap<object, WasmGemm>();

/** The GEMM bound to this backend's heap (each worker thread has its own backend and heap). */
export function gemmOf(backend: WasmBackendInternals): WasmGemm {
  let g = gemms.get(backend.wasm);
  if (!g) {
    const w = backend.wasm;
    g = new WasmGemm({ memory: w.asm.memory, malloc: (n) => w._malloc(n), free: (p) => w._free(p) });
    gemms.set(w, g);
  }
  return g;
}

function setup(backendIn: unknown): void {
  gemmOf(asWasm(backendIn));
}

/** Operand as a batch of matrices: rows × cols as used in the product, each `stride` bytes apart. */
interface Operand {
  ref: MatrixRef;
  batch: number;
  rows: number;
  cols: number;
  stride: number;
}

function operand(backend: WasmBackendInternals, t: TensorInfo, transposed: boolean): Operand {
  const r = t.shape.length;
  const rows0 = t.shape[r - 2];
  const cols0 = t.shape[r - 1];
  const batch = t.shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const ref = { offset: offsetOf(backend, t), ld: cols0 * 4, transposed };
  return transposed ? { ref, batch, rows: cols0, cols: rows0, stride: rows0 * cols0 * 4 } : { ref, batch, rows: rows0, cols: cols0, stride: rows0 * cols0 * 4 };
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
  const gemm = gemmOf(backend);
  const a = operand(backend, aIn, transposeA);
  const b = operand(backend, bIn, transposeB);
  if (a.cols !== b.rows) {
    throw new Error(
      `matMul: inner shapes ${a.cols} and ${b.rows} of ${aIn.shape} and ${bIn.shape} (transposeA=${transposeA}, transposeB=${transposeB}) must match`,
    );
  }
  const m = a.rows;
  const k = a.cols;
  const n = b.cols;
  const batch = Math.max(a.batch, b.batch);
  if ((a.batch !== batch && a.batch !== 1) || (b.batch !== batch && b.batch !== 1)) {
    throw new Error(`matMul: batch shapes ${outerA} and ${outerB} are not supported`);
  }
  const out = backend.makeOutput([...outer, m, n], 'float32');
  const outOffset = offsetOf(backend, out);
  const biasOffset = bias ? offsetOf(backend, bias) : 0;
  // A B shared by the whole batch is packed once.
  const shared = b.batch === 1 ? gemm.prepare(b.ref, m, k, n) : undefined;
  for (let i = 0; i < batch; i++) {
    const p = shared ?? gemm.prepare({ ...b.ref, offset: b.ref.offset + i * b.stride }, m, k, n);
    const aRef = { ...a.ref, offset: a.ref.offset + (a.batch === 1 ? 0 : i * a.stride) };
    gemm.run(aRef, p, { offset: outOffset + i * m * n * 4, ld: n * 4 }, biasOffset);
  }
  return out;
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

export const PACK_MATRIX = 'MassPackMatrix';
export const PACKED_MATMUL = 'MassPackedMatMul';

/**
 * A constant right operand [k × n] packed once for {@link PACKED_MATMUL}: a flat float32 tensor. With
 * attr `transposed`, `b` is stored [n × k] (a Linear's weight as torch stores it) and packed as its
 * transpose, so no transposed copy is ever made.
 */
function packMatrix(args: { inputs: { b: TensorInfo }; backend: unknown; attrs?: NamedAttrMap }): TensorInfo {
  const backend = asWasm(args.backend);
  const { b } = args.inputs;
  if (b.shape.length !== 2 || b.dtype !== 'float32') throw new Error(`${PACK_MATRIX}: a float32 matrix, got ${b.dtype} ${b.shape}`);
  const transposed = args.attrs?.transposed === true;
  const [k, n] = transposed ? [b.shape[1], b.shape[0]] : b.shape;
  const out = backend.makeOutput([WasmGemm.packedBytes(k, n) / 4], 'float32');
  gemmOf(backend).packInto({ offset: offsetOf(backend, b), ld: (transposed ? k : n) * 4, transposed }, k, n, offsetOf(backend, out));
  return out;
}

/** x [m × k] times a matrix packed by {@link PACK_MATRIX} (attrs: k, n), plus bias [n]. */
function packedMatMul(args: { inputs: { x: TensorInfo; packed: TensorInfo; bias: TensorInfo }; backend: unknown; attrs: NamedAttrMap }): TensorInfo {
  const backend = asWasm(args.backend);
  const { x, packed, bias } = args.inputs;
  const k = args.attrs.k as number;
  const n = args.attrs.n as number;
  const [m, xk] = x.shape;
  if (x.shape.length !== 2 || xk !== k) throw new Error(`${PACKED_MATMUL}: x ${x.shape} does not have ${k} columns`);
  const out = backend.makeOutput([m, n], 'float32');
  const gemm = gemmOf(backend);
  const p = gemm.prepacked(offsetOf(backend, packed), m, k, n);
  gemm.run({ offset: offsetOf(backend, x), ld: k * 4, transposed: false }, p, { offset: offsetOf(backend, out), ld: n * 4 }, offsetOf(backend, bias));
  return out;
}

/** Installs the kernels; must run before the wasm backend is initialised (setup functions run then). */
export function registerWasmMatMulKernels(): void {
  const replace = (name: string, kernelFunc: KernelFunc, setupFunc?: KernelConfig['setupFunc']) => {
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc, setupFunc });
  };
  replace('BatchMatMul', batchMatMul as unknown as KernelFunc, setup as KernelConfig['setupFunc']);
  replace('_FusedMatMul', fusedMatMul as unknown as KernelFunc);
  replace(PACK_MATRIX, packMatrix as unknown as KernelFunc);
  replace(PACKED_MATMUL, packedMatMul as unknown as KernelFunc);
}
