/**
 * torch's legacy serialization (torch.save before 1.6, or with _use_new_zipfile_serialization=False;
 * the published MASS checkpoints): five things back to back —
 *   pickle(magic 0x1950a86a20f9469cfc6c), pickle(protocol 1001), pickle(sys_info dict),
 *   pickle(object; storages as persistent ids), pickle(sorted storage keys),
 * then per key: int64 element count and the raw little-endian elements.
 */
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
}

const noGlobals = new Map<string, GlobalHandler>();

export function readTorchLegacy(bytes: Uint8Array, source: string, globals: ReadonlyMap<string, GlobalHandler>): TorchRead {
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
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const key of keys.value as string[]) {
    const s = storages.get(key);
    if (!s) throw new UserError(`${source}: storage ${key} is listed but never used`);
    if (at + 8 > bytes.length) throw new UserError(`${source}: truncated (storage ${key} is missing)`);
    const numel = Number(view.getBigInt64(at, true));
    at += 8;
    const n = numel * s.elementSize;
    if (numel < 0 || at + n > bytes.length) throw new UserError(`${source}: truncated (storage ${key} needs ${n} bytes, ${bytes.length - at} are left)`);
    s.bytes = bytes.subarray(at, at + n);
    at += n;
  }
  return { value: main.value, storages, format: 'legacy' };
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
