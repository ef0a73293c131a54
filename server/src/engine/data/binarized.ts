import { open, readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../text/atomicFile.js';

const MAGIC = Buffer.from('MASSBIN\u0001', 'latin1');

/** What a binarized file was built from; a cache is reused only when this matches exactly. */
export type SourceKey = Record<string, string | number | boolean>;

export interface BinarizedHeader {
  version: 1;
  dtype: 'uint16' | 'int32';
  nSentences: number;
  nTokens: number;
  /** Dictionary fingerprint the ids refer to. */
  dictionary: string;
  source: SourceKey;
  /** Free-form statistics from preprocessing (unknown words, skipped lines…). */
  stats?: Record<string, unknown>;
}

/**
 * Sentences as token ids, concatenated: sentence i is tokens[offsets[i] .. offsets[i+1]). No `</s>`
 * is stored; batches add them (XLM stores one after each sentence instead).
 */
export interface BinarizedData {
  header: BinarizedHeader;
  offsets: Uint32Array;
  tokens: Uint16Array | Int32Array;
}

export function lengthOf(data: BinarizedData, i: number): number {
  return data.offsets[i + 1]! - data.offsets[i]!;
}

/** Builds the flat arrays from id lists. */
export function packSentences(sentences: ArrayLike<number>[], nWords: number): { offsets: Uint32Array; tokens: Uint16Array | Int32Array } {
  let total = 0;
  for (const s of sentences) total += s.length;
  if (total >= 2 ** 32) throw new UserError(`corpus too large to binarize (${total} tokens, limit 2^32)`);
  const offsets = new Uint32Array(sentences.length + 1);
  const tokens = nWords < 1 << 16 ? new Uint16Array(total) : new Int32Array(total);
  let at = 0;
  sentences.forEach((s, i) => {
    offsets[i] = at;
    tokens.set(s, at);
    at += s.length;
  });
  offsets[sentences.length] = at;
  return { offsets, tokens };
}

export function encodeBinarized(data: BinarizedData): Buffer {
  const header = Buffer.from(JSON.stringify(data.header), 'utf8');
  const headerEnd = MAGIC.length + 4 + header.length;
  const pad = (8 - (headerEnd % 8)) % 8;
  const lenBuf = Buffer.alloc(4);
  lenBuf.writeUInt32LE(header.length + pad);
  return Buffer.concat([
    MAGIC,
    lenBuf,
    header,
    Buffer.alloc(pad, 0x20),
    Buffer.from(data.offsets.buffer, data.offsets.byteOffset, data.offsets.byteLength),
    Buffer.from(data.tokens.buffer, data.tokens.byteOffset, data.tokens.byteLength),
  ]);
}

export async function writeBinarized(path: string, data: BinarizedData): Promise<void> {
  await writeFileAtomic(path, encodeBinarized(data));
}

export function decodeBinarized(buf: Buffer, name: string): BinarizedData {
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new UserError(`${name}: not a MASS binarized data file (bad magic); delete it to rebuild`);
  }
  const headerLen = buf.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  let header: BinarizedHeader;
  try {
    header = JSON.parse(buf.subarray(start, start + headerLen).toString('utf8')) as BinarizedHeader;
  } catch {
    throw new UserError(`${name}: corrupt header; delete it to rebuild`);
  }
  const offStart = start + headerLen;
  const offBytes = (header.nSentences + 1) * 4;
  const width = header.dtype === 'uint16' ? 2 : 4;
  if (buf.length !== offStart + offBytes + header.nTokens * width) {
    throw new UserError(`${name}: truncated or corrupt (size ${buf.length} does not match its header); delete it to rebuild`);
  }
  // Copy into fresh, aligned arrays (a pooled Buffer's byteOffset need not be aligned).
  const offsets = new Uint32Array(header.nSentences + 1);
  Buffer.from(offsets.buffer).set(buf.subarray(offStart, offStart + offBytes));
  const tokens = header.dtype === 'uint16' ? new Uint16Array(header.nTokens) : new Int32Array(header.nTokens);
  Buffer.from(tokens.buffer).set(buf.subarray(offStart + offBytes));
  return { header, offsets, tokens };
}

export async function readBinarized(path: string): Promise<BinarizedData> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch {
    throw new UserError(`${path}: cannot read binarized data (run 'mass preprocess' first)`);
  }
  return decodeBinarized(buf, path);
}

/** Reads only the header, to decide whether a cache is still valid. */
export async function readBinarizedHeader(path: string): Promise<BinarizedHeader | undefined> {
  try {
    const fh = await open(path, 'r');
    try {
      const head = Buffer.alloc(MAGIC.length + 4);
      await fh.read(head, 0, head.length, 0);
      if (!head.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
      const len = head.readUInt32LE(MAGIC.length);
      const hb = Buffer.alloc(len);
      await fh.read(hb, 0, len, head.length);
      return JSON.parse(hb.toString('utf8')) as BinarizedHeader;
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}
