/**
 * Typed access to the parts of tfjs-backend-wasm 4.22 that our own kernels need: the Emscripten
 * module (heap, malloc, exported C functions) and the backend's tensor table. These are not public
 * API; they are pinned by the exact dependency version and exercised by the parity tests on wasm.
 */
import type { TensorInfo, DataType, KernelBackend } from '@tensorflow/tfjs-core';

export interface WasmModule {
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  HEAPU8: Uint8Array<ArrayBuffer>;
  asm: { memory: WebAssembly.Memory };
}

export interface WasmTensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: DataType;
  refCount: number;
}

export interface WasmBackendInternals extends KernelBackend {
  wasm: WasmModule;
  dataIdMap: { get(dataId: object): WasmTensorData; has(dataId: object): boolean };
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

export function asWasm(backend: unknown): WasmBackendInternals {
  return backend as WasmBackendInternals;
}

/** Byte offset of a tensor's data in the wasm heap. */
export function offsetOf(backend: WasmBackendInternals, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

/** A Float32Array over a float32 tensor's data; valid until the next allocation (the heap may grow). */
export function f32View(backend: WasmBackendInternals, t: TensorInfo): Float32Array {
  const n = t.shape.reduce((a, b) => a * b, 1);
  return new Float32Array(backend.wasm.HEAPU8.buffer, offsetOf(backend, t), n);
}

export function i32View(backend: WasmBackendInternals, t: TensorInfo): Int32Array {
  const n = t.shape.reduce((a, b) => a * b, 1);
  return new Int32Array(backend.wasm.HEAPU8.buffer, offsetOf(backend, t), n);
}
