import { totalmem } from 'node:os';

export interface MemoryLimit {
  bytes: number;
  /** How the limit is named in a message, e.g. "the wasm backend's 4 GB heap". */
  what: string;
}

/** tfjs-backend-wasm's heap cannot grow past 4 GB (32-bit wasm memory). */
export const WASM_HEAP_BYTES = 4 * 1024 ** 3;

function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/**
 * The memory a training run on `backend` (the config's setting) can use, when it is known: the wasm
 * heap, or this machine's RAM for the CPU backends. A GPU's memory is not known here (undefined).
 */
export function backendMemoryLimit(backend: string): MemoryLimit | undefined {
  const ram = (): MemoryLimit => ({ bytes: totalmem(), what: `this machine's ${(totalmem() / 1024 ** 3).toFixed(0)} GB of memory` });
  switch (backend) {
    case 'wasm':
      return { bytes: WASM_HEAP_BYTES, what: "the wasm backend's 4 GB heap" };
    case 'cpu':
    case 'tfjs-node':
      return ram();
    case 'tfjs-node-gpu':
      return undefined;
    default:
      if (installed('@tensorflow/tfjs-node-gpu')) return undefined;
      if (installed('@tensorflow/tfjs-node')) return ram();
      return { bytes: WASM_HEAP_BYTES, what: "the wasm backend's 4 GB heap (backend 'auto' picks wasm here: @tensorflow/tfjs-node is not installed)" };
  }
}
