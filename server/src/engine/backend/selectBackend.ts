/**
 * Picks and initialises the TensorFlow.js backend: a hardware GPU through WebGPU (Dawn), native
 * TensorFlow with CUDA, native TensorFlow on CPU, WebAssembly (SIMD), then plain JavaScript. The native
 * packages (Dawn's `webgpu`, tfjs-node) are optional dependencies, loaded with a guarded `require` or
 * `import` and never bundled.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tf } from './tf.js';
import { UserError } from '../errors.js';
import { registerWasmMatMulKernels } from './wasmMatMul.js';
import { registerSegmentSumKernels } from './segmentSum.js';
import { registerFusedKernels } from './fusedKernels.js';
import { registerWasmTransposeKernel } from './transpose.js';
import { registerWasmSharingKernels } from './wasmSharing.js';
import { registerWasmGatherKernel } from './wasmGather.js';
import { guardWasmMalloc } from './wasmMemory.js';
import { findAdapter } from './webgpuAdapter.js';
import { destroyWebgpu, installWebgpuBackend, openWebgpu } from './webgpuDevice.js';

import { BACKEND_CHOICES, BACKEND_ORDER, type BackendChoice, type BackendName } from './backendNames.js';

export { BACKEND_CHOICES, type BackendChoice, type BackendName };

export interface BackendInfo {
  /** What is in use. */
  name: BackendName;
  /** tfjs's own name for it (`tensorflow`, `wasm`, `cpu`). */
  tfBackend: string;
  /** wasm only: whether the SIMD binary is in use. */
  simd?: boolean;
  /** webgpu only: the adapter and the API Dawn drives it through, e.g. `NVIDIA H100 (Vulkan)`. */
  adapter?: string;
  /** Backends tried before this one in `auto` mode, with why they were skipped. */
  skipped: { name: BackendName; reason: string }[];
}

let current: BackendInfo | undefined;
let kernelsInstalled = false;

/** The backend chosen by the last {@link initBackend} call, if any. */
export function currentBackend(): BackendInfo | undefined {
  return current;
}

/** Folder holding the tfjs wasm binaries: next to our bundle in dist/, else the installed package. */
export function wasmBinaryDir(): string {
  const candidates: string[] = [];
  if (typeof __dirname === 'string') candidates.push(__dirname);
  try {
    candidates.push(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist'));
  } catch {
    // not resolvable from a bundle moved elsewhere: the bundle folder is the only candidate
  }
  const found = candidates.find((d) => existsSync(join(d, 'tfjs-backend-wasm-simd.wasm')));
  if (!found) throw new UserError(`tfjs wasm binaries (tfjs-backend-wasm-simd.wasm) not found in: ${candidates.join(', ')}`);
  return found;
}

function installKernels(): void {
  if (kernelsInstalled) return;
  kernelsInstalled = true;
  registerWasmMatMulKernels();
  registerWasmTransposeKernel();
  registerWasmSharingKernels();
  registerWasmGatherKernel();
  registerSegmentSumKernels();
  registerFusedKernels();
  // Quiet "looks like you are running TensorFlow.js in Node.js" and debug-only checks.
  tf.env().set('PROD', true);
  try {
    setWasmPaths(wasmBinaryDir() + '/');
  } catch {
    // reported when wasm is actually asked for
  }
}

function reasonOf(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0];
}

async function tryNative(pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node'): Promise<string | undefined> {
  try {
    require(pkg);
  } catch (e) {
    return `${pkg} could not be loaded: ${reasonOf(e)}`;
  }
  if (!tf.findBackendFactory('tensorflow')) return `${pkg} loaded but registered no 'tensorflow' backend`;
  try {
    if (!(await tf.setBackend('tensorflow'))) return `${pkg}: the tensorflow backend failed to initialise`;
  } catch (e) {
    return `${pkg}: ${reasonOf(e)}`;
  }
  return undefined;
}

let webgpuAdapterLabel: string | undefined;

/**
 * WebGPU through Dawn; a software adapter (llvmpipe, SwiftShader) only when asked for by name. A device
 * already open is kept (models loaded on it stay usable) when it qualifies.
 */
async function tryWebgpu(allowSoftware: boolean): Promise<string | undefined> {
  const open = openWebgpu();
  if (open && (allowSoftware || !open.software)) {
    webgpuAdapterLabel = open.label;
    return (await tf.setBackend('webgpu')) ? undefined : `the webgpu backend failed to initialise on ${open.label}`;
  }
  if (open) return `software adapter ${open.name} (used only when asked for by name)`;
  const found = await findAdapter(allowSoftware);
  if (typeof found === 'string') return found;
  try {
    await installWebgpuBackend(found);
    if (!(await tf.setBackend('webgpu'))) {
      destroyWebgpu();
      return `the webgpu backend failed to initialise on ${found.label}`;
    }
  } catch (e) {
    destroyWebgpu();
    return `${found.label}: ${reasonOf(e)}`;
  }
  webgpuAdapterLabel = found.label;
  return undefined;
}

async function tryWasm(): Promise<string | undefined> {
  try {
    wasmBinaryDir();
    if (!(await tf.setBackend('wasm'))) return 'the wasm backend failed to initialise';
    guardWasmMalloc();
  } catch (e) {
    return reasonOf(e);
  }
  return undefined;
}

async function tryCpu(): Promise<string | undefined> {
  // The package registers 'cpu' when loaded; esbuild drops a bare side-effect import of it (the
  // package declares itself side-effect free), so it is referenced here and registered if missing.
  if (!tf.findBackendFactory('cpu')) tf.registerBackend('cpu', () => new MathBackendCPU(), 1);
  return (await tf.setBackend('cpu')) ? undefined : 'the cpu backend failed to initialise';
}

const attempts: Record<BackendName, (byName: boolean) => Promise<string | undefined>> = {
  webgpu: (byName) => tryWebgpu(byName),
  'tfjs-node-gpu': () => tryNative('@tensorflow/tfjs-node-gpu'),
  'tfjs-node': () => tryNative('@tensorflow/tfjs-node'),
  wasm: tryWasm,
  cpu: tryCpu,
};

/**
 * Initialises `choice` (or, for `auto`, the first of webgpu on a hardware adapter, tfjs-node-gpu,
 * tfjs-node, wasm, cpu that works) and returns what is in use. A forced choice that cannot load is a
 * UserError naming why.
 */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new UserError(`unknown backend '${String(choice)}' (expected one of ${BACKEND_CHOICES.join(', ')})`);
  }
  installKernels();
  const order: readonly BackendName[] = choice === 'auto' ? BACKEND_ORDER : [choice];
  const skipped: BackendInfo['skipped'] = [];
  for (const name of order) {
    const failure = await attempts[name](choice !== 'auto');
    if (failure === undefined) {
      await tf.ready();
      const simd = name === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : undefined;
      const adapter = name === 'webgpu' ? webgpuAdapterLabel : undefined;
      current = { name, tfBackend: tf.getBackend(), simd, adapter, skipped };
      return current;
    }
    skipped.push({ name, reason: failure });
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new UserError(choice === 'auto' ? `no TensorFlow.js backend could be initialised (${why})` : `backend '${choice}' is not available: ${why}`);
}

/** One line naming the backend in use and why `auto` passed over the ones before it. */
export function describeBackend(b: BackendInfo): string {
  const what = b.adapter ? `${b.name}: ${b.adapter}` : `${b.name}${b.simd ? ' (SIMD)' : ''}`;
  if (b.skipped.length === 0) return what;
  return `${what}; not used: ${b.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`;
}
