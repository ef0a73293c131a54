/**
 * Finds a WebGPU adapter through Dawn's Node bindings (the optional `webgpu` package): the platform's
 * own API first (Vulkan on Linux, Metal on macOS, D3D12 on Windows), then on Linux Dawn's OpenGL
 * backend over EGL, which is what runs on Mesa's software rasteriser (llvmpipe) on a machine without
 * a GPU. Software adapters are recognised by name so that `auto` never trains on one.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The parts of WebGPU's objects we use (Dawn's own types come with the optional package). */
export interface GpuLimits {
  readonly maxBufferSize: number;
  readonly maxStorageBufferBindingSize: number;
  readonly [name: string]: number;
}

export interface GpuAdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter?: boolean;
}

export interface GpuDevice {
  readonly limits: GpuLimits;
  readonly lost: Promise<{ reason: string; message: string }>;
  onuncapturederror: ((ev: { error: { message: string } }) => void) | null;
  destroy(): void;
}

export interface GpuAdapter {
  readonly info: GpuAdapterInfo;
  readonly limits: GpuLimits;
  readonly isFallbackAdapter?: boolean;
  requestDevice(descriptor: { requiredLimits?: Record<string, number>; requiredFeatures?: string[] }): Promise<GpuDevice>;
}

export interface Gpu {
  requestAdapter(options?: { featureLevel?: 'core' | 'compatibility'; powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapter | null>;
}

interface Dawn {
  create(flags: string[]): Gpu;
  globals: object;
}

export interface FoundAdapter {
  gpu: Gpu;
  adapter: GpuAdapter;
  /** The graphics API Dawn drives it through: Vulkan, Metal, D3D12, OpenGL. */
  api: string;
  /** Whether it computes on the CPU (llvmpipe, lavapipe, SwiftShader, WARP). */
  software: boolean;
  /** What the status line shows: `NVIDIA H100 (Vulkan)`, `llvmpipe (OpenGL, software)`. */
  label: string;
  /** Dawn's globals (GPUBufferUsage, …), which tfjs-backend-webgpu reads from the global object. */
  globals: object;
}

const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|microsoft basic render|\bwarp\b/i;

export function isSoftwareAdapter(info: GpuAdapterInfo, isFallback?: boolean): boolean {
  if (isFallback || info.isFallbackAdapter) return true;
  return SOFTWARE.test([info.vendor, info.architecture, info.device, info.description].join(' '));
}

/**
 * A short human name for an adapter. Dawn puts the device's name in `device` (llvmpipe through
 * OpenGL: `llvmpipe-llvm-15-0-6-256-bits-`) and the driver's in `description` (`OpenGL version 4.5
 * (Core Profile) Mesa 22.3.6`): the device first, then the driver, then vendor and architecture.
 */
export function adapterName(info: GpuAdapterInfo): string {
  const sw = SOFTWARE.exec([info.device, info.description, info.vendor, info.architecture].join(' '));
  if (sw) return sw[0].toLowerCase();
  const name = [info.device, info.description, [info.vendor, info.architecture].filter(Boolean).join(' ')].find((s) => s.trim() !== '');
  return name?.trim() ?? 'unknown adapter';
}

const NATIVE_API: Record<string, string> = { linux: 'Vulkan', darwin: 'Metal', win32: 'D3D12' };

/**
 * Linux: whether a GPU shows up as a device node (a DRM render node, NVIDIA's, WSL's /dev/dxg). Without
 * one, `auto` does not load Dawn at all: there can only be a software adapter, and Dawn's probes
 * would print their failures on stderr.
 */
export function linuxGpuDeviceNode(dev = '/dev'): string | undefined {
  const list = (d: string) => {
    try {
      return readdirSync(d);
    } catch {
      return [];
    }
  };
  if (existsSync(`${dev}/dxg`)) return `${dev}/dxg`;
  const render = list(`${dev}/dri`).find((f) => f.startsWith('renderD'));
  if (render) return `${dev}/dri/${render}`;
  const nvidia = list(dev).find((f) => /^nvidia\d+$/.test(f));
  return nvidia && `${dev}/${nvidia}`;
}

let dawn: Promise<Dawn> | undefined;

/** Loads Dawn once; rejects with why when the optional package or its binary is missing. */
function loadDawn(): Promise<Dawn> {
  // Kept out of the bundle (scripts/build.mjs): the package is ESM and carries the native dawn.node.
  dawn ??= import('webgpu') as Promise<Dawn>;
  return dawn;
}

/**
 * Dawn's OpenGL backend needs EGL's surfaceless platform on a machine without a display, and Mesa
 * wants an XDG_RUNTIME_DIR it owns (mode 700). Set only where the user has not set them.
 */
function prepareHeadlessGl(): void {
  process.env.EGL_PLATFORM ??= 'surfaceless';
  if (!process.env.XDG_RUNTIME_DIR) {
    const dir = mkdtempSync(join(tmpdir(), 'mass-xdg-'));
    chmodSync(dir, 0o700);
    process.env.XDG_RUNTIME_DIR = dir;
  }
}

interface Attempt {
  api: string;
  flags: string[];
  featureLevel: 'core' | 'compatibility';
  prepare?: () => void;
}

function attemptsFor(platform: NodeJS.Platform): Attempt[] {
  const native: Attempt = { api: NATIVE_API[platform] ?? 'native', flags: [], featureLevel: 'core' };
  if (platform !== 'linux') return [native];
  // Mesa's Vulkan loader wants XDG_RUNTIME_DIR too; OpenGL through EGL runs compute in WebGPU's
  // compatibility mode only.
  return [
    { ...native, prepare: prepareHeadlessGl },
    { api: 'OpenGL', flags: ['backend=opengl'], featureLevel: 'compatibility', prepare: prepareHeadlessGl },
  ];
}

/**
 * The first adapter Dawn offers, trying each API in turn; a software adapter only when `allowSoftware`
 * and no hardware one was found. Returns why not as a string (`no adapter`, `software adapter
 * llvmpipe (used only when asked for by name)`, the load error of the package).
 */
export async function findAdapter(allowSoftware: boolean): Promise<FoundAdapter | string> {
  if (!allowSoftware && process.platform === 'linux' && !linuxGpuDeviceNode()) return 'no GPU device (no /dev/dri render node, /dev/nvidia*, /dev/dxg)';
  let d: Dawn;
  try {
    d = await loadDawn();
  } catch (e) {
    const m = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    return `the webgpu package (Dawn) could not be loaded: ${m}`;
  }
  let software: FoundAdapter | undefined;
  const failures: string[] = [];
  for (const a of attemptsFor(process.platform)) {
    a.prepare?.();
    let adapter: GpuAdapter | null = null;
    const gpu = d.create(a.flags);
    try {
      adapter = await gpu.requestAdapter({ featureLevel: a.featureLevel, powerPreference: 'high-performance' });
    } catch (e) {
      failures.push(`${a.api}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    if (!adapter) {
      failures.push(`${a.api}: no adapter`);
      continue;
    }
    const sw = isSoftwareAdapter(adapter.info, adapter.isFallbackAdapter);
    const name = adapterName(adapter.info);
    const found: FoundAdapter = { gpu, adapter, api: a.api, software: sw, label: `${name} (${a.api}${sw ? ', software' : ''})`, globals: d.globals };
    if (!sw) return found;
    software ??= found;
  }
  if (software && allowSoftware) return software;
  if (software) return `software adapter ${adapterName(software.adapter.info)} (used only when asked for by name)`;
  return `no adapter (${failures.join('; ')})`;
}
