/**
 * torch's zip serialization (PyTorch ≥ 1.6): `<name>/data.pkl` (the object, storages as persistent
 * ids ('storage', type, key, location, numel)), `<name>/data/<key>` (each storage's raw little-endian
 * elements) and `<name>/version`. Written with protocol 2 and the folder name "archive", as torch.save
 * does for a file object.
 */
import { UserError } from '../errors.js';
import type { GlobalHandler } from './pickleReader.js';
import { unpickle } from './pickleReader.js';
import { pickle } from './pickleWriter.js';
import { tensorsToPickle } from './storageTable.js';
import type { TorchRead } from './torchLegacy.js';
import { storageLoader, type TorchStorage } from './torchTensors.js';
import { readZip, writeZip } from './zip.js';

export function readTorchZip(bytes: Uint8Array, source: string, globals: ReadonlyMap<string, GlobalHandler>): TorchRead {
  const entries = readZip(bytes, source);
  const pkl = [...entries.keys()].find((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (!pkl) throw new UserError(`${source}: a zip archive without <name>/data.pkl; not a torch checkpoint`);
  const root = pkl.slice(0, -'data.pkl'.length);
  const order = entries.get(`${root}byteorder`);
  if (order && Buffer.from(order).toString('latin1') !== 'little') throw new UserError(`${source}: big-endian tensor data is not supported`);
  const storages = new Map<string, TorchStorage>();
  const { value } = unpickle(entries.get(pkl)!, { globals, source: `${source} (${pkl})`, persistentLoad: storageLoader(storages, source) });
  for (const s of storages.values()) {
    if (s.view) continue;
    const data = entries.get(`${root}data/${s.key}`);
    if (!data) throw new UserError(`${source}: storage ${s.key} (${root}data/${s.key}) is missing`);
    if (data.length % s.elementSize !== 0)
      throw new UserError(`${source}: storage ${s.key} has ${data.length} bytes, not a whole number of ${s.dtype} elements`);
    s.bytes = data;
  }
  return { value, storages, format: 'zip' };
}

export function writeTorchZip(value: unknown, protocol: 2 | 4 = 2): Uint8Array {
  const { tree, storages } = tensorsToPickle(value, 'zip');
  return writeZip([
    { name: 'archive/data.pkl', data: pickle(tree, protocol) },
    ...storages.map((s) => ({ name: `archive/data/${s.key}`, data: s.bytes })),
    { name: 'archive/version', data: Buffer.from('3\n') },
  ]);
}
