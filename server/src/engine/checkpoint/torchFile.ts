/** Reads a torch.save file in either format, told apart by their first bytes. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import type { GlobalHandler } from './pickleReader.js';
import { readTorchLegacy, readTorchLegacyFd, writeTorchLegacy, type TorchRead } from './torchLegacy.js';
import { readTorchZip, writeTorchZip } from './torchZip.js';
import { writeFileAtomic } from '../text/atomicFile.js';

export function parseTorch(bytes: Uint8Array, source: string, globals: ReadonlyMap<string, GlobalHandler>): TorchRead {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return readTorchZip(bytes, source, globals);
  // Legacy files start with a protocol-2 pickle of the magic number: 0x80 0x02 0x8a 0x0a (LONG1, 10 bytes).
  if (bytes.length >= 2 && bytes[0] === 0x80) return readTorchLegacy(bytes, source, globals);
  throw new UserError(`${source}: not a torch checkpoint (neither a zip archive nor torch's legacy format; wrong magic)`);
}

/**
 * Reads a torch.save file. Legacy files (the published MASS checkpoints) are read from an open file:
 * the pickles now, each storage when its values are asked for; call `close` on the result when done.
 * Zip files are read whole.
 */
export async function readTorchFile(path: string, globals: ReadonlyMap<string, GlobalHandler>): Promise<TorchRead> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UserError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let lazy = false;
  try {
    const size = fstatSync(fd).size;
    const first = new Uint8Array(Math.min(4, size));
    readSync(fd, first, 0, first.length, 0);
    if (first[0] === 0x80) {
      const read = readTorchLegacyFd(fd, size, path, globals);
      lazy = true;
      return read;
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    if (!lazy) closeSync(fd);
  }
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
