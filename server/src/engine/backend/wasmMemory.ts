/**
 * Out-of-memory handling for the wasm backend. Its heap is capped at 4 GB and never shrinks. When
 * `malloc` fails, stock tfjs-backend-wasm uses the null pointer it gets back as if it were memory (a
 * later "memory access out of bounds", or silent corruption). We make the failure a clean JS error
 * thrown before anything is registered, so tidy scopes unwind and the backend stays usable.
 */
import { tf } from './tf.js';
import { asWasm } from './wasmInternals.js';

export class WasmOutOfMemoryError extends Error {
  constructor(
    readonly requestedBytes: number,
    readonly heapBytes: number,
  ) {
    super(`wasm heap exhausted: could not allocate ${requestedBytes} bytes with ${heapBytes} bytes in use`);
    this.name = 'WasmOutOfMemoryError';
  }
}

const guarded = new WeakSet<object>();

/** Makes a failed allocation of the active wasm backend throw {@link WasmOutOfMemoryError}. */
export function guardWasmMalloc(): void {
  const backend = asWasm(tf.engine().findBackend('wasm'));
  const w = backend.wasm;
  if (guarded.has(w)) return;
  guarded.add(w);
  const raw = (w.asm as unknown as { malloc: (n: number) => number }).malloc;
  // wasm32 malloc takes a 32-bit size: larger requests would wrap around to a small block.
  const MAX_BYTES = 2 ** 32 - 2 ** 16;
  w._malloc = (bytes: number): number => {
    if (bytes > MAX_BYTES) throw new WasmOutOfMemoryError(bytes, w.HEAPU8.byteLength);
    const p = raw(bytes);
    if (p === 0 && bytes > 0) throw new WasmOutOfMemoryError(bytes, w.HEAPU8.byteLength);
    return p;
  };
}

/** True for errors that mean the wasm heap ran out (ours, or an abort from inside a C kernel). */
export function isWasmOutOfMemory(e: unknown): boolean {
  if (e instanceof WasmOutOfMemoryError) return true;
  if (e instanceof WebAssembly.RuntimeError) return /out of bounds|OOM|Cannot enlarge memory|Aborted/i.test(e.message);
  return e instanceof RangeError && /Array buffer allocation failed|WebAssembly\.Memory/i.test(e.message);
}
