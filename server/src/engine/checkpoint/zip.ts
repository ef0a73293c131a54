/**
 * A small, strict zip container (PKWARE APPNOTE), enough for PyTorch's zip checkpoints: Node has
 * zlib but no zip reader. Reading trusts nothing: the central directory must agree with each local
 * header, every entry's bytes must lie inside the file, CRC-32s must match, and names must stay
 * inside the archive (no absolute paths, `..`, backslashes or duplicates). Methods: stored and
 * deflate. No zip64, encryption or multi-disk archives (torch writes none below 4 GB).
 * Writing stores entries uncompressed, data aligned to 64 bytes as torch's own writer does (so a
 * reader may map tensors in place).
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { UserError } from '../errors.js';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const EOCD = 0x06054b50;

/** A reason the name could escape an extraction root, or undefined when it is safe. */
export function unsafeZipName(name: string): string | undefined {
  if (name === '') return 'an empty name';
  if (name.includes('\\')) return 'a backslash';
  if (name.includes('\0')) return 'a NUL character';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'an absolute path';
  if (name.split('/').some((p) => p === '..')) return "a '..' component (a path outside the archive's root)";
  return undefined;
}

export function readZip(bytes: Uint8Array, file: string): Map<string, Uint8Array> {
  const fail = (msg: string): never => {
    throw new UserError(`${file}: not a valid zip archive: ${msg}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: 22 bytes plus a comment of at most 65535.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail('no end-of-central-directory record (truncated?)');
  const disk = view.getUint16(eocd + 4, true);
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (disk !== 0 || view.getUint16(eocd + 8, true) !== count) fail('multi-disk archives are not supported');
  if (count === 0xffff || cdOffset === 0xffffffff) fail('zip64 archives are not supported');
  if (cdOffset + cdSize > eocd) fail(`central directory [${cdOffset}, ${cdOffset + cdSize}) runs past its end record`);
  const out = new Map<string, Uint8Array>();
  let p = cdOffset;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL) fail(`central directory entry ${n} is damaged`);
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    const csize = view.getUint32(p + 20, true);
    const usize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const localOff = view.getUint32(p + 42, true);
    if (p + 46 + nameLen > eocd) fail(`central directory entry ${n} is damaged`);
    let name = '';
    try {
      name = utf8.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    } catch {
      fail(`entry ${n}: name is not UTF-8`);
    }
    const why = unsafeZipName(name);
    if (why) fail(`entry '${name}' has ${why}; refused`);
    if (out.has(name)) fail(`entry '${name}' appears twice`);
    if (flags & 1) fail(`entry '${name}' is encrypted`);
    if (csize === 0xffffffff || usize === 0xffffffff || localOff === 0xffffffff) fail(`entry '${name}': zip64 is not supported`);
    p += 46 + nameLen + extraLen + commentLen;
    if (localOff + 30 > cdOffset || view.getUint32(localOff, true) !== LOCAL) fail(`entry '${name}': no local header at ${localOff}`);
    const lNameLen = view.getUint16(localOff + 26, true);
    const lExtraLen = view.getUint16(localOff + 28, true);
    const lName = bytes.subarray(localOff + 30, localOff + 30 + lNameLen);
    if (Buffer.compare(lName, bytes.subarray(p - commentLen - extraLen - nameLen, p - commentLen - extraLen)) !== 0) {
      fail(`entry '${name}': local header names another file`);
    }
    const start = localOff + 30 + lNameLen + lExtraLen;
    if (start + csize > cdOffset) fail(`entry '${name}': its ${csize} bytes run past the central directory (truncated?)`);
    const raw = bytes.subarray(start, start + csize);
    let data: Uint8Array;
    if (method === 0) {
      if (csize !== usize) fail(`entry '${name}': stored with ${csize} bytes but ${usize} announced`);
      data = raw;
    } else if (method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(usize, 1) });
      } catch (e) {
        fail(`entry '${name}': bad deflate data (${(e as Error).message})`);
      }
      if (data!.length !== usize) fail(`entry '${name}': inflates to ${data!.length} bytes, ${usize} announced`);
    } else {
      fail(`entry '${name}': compression method ${method} is not supported (stored and deflate are)`);
    }
    if (crc32(data!) >>> 0 !== crc) fail(`entry '${name}': CRC-32 mismatch (damaged)`);
    out.set(name, data!);
  }
  return out;
}

/** Stored (uncompressed) entries, each one's data starting at a multiple of 64. */
export function writeZip(entries: ZipEntry[]): Uint8Array {
  const names = new Set<string>();
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const why = unsafeZipName(e.name);
    if (why) throw new Error(`zip: entry '${e.name}' has ${why}`);
    if (names.has(e.name)) throw new Error(`zip: entry '${e.name}' given twice`);
    names.add(e.name);
    if (e.data.length >= 0xffffffff || offset >= 0xffffffff)
      throw new UserError('zip: archives of 4 GB or more need zip64, which this writer does not produce');
    const name = Buffer.from(e.name, 'utf8');
    // Padding goes into an extra field (id 0xFFFF, ignored by readers), as torch's writer does.
    const base = offset + 30 + name.length;
    let pad = (64 - (base % 64)) % 64;
    if (pad > 0 && pad < 4) pad += 64;
    const crc = crc32(e.data) >>> 0;
    const local = Buffer.alloc(30 + name.length + pad);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(pad, 28);
    name.copy(local, 30);
    if (pad) {
      local.writeUInt16LE(0xffff, 30 + name.length);
      local.writeUInt16LE(pad - 4, 32 + name.length);
    }
    const cd = Buffer.alloc(46 + name.length);
    cd.writeUInt32LE(CENTRAL, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(e.data.length, 20);
    cd.writeUInt32LE(e.data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    name.copy(cd, 46);
    chunks.push(local, e.data);
    central.push(cd);
    offset += local.length + e.data.length;
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  if (offset + cdSize >= 0xffffffff) throw new UserError('zip: archives of 4 GB or more need zip64, which this writer does not produce');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, ...central, end]);
}
