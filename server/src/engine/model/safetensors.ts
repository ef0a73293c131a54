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

/** Where one tensor's bytes lie in a file, as its header says (offsets from the end of the header). */
export interface SafeTensorPlace {
  dtype: SafeDType;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Checks a header (every entry's dtype, shape and offsets against the `dataLen` data bytes, no
 * overlaps); errors name `file` and the tensor at fault. Entries in file order.
 */
export function parseSafetensorsHeader(
  headerBytes: Uint8Array,
  dataLen: number,
  file: string,
): { metadata: Record<string, string>; places: Map<string, SafeTensorPlace> } {
  const fail = (msg: string): never => {
    throw new UserError(`${file}: not a valid safetensors file: ${msg}`);
  };
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (e) {
    fail(`header is not JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
  const metadata: Record<string, string> = {};
  const places = new Map<string, SafeTensorPlace>();
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
    places.set(name, { dtype, shape: shape as number[], begin, end });
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i][0] < ranges[i - 1][1]) fail(`tensors '${ranges[i - 1][2]}' and '${ranges[i][2]}' overlap`);
  }
  return { metadata, places };
}

/** The header length a file's first 8 bytes give, checked against the file size. */
export function safetensorsHeaderLength(first8: Uint8Array, fileSize: number, file: string): number {
  if (fileSize < 8 || first8.length < 8) throw new UserError(`${file}: not a valid safetensors file: shorter than its 8-byte header length`);
  const headerLen = Number(new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true));
  if (headerLen > MAX_HEADER || 8 + headerLen > fileSize)
    throw new UserError(`${file}: not a valid safetensors file: header length ${headerLen} exceeds the file size ${fileSize}`);
  return headerLen;
}

/** Parses a whole safetensors file; errors name `file` and the tensor at fault. */
export function parseSafetensors(bytes: Uint8Array, file: string): SafetensorsFile {
  const headerLen = safetensorsHeaderLength(bytes, bytes.length, file);
  const dataStart = 8 + headerLen;
  const { metadata, places } = parseSafetensorsHeader(bytes.subarray(8, dataStart), bytes.length - dataStart, file);
  const tensors = new Map<string, SafeTensor>();
  for (const [name, p] of places) {
    // Copy into fresh (aligned) memory: offsets need not be multiples of the element size.
    const raw = bytes.slice(dataStart + p.begin, dataStart + p.end);
    tensors.set(name, { dtype: p.dtype, shape: p.shape, data: decodeTensor(raw, p.dtype) });
  }
  return { metadata, tensors };
}

/** Values from a tensor's raw bytes (`raw` starting at a multiple of 8 of its buffer: a fresh copy). */
export function decodeTensor(raw: Uint8Array, dtype: SafeDType): SafeTensor['data'] {
  const n = raw.byteLength / BYTES[dtype];
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

/** A tensor's place in a file being written: what the header says about it. */
export interface SafeHeaderEntry {
  name: string;
  shape: number[];
  dtype: 'F32' | 'F16';
}

/**
 * The 8-byte length and JSON header for tensors stored back to back in the given order (padded so the
 * data starts 8-byte aligned, as the reference writer does), and the number of data bytes after it.
 */
export function safetensorsHeader(entries: SafeHeaderEntry[], metadata: Record<string, string> = {}): { head: Uint8Array; dataBytes: number } {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  for (const { name, shape, dtype } of entries) {
    if (name === '__metadata__') throw new Error('a tensor cannot be named __metadata__');
    const size = BYTES[dtype] * shape.reduce((a, b) => a * b, 1);
    header[name] = { dtype, shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const head = new Uint8Array(8 + headerBytes.length);
  new DataView(head.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  head.set(headerBytes, 8);
  return { head, dataBytes: offset };
}

/** The bytes stored for one tensor (float16 rounded from `data` when asked). */
export function tensorBytes(name: string, shape: number[], data: Float32Array, dtype: 'F32' | 'F16' = 'F32'): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length) throw new Error(`tensor '${name}': ${data.length} values for shape [${shape}]`);
  const p = dtype === 'F16' ? Uint16Array.from(data, f32ToF16) : data;
  return new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
}

/** Serialises float32 tensors (in the given order) and string metadata. */
export function serializeSafetensors(tensors: Iterable<[string, F32Entry]>, metadata: Record<string, string> = {}): Uint8Array {
  const list = [...tensors];
  const parts = list.map(([name, t]) => tensorBytes(name, t.shape, t.data, t.dtype));
  const { head, dataBytes } = safetensorsHeader(
    list.map(([name, t]) => ({ name, shape: t.shape, dtype: t.dtype ?? 'F32' })),
    metadata,
  );
  const out = new Uint8Array(head.length + dataBytes);
  out.set(head, 0);
  let pos = head.length;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.byteLength;
  }
  return out;
}

export async function writeSafetensors(path: string, tensors: Iterable<[string, F32Entry]>, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(path, serializeSafetensors(tensors, metadata));
}
