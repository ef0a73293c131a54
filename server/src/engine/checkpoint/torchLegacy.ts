/**
 * torch's legacy serialization (torch.save before 1.6, or with _use_new_zipfile_serialization=False;
 * the published MASS checkpoints): five things back to back —
 *   pickle(magic 0x1950a86a20f9469cfc6c), pickle(protocol 1001), pickle(sys_info dict),
 *   pickle(object; storages as persistent ids), pickle(sorted storage keys),
 * then per key: int64 element count and the raw little-endian elements.
 */
import { closeSync, readSync } from 'node:fs';
import { UserError } from '../errors.js';
import { unpickle, type GlobalHandler } from './pickleReader.js';
import { pickle } from './pickleWriter.js';
import { tensorsToPickle } from './storageTable.js';
import { storageLoader, type TorchStorage } from './torchTensors.js';

export const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const PROTOCOL_VERSION = 1001;

export interface TorchRead {
  value: unknown;
  storages: Map<string, TorchStorage>;
  format: 'legacy' | 'zip';
  /** Read from an open file whose storages are read on demand: closes it (values cannot be read after). */
  close?: () => void;
}

const noGlobals = new Map<string, GlobalHandler>();

/** The pickles of a legacy file up to its raw storages: the object (storages still empty) and where the storages start. */
function readLegacyPickles(
  bytes: Uint8Array,
  source: string,
  globals: ReadonlyMap<string, GlobalHandler>,
): { value: unknown; storages: Map<string, TorchStorage>; keys: string[]; at: number } {
  let at = 0;
  const header = (what: string) => {
    const r = unpickle(bytes, { globals: noGlobals, source: `${source} (${what})` }, at);
    at = r.end;
    return r.value;
  };
  const magic = header('magic number');
  if (BigInt(typeof magic === 'number' || typeof magic === 'bigint' ? magic : -1) !== LEGACY_MAGIC) {
    throw new UserError(`${source}: not a torch checkpoint (wrong magic number)`);
  }
  const protocol = header('protocol version');
  if (protocol !== PROTOCOL_VERSION) throw new UserError(`${source}: torch legacy protocol ${String(protocol)}, only ${PROTOCOL_VERSION} is known`);
  const sys = header('sys info');
  if (sys instanceof Map && sys.get('little_endian') === false) throw new UserError(`${source}: written on a big-endian machine; not supported`);
  const storages = new Map<string, TorchStorage>();
  const main = unpickle(bytes, { globals, source, persistentLoad: storageLoader(storages, source) }, at);
  at = main.end;
  const keys = unpickle(bytes, { globals: noGlobals, source: `${source} (storage keys)` }, at);
  at = keys.end;
  if (!Array.isArray(keys.value) || !keys.value.every((k) => typeof k === 'string')) throw new UserError(`${source}: storage key list is malformed`);
  return { value: main.value, storages, keys: keys.value as string[], at };
}

/**
 * Walks the raw storages after the pickles (each: int64 element count, then its bytes), checking each
 * against the file size; `attach` is told where each storage's bytes lie.
 */
function placeStorages(
  p: { storages: Map<string, TorchStorage>; keys: string[]; at: number },
  size: number,
  source: string,
  numelAt: (at: number) => number,
  attach: (s: TorchStorage, at: number, n: number) => void,
): void {
  let at = p.at;
  for (const key of p.keys) {
    const s = p.storages.get(key);
    if (!s) throw new UserError(`${source}: storage ${key} is listed but never used`);
    if (at + 8 > size) throw new UserError(`${source}: truncated (storage ${key} is missing)`);
    const numel = numelAt(at);
    at += 8;
    const n = numel * s.elementSize;
    if (numel < 0 || at + n > size) throw new UserError(`${source}: truncated (storage ${key} needs ${n} bytes, ${size - at} are left)`);
    attach(s, at, n);
    at += n;
  }
}

export function readTorchLegacy(bytes: Uint8Array, source: string, globals: ReadonlyMap<string, GlobalHandler>): TorchRead {
  const p = readLegacyPickles(bytes, source, globals);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  placeStorages(
    p,
    bytes.length,
    source,
    (at) => Number(view.getBigInt64(at, true)),
    (s, at, n) => (s.bytes = bytes.subarray(at, at + n)),
  );
  return { value: p.value, storages: p.storages, format: 'legacy' };
}

/** Bytes of the file's start read first, doubled until the pickles fit (they are a few MB at most). */
const FIRST_READ = 1 << 24;

/**
 * A legacy file read from an open descriptor: the pickles from its start, each storage's bytes only
 * when a tensor's values are asked for (and not kept), so a 1.3 GB checkpoint is never held whole.
 * The descriptor must stay open while values are read (`close` of the result closes it).
 */
export function readTorchLegacyFd(fd: number, size: number, source: string, globals: ReadonlyMap<string, GlobalHandler>, firstRead = FIRST_READ): TorchRead {
  let len = Math.min(size, firstRead);
  for (;;) {
    const head = readRange(fd, 0, len, source);
    try {
      const p = readLegacyPickles(head, source, globals);
      placeStorages(
        p,
        size,
        source,
        (at) => Number(Buffer.from(readRange(fd, at, 8, source).buffer).readBigInt64LE(0)),
        (s, at, n) => (s.load = () => readRange(fd, at, n, source)),
      );
      return { value: p.value, storages: p.storages, format: 'legacy', close: () => closeSync(fd) };
    } catch (e) {
      // Maybe a pickle cut off by the end of what was read (which can fail as a truncated pickle, or
      // as a string cut mid-character): read more, until the whole file has been tried.
      if (!(e instanceof UserError) || len >= size) throw e;
      len = Math.min(size, len * 2);
    }
  }
}

function readRange(fd: number, position: number, n: number, source: string): Uint8Array {
  const out = new Uint8Array(n);
  let done = 0;
  while (done < n) {
    const got = readSync(fd, out, done, n - done, position + done);
    if (got === 0) throw new UserError(`${source}: truncated (ended at byte ${position + done})`);
    done += got;
  }
  return out;
}

export function writeTorchLegacy(value: unknown, protocol: 2 | 4 = 2): Uint8Array {
  const { tree, storages } = tensorsToPickle(value, 'legacy');
  const sysInfo = new Map<unknown, unknown>([
    ['protocol_version', PROTOCOL_VERSION],
    ['little_endian', true],
    [
      'type_sizes',
      new Map([
        ['short', 2],
        ['int', 4],
        ['long', 4],
      ]),
    ],
  ]);
  const parts: Uint8Array[] = [pickle(LEGACY_MAGIC), pickle(PROTOCOL_VERSION), pickle(sysInfo), pickle(tree, protocol), pickle(storages.map((s) => s.key))];
  for (const s of storages) {
    const n = Buffer.alloc(8);
    n.writeBigInt64LE(BigInt(s.numel));
    parts.push(n, s.bytes);
  }
  return Buffer.concat(parts);
}
