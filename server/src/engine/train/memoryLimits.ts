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
 * heap, or this machine's RAM for the CPU backends, or the daemon's memory budget (the extension's
 * `mass.daemon.memoryLimitMB`) when that is smaller. A GPU's memory is not known here (undefined unless
 * a budget is given).
 */
export function backendMemoryLimit(backend: string, daemonLimitMB?: number): MemoryLimit | undefined {
  const limit = limitOfBackend(backend);
  if (daemonLimitMB === undefined || !(daemonLimitMB > 0)) return limit;
  const budget = daemonLimitMB * 1024 ** 2;
  if (limit && limit.bytes <= budget) return limit;
  return { bytes: budget, what: `the daemon's memory limit of ${daemonLimitMB} MB (setting mass.daemon.memoryLimitMB)` };
}

function limitOfBackend(backend: string): MemoryLimit | undefined {
  const ram = (): MemoryLimit => ({ bytes: totalmem(), what: `this machine's ${(totalmem() / 1024 ** 3).toFixed(0)} GB of memory` });
  switch (backend) {
    case 'wasm':
      return { bytes: WASM_HEAP_BYTES, what: "the wasm backend's 4 GB heap" };
    case 'cpu':
    case 'tfjs-node':
      return ram();
    case 'tfjs-node-gpu':
    case 'webgpu':
      // per-tensor limits of a WebGPU adapter are checked once it is open (gpuLimitCheck.ts)
      return undefined;
    default:
      if (installed('@tensorflow/tfjs-node-gpu')) return undefined;
      if (installed('@tensorflow/tfjs-node')) return ram();
      return { bytes: WASM_HEAP_BYTES, what: "the wasm backend's 4 GB heap (backend 'auto' picks wasm here: @tensorflow/tfjs-node is not installed)" };
  }
}
