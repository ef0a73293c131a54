/**
 * Opens a device on a WebGPU adapter and installs it as tfjs's `webgpu` backend, keeps the first GPU
 * error (a failed validation makes a kernel write nothing, so results would silently be zeros) and
 * destroys the device at shutdown (Node does not exit while one is referenced).
 */
import { tf } from './tf.js';
import { releaseOnExit } from './releaseOnExit.js';
import { adapterName, type FoundAdapter, type GpuDevice, type GpuLimits } from './webgpuAdapter.js';

/** The limits tfjs-backend-webgpu asks for itself (its own registration), at the adapter's maxima. */
const LIMITS = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeInvocationsPerWorkgroup',
] as const;

let device: GpuDevice | undefined;
let opened: { label: string; name: string; software: boolean } | undefined;
let unregisterRelease: (() => void) | undefined;
let firstError: string | undefined;

/** The open device's limits (what a model and batch must fit), if the webgpu backend is open. */
export function webgpuLimits(): Pick<GpuLimits, 'maxBufferSize' | 'maxStorageBufferBindingSize'> | undefined {
  return device && { maxBufferSize: device.limits.maxBufferSize, maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize };
}

/** The adapter of the open device, if one is open. */
export function openWebgpu(): { label: string; name: string; software: boolean } | undefined {
  return device && opened;
}

/** Throws the first error the device reported since it was opened (then forgets it). */
export function throwWebgpuError(): void {
  if (firstError === undefined) return;
  const m = firstError;
  firstError = undefined;
  throw new Error(`the GPU rejected a kernel, results are not valid: ${m}`);
}

/**
 * Opens a device with the limits tfjs needs and registers tfjs's `webgpu` backend on it (replacing
 * the registration the package makes itself, which would pick its own adapter).
 */
export async function installWebgpuBackend(found: FoundAdapter): Promise<void> {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  // tfjs-backend-webgpu checks navigator.gpu when it loads and when a backend is constructed, and
  // reads GPUBufferUsage & co. from the global object.
  for (const [k, v] of Object.entries(found.globals))
    if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  Object.defineProperty(g.navigator, 'gpu', { value: found.gpu, configurable: true, writable: true });
  // Loaded only now: the package registers its backend when navigator.gpu exists at load time.
  const { WebGPUBackend } = require('@tensorflow/tfjs-backend-webgpu') as { WebGPUBackend: new (device: unknown, info: unknown) => tf.KernelBackend };
  const limits = found.adapter.limits;
  // No optional features: tfjs can hand requestDevice a nested feature list, which Dawn rejects.
  const dev = await found.adapter.requestDevice({ requiredLimits: Object.fromEntries(LIMITS.map((k) => [k, limits[k]])), requiredFeatures: [] });
  dev.onuncapturederror = (ev) => {
    firstError ??= ev.error.message.split('\n')[0];
  };
  // a device lost other than by our destroy() (driver reset, GPU removed) fails the next read-back
  void dev.lost.then((info) => {
    if (info.reason !== 'destroyed') firstError ??= `the GPU device was lost: ${info.message}`;
  });
  destroyWebgpu();
  device = dev;
  opened = { label: found.label, name: adapterName(found.adapter.info), software: found.software };
  unregisterRelease = releaseOnExit(destroyWebgpu);
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new WebGPUBackend(dev, found.adapter.info), 3);
}

/** Frees the backend's memory and destroys the device, so the process can exit. Safe to repeat. */
export function destroyWebgpu(): void {
  if (!device) return;
  const dev = device;
  device = undefined;
  unregisterRelease?.();
  unregisterRelease = undefined;
  // Disposes the backend's buffers; a later initBackend('webgpu') opens a new device.
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  dev.destroy();
}
