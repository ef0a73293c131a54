/**
 * Transpose on host arrays. The wasm backend's Transpose kernel runs at ≈1 GB/s here, and training
 * transposes every activation gradient once (weight gradients) plus the attention reshapes; this one
 * takes ≈0.8–1.2 ns per element on the model's 2-D transposes (CPU time, Zen 4). Registered for wasm only (cpu's own is fine).
 */
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from './tf.js';
import { asWasm } from './wasmInternals.js';
import type { HostArray } from './hostKernels.js';

/** Drops size-1 axes and merges input axes that stay adjacent and in order under `perm`. */
export function simplifyPermutation(shape: number[], perm: number[]): { shape: number[]; perm: number[] } {
  // Renumber the axes that are not size 1.
  const rank = new Array<number>(shape.length).fill(-1);
  let k = 0;
  shape.forEach((d, i) => {
    if (d !== 1) rank[i] = k++;
  });
  const dims = shape.filter((d) => d !== 1);
  const kept = perm.filter((p) => rank[p] >= 0).map((p) => rank[p]);
  const groups: number[][] = [];
  for (const p of kept) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1] + 1 === p) last.push(p);
    else groups.push([p]);
  }
  // Groups in input order define the new input axes.
  const byInput = [...groups].sort((a, b) => a[0] - b[0]);
  return { shape: byInput.map((g) => g.reduce((n, a) => n * dims[a], 1)), perm: groups.map((g) => byInput.indexOf(g)) };
}

const BLOCK = 64;

/**
 * Blocked 2-D transpose. Eight source rows at a time, so each inner iteration writes eight adjacent
 * output elements: 2–4× faster than one row at a time.
 */
function transpose2d(src: HostArray, dst: HostArray, rows: number, cols: number, srcOff: number, dstOff: number): void {
  for (let i0 = 0; i0 < rows; i0 += BLOCK) {
    const i1 = Math.min(i0 + BLOCK, rows);
    for (let j0 = 0; j0 < cols; j0 += BLOCK) {
      const j1 = Math.min(j0 + BLOCK, cols);
      let i = i0;
      for (; i + 7 < i1; i += 8) {
        const r0 = srcOff + i * cols;
        const r1 = r0 + cols;
        const r2 = r1 + cols;
        const r3 = r2 + cols;
        const r4 = r3 + cols;
        const r5 = r4 + cols;
        const r6 = r5 + cols;
        const r7 = r6 + cols;
        for (let j = j0; j < j1; j++) {
          const o = dstOff + j * rows + i;
          dst[o] = src[r0 + j];
          dst[o + 1] = src[r1 + j];
          dst[o + 2] = src[r2 + j];
          dst[o + 3] = src[r3 + j];
          dst[o + 4] = src[r4 + j];
          dst[o + 5] = src[r5 + j];
          dst[o + 6] = src[r6 + j];
          dst[o + 7] = src[r7 + j];
        }
      }
      for (; i < i1; i++) {
        const r = srcOff + i * cols;
        for (let j = j0; j < j1; j++) dst[dstOff + j * rows + i] = src[r + j];
      }
    }
  }
}

/** dst = src transposed by `perm` (src of `shape`). */
export function transposeInto(src: HostArray, dst: HostArray, shape: number[], perm: number[]): void {
  const s = simplifyPermutation(shape, perm);
  const r = s.shape.length;
  // Adjacent input axes that stay adjacent were merged, so r <= 1 means the order is unchanged.
  if (r <= 1) {
    dst.set(src.subarray(0, dst.length));
    return;
  }
  if (r === 2) return transpose2d(src, dst, s.shape[0], s.shape[1], 0, 0);
  if (r === 3 && s.perm[0] === 0 && s.perm[1] === 2 && s.perm[2] === 1) {
    const [b, m, n] = s.shape;
    for (let k = 0; k < b; k++) transpose2d(src, dst, m, n, k * m * n, k * m * n);
    return;
  }
  const inStrides = new Array<number>(r);
  inStrides[r - 1] = 1;
  for (let i = r - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1] * s.shape[i + 1];
  const outShape = s.perm.map((p) => s.shape[p]);
  const strides = s.perm.map((p) => inStrides[p]);
  const inner = outShape[r - 1];
  const innerStride = strides[r - 1];
  const idx = new Array<number>(r - 1).fill(0);
  let base = 0;
  const total = dst.length;
  for (let o = 0; o < total; o += inner) {
    if (innerStride === 1) dst.set(src.subarray(base, base + inner), o);
    else for (let j = 0, q = base; j < inner; j++, q += innerStride) dst[o + j] = src[q];
    // Odometer over the outer output axes.
    for (let a = r - 2; a >= 0; a--) {
      idx[a]++;
      base += strides[a];
      if (idx[a] < outShape[a]) break;
      base -= strides[a] * outShape[a];
      idx[a] = 0;
    }
  }
}

export function registerWasmTransposeKernel(): void {
  const original = tf.getKernel('Transpose', 'wasm');
  if (!original) return;
  const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: unknown; attrs: NamedAttrMap }) => {
    const { x } = args.inputs;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return original.kernelFunc(args as unknown as Parameters<KernelFunc>[0]);
    const backend = asWasm(args.backend);
    const perm = args.attrs.perm as number[];
    const out = backend.makeOutput(
      perm.map((p) => x.shape[p]),
      x.dtype,
    );
    const buf = backend.wasm.HEAPU8.buffer;
    const n = x.shape.reduce((a, b) => a * b, 1);
    const view = (off: number): HostArray => (x.dtype === 'int32' ? new Int32Array(buf, off, n) : new Float32Array(buf, off, n));
    const src = view(backend.dataIdMap.get(x.dataId).memoryOffset);
    const dst = view(backend.dataIdMap.get(out.dataId).memoryOffset);
    transposeInto(src, dst, x.shape, perm);
    return out;
  };
  tf.unregisterKernel('Transpose', 'wasm');
  tf.registerKernel({ ...original, kernelFunc: kernelFunc as unknown as KernelFunc });
}
