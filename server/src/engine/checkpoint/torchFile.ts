/** Reads a torch.save file in either format, told apart by their first bytes. */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import type { GlobalHandler } from './pickleReader.js';
import { readTorchLegacy, writeTorchLegacy, type TorchRead } from './torchLegacy.js';
import { readTorchZip, writeTorchZip } from './torchZip.js';
import { writeFileAtomic } from '../text/atomicFile.js';

export function parseTorch(bytes: Uint8Array, source: string, globals: ReadonlyMap<string, GlobalHandler>): TorchRead {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return readTorchZip(bytes, source, globals);
  // Legacy files start with a protocol-2 pickle of the magic number: 0x80 0x02 0x8a 0x0a (LONG1, 10 bytes).
  if (bytes.length >= 2 && bytes[0] === 0x80) return readTorchLegacy(bytes, source, globals);
  throw new UserError(`${source}: not a torch checkpoint (neither a zip archive nor torch's legacy format; wrong magic)`);
}

export async function readTorchFile(path: string, globals: ReadonlyMap<string, GlobalHandler>): Promise<TorchRead> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new UserError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseTorch(bytes, path, globals);
}

/** Writes atomically: a failure leaves no partial file. */
export async function writeTorchFile(path: string, value: unknown, format: 'zip' | 'legacy' = 'zip', protocol: 2 | 4 = 2): Promise<void> {
  await writeFileAtomic(path, format === 'zip' ? writeTorchZip(value, protocol) : writeTorchLegacy(value, protocol));
}
