/**
 * The safetensors file format (huggingface/safetensors): an 8-byte little-endian header length, a JSON
 * header `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}`, then
 * the raw little-endian tensor bytes (offsets relative to the end of the header). We read F32, F16,
 * BF16, F64, I32 and I64 and write F32 or F16, so checkpoints move both ways with PyTorch's
 * `safetensors.torch.save_file` / `load_file`.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../text/atomicFile.js';
import { f16ToF32, f32ToF16 } from '../util/float16.js';

export type SafeDType = 'F32' | 'F16' | 'BF16' | 'F64' | 'I32' | 'I64';

export interface SafeTensor {
  dtype: SafeDType;
  shape: number[];
  /** F32/F16/BF16/F64 → Float32Array (converted), I32 → Int32Array, I64 → BigInt64Array. */
  data: Float32Array | Int32Array | BigInt64Array;
}

export interface SafetensorsFile {
  metadata: Record<string, string>;
  /** In file order. */
  tensors: Map<string, SafeTensor>;
}

const BYTES: Record<SafeDType, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I32: 4, I64: 8 };
/** A header larger than this is not a safetensors file (the reference implementation's limit). */
const MAX_HEADER = 100_000_000;

/** Parses a whole safetensors file; errors name `file` and the tensor at fault. */
export function parseSafetensors(bytes: Uint8Array, file: string): SafetensorsFile {
  const fail = (msg: string): never => {
    throw new UserError(`${file}: not a valid safetensors file: ${msg}`);
  };
  if (bytes.length < 8) fail('shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > MAX_HEADER || 8 + headerLen > bytes.length) fail(`header length ${headerLen} exceeds the file size ${bytes.length}`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    fail(`header is not JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, SafeTensor>();
  const ranges: [number, number, string][] = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null) fail('__metadata__ is not an object');
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__.${k} is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = e.dtype as SafeDType;
    if (typeof dtype !== 'string' || !(dtype in BYTES))
      fail(`tensor '${name}': unsupported dtype ${JSON.stringify(e.dtype)} (F32, F16, BF16, F64, I32, I64 are read)`);
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`tensor '${name}': bad shape ${JSON.stringify(shape)}`);
    const offs = e.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isInteger(o) && o >= 0)) {
      fail(`tensor '${name}': bad data_offsets ${JSON.stringify(offs)}`);
    }
    const [begin, end] = offs as [number, number];
    const n = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end < begin || end > dataLen) fail(`tensor '${name}': data_offsets [${begin}, ${end}] outside the ${dataLen} data bytes`);
    if (end - begin !== n * BYTES[dtype]) fail(`tensor '${name}': ${end - begin} bytes for shape [${shape}] of ${dtype}`);
    ranges.push([begin, end, name]);
    // Copy into fresh (aligned) memory: offsets need not be multiples of the element size.
    const raw = bytes.slice(dataStart + begin, dataStart + end);
    tensors.set(name, { dtype, shape: shape as number[], data: decode(raw, dtype, n) });
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i][0] < ranges[i - 1][1]) fail(`tensors '${ranges[i - 1][2]}' and '${ranges[i][2]}' overlap`);
  }
  return { metadata, tensors };
}

function decode(raw: Uint8Array, dtype: SafeDType, n: number): SafeTensor['data'] {
  // Safetensors is little-endian, as is every platform Node runs tfjs on.
  switch (dtype) {
    case 'F32':
      return new Float32Array(raw.buffer, raw.byteOffset, n);
    case 'F64':
      return Float32Array.from(new Float64Array(raw.buffer, raw.byteOffset, n));
    case 'I32':
      return new Int32Array(raw.buffer, raw.byteOffset, n);
    case 'I64':
      return new BigInt64Array(raw.buffer, raw.byteOffset, n);
    case 'F16': {
      const h = new Uint16Array(raw.buffer, raw.byteOffset, n);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = f16ToF32(h[i]);
      return out;
    }
    case 'BF16': {
      const h = new Uint16Array(raw.buffer, raw.byteOffset, n);
      const bits = new Uint32Array(n);
      for (let i = 0; i < n; i++) bits[i] = h[i] << 16;
      return new Float32Array(bits.buffer);
    }
  }
}

export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new UserError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseSafetensors(bytes, path);
}

/** Float values of a tensor (integers converted). */
export function toFloat32(t: SafeTensor): Float32Array {
  if (t.data instanceof Float32Array) return t.data;
  if (t.data instanceof Int32Array) return Float32Array.from(t.data);
  return Float32Array.from(t.data, (v) => Number(v));
}

export interface F32Entry {
  shape: number[];
  data: Float32Array;
  /** Stored as float32 (default) or rounded to float16 (half the size; for shipped weights). */
  dtype?: 'F32' | 'F16';
}

/** Serialises float32 tensors (in the given order) and string metadata. */
export function serializeSafetensors(tensors: Iterable<[string, F32Entry]>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  const parts: (Float32Array | Uint16Array)[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === '__metadata__') throw new Error('a tensor cannot be named __metadata__');
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new Error(`tensor '${name}': ${t.data.length} values for shape [${t.shape}]`);
    const dtype = t.dtype ?? 'F32';
    const size = BYTES[dtype] * n;
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
    parts.push(dtype === 'F16' ? Uint16Array.from(t.data, f32ToF16) : t.data);
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data starts 8-byte aligned (as the reference writer does).
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const p of parts) {
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), pos);
    pos += p.byteLength;
  }
  return out;
}

export async function writeSafetensors(path: string, tensors: Iterable<[string, F32Entry]>, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(path, serializeSafetensors(tensors, metadata));
}
