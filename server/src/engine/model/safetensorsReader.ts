/**
 * A safetensors file opened for reading one tensor at a time: only the header is read up front, each
 * tensor's bytes when it is asked for (into fresh memory the caller may drop). Loading a full-size
 * model (1.3 GB of weights plus tied copies on disk) this way never holds the whole file in memory.
 * The file stays open until {@link SafetensorsReader.close}: a checkpoint renamed over it meanwhile
 * (training saves atomically) does not change what this reader sees.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UserError } from '../errors.js';
import { decodeTensor, parseSafetensorsHeader, safetensorsHeaderLength, type SafeTensor, type SafeTensorPlace } from './safetensors.js';

/** Bytes compared per read when checking two tensors for equality. */
const COMPARE_CHUNK = 1 << 22;

export class SafetensorsReader {
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    fd: number,
    private readonly dataStart: number,
    readonly metadata: Record<string, string>,
    /** In file order. */
    readonly places: ReadonlyMap<string, SafeTensorPlace>,
  ) {
    this.fd = fd;
  }

  static open(path: string): SafetensorsReader {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      throw new UserError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      const size = fstatSync(fd).size;
      const first = Buffer.alloc(8);
      readFully(fd, first, 0, path);
      const headerLen = safetensorsHeaderLength(first.subarray(0, Math.min(8, size)), size, path);
      const header = Buffer.alloc(headerLen);
      readFully(fd, header, 8, path);
      const { metadata, places } = parseSafetensorsHeader(header, size - 8 - headerLen, path);
      return new SafetensorsReader(path, fd, 8 + headerLen, metadata, places);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  has(name: string): boolean {
    return this.places.has(name);
  }

  /** One tensor's values (floats as float32), read now; undefined when the file has no such tensor. */
  read(name: string): SafeTensor | undefined {
    const p = this.places.get(name);
    if (!p) return undefined;
    const raw = new Uint8Array(p.end - p.begin);
    readFully(this.openFd(), raw, this.dataStart + p.begin, this.path);
    return { dtype: p.dtype, shape: p.shape, data: decodeTensor(raw, p.dtype) };
  }

  /** Whether two tensors hold the same dtype, shape and bytes (compared in chunks, nothing kept). */
  sameBytes(a: string, b: string): boolean {
    const pa = this.places.get(a);
    const pb = this.places.get(b);
    if (!pa || !pb) return false;
    if (pa.dtype !== pb.dtype || pa.shape.join('x') !== pb.shape.join('x')) return false;
    const fd = this.openFd();
    const n = pa.end - pa.begin;
    const x = Buffer.alloc(Math.min(COMPARE_CHUNK, n));
    const y = Buffer.alloc(x.length);
    for (let at = 0; at < n; at += x.length) {
      const len = Math.min(x.length, n - at);
      readFully(fd, x.subarray(0, len), this.dataStart + pa.begin + at, this.path);
      readFully(fd, y.subarray(0, len), this.dataStart + pb.begin + at, this.path);
      if (!x.subarray(0, len).equals(y.subarray(0, len))) return false;
    }
    return true;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private openFd(): number {
    if (this.fd === undefined) throw new Error(`${this.path}: read after close`);
    return this.fd;
  }
}

function readFully(fd: number, into: Uint8Array, position: number, path: string): void {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) throw new UserError(`${path}: truncated (ended while reading a tensor)`);
    done += n;
  }
}
