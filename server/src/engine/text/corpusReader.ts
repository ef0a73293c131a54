import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { UserError, atLine } from '../errors.js';

/** Why a line was skipped; counted in {@link ReadStats}. */
export type SkipReason = 'invalid-utf8' | 'nul-byte' | 'too-long' | 'empty';

export interface ReadOptions {
  /** Lines longer than this many bytes are a problem (default 1 MiB). */
  maxLineBytes?: number;
  /**
   * What to do with a bad line: 'error' throws a UserError naming file and line; 'skip' drops it and
   * counts it. Binary files (NUL bytes in the first 8 KiB) always throw.
   */
  onBadLine?: 'error' | 'skip';
  /** Skip empty lines (counted as 'empty'); by default they are yielded as ''. */
  skipEmpty?: boolean;
  /** An empty file is an error unless this is set. */
  allowEmptyFile?: boolean;
  /** Name used in messages when reading a stream (default '<stdin>'). */
  name?: string;
}

export interface Line {
  text: string;
  /** 1-based line number in the source. */
  lineNo: number;
}

export interface ReadStats {
  lines: number;
  yielded: number;
  skipped: Record<SkipReason, number>;
  /** First skipped line per reason, for messages like "first at line 17". */
  firstSkipped: Partial<Record<SkipReason, number>>;
}

export function emptyStats(): ReadStats {
  return { lines: 0, yielded: 0, skipped: { 'invalid-utf8': 0, 'nul-byte': 0, 'too-long': 0, empty: 0 }, firstSkipped: {} };
}

export function describeSkips(stats: ReadStats): string {
  const parts = (Object.keys(stats.skipped) as SkipReason[])
    .filter((r) => stats.skipped[r] > 0)
    .map((r) => `${stats.skipped[r]} ${r} (first at line ${stats.firstSkipped[r]})`);
  return parts.length ? parts.join(', ') : 'none';
}

const DEFAULT_MAX_LINE = 1 << 20;

function openSource(source: string | Readable): Readable {
  if (typeof source !== 'string') return source;
  const raw = createReadStream(source, { highWaterMark: 1 << 20 });
  return source.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
}

/**
 * Streams the lines of a UTF-8 text file (or a `.gz` of one, or a stream) with bounded memory: the
 * only buffering is the current partial line. Lines are split on `\n` only (a `\r` stays part of the
 * line, as in the Moses scripts and fastBPE). A final line without `\n` is still a line.
 */
export async function* readLines(source: string | Readable, options: ReadOptions = {}, stats: ReadStats = emptyStats()): AsyncGenerator<Line> {
  const name = typeof source === 'string' ? source : (options.name ?? '<stdin>');
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE;
  const skipBad = options.onBadLine === 'skip';
  if (typeof source === 'string') {
    let st;
    try {
      st = await stat(source);
    } catch {
      throw new UserError(`${name}: no such file`);
    }
    if (st.isDirectory()) throw new UserError(`${name}: is a directory, expected a text file`);
    if (st.size === 0 && !options.allowEmptyFile) throw new UserError(`${name}: file is empty`);
  }

  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overlong = false;
  let lineNo = 0;
  let sawAnyByte = false;
  let checkedBinary = false;

  const problem = (reason: SkipReason, message: string): void => {
    if (!skipBad) throw atLine(name, lineNo, message);
    stats.skipped[reason]++;
    stats.firstSkipped[reason] ??= lineNo;
  };

  function finish(buf: Buffer): Line | undefined {
    lineNo++;
    stats.lines++;
    if (overlong) {
      overlong = false;
      problem('too-long', `line is longer than ${maxLine} bytes`);
      return undefined;
    }
    if (buf.length > maxLine) {
      problem('too-long', `line is longer than ${maxLine} bytes (${buf.length})`);
      return undefined;
    }
    if (buf.indexOf(0) >= 0) {
      problem('nul-byte', 'line contains a NUL byte (binary data?)');
      return undefined;
    }
    if (!isUtf8(buf)) {
      problem('invalid-utf8', `invalid UTF-8 at byte ${firstInvalidUtf8(buf)} of the line`);
      return undefined;
    }
    if (buf.length === 0 && options.skipEmpty) {
      stats.skipped.empty++;
      stats.firstSkipped.empty ??= lineNo;
      return undefined;
    }
    stats.yielded++;
    return { text: buf.toString('utf8'), lineNo };
  }

  for await (const chunkAny of openSource(source)) {
    const chunk: Buffer = typeof chunkAny === 'string' ? Buffer.from(chunkAny) : chunkAny;
    if (chunk.length === 0) continue;
    sawAnyByte = true;
    if (!checkedBinary) {
      checkedBinary = true;
      const head = chunk.subarray(0, 8192);
      if (head.indexOf(0) >= 0 && !looksLikeText(head)) {
        throw new UserError(`${name}: looks like a binary file (NUL bytes near the start), expected UTF-8 text`);
      }
    }
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      let buf: Buffer;
      if (pendingBytes > 0 || overlong) {
        if (!overlong) pending.push(chunk.subarray(start, nl));
        buf = overlong ? Buffer.alloc(0) : Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
      } else {
        buf = chunk.subarray(start, nl);
      }
      const line = finish(buf);
      if (line) yield line;
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (!overlong) {
        pendingBytes += rest.length;
        if (pendingBytes > maxLine) {
          // Keep memory bounded: drop the partial line, remember that it was too long.
          overlong = true;
          pending = [];
          pendingBytes = 0;
        } else {
          pending.push(Buffer.from(rest));
        }
      }
    }
  }
  if (pendingBytes > 0 || overlong) {
    const line = finish(overlong ? Buffer.alloc(0) : Buffer.concat(pending));
    if (line) yield line;
  }
  if (!sawAnyByte && !options.allowEmptyFile) throw new UserError(`${name}: input is empty`);
}

/** A stray NUL or two in text (one corrupt line) is not "binary"; many of them are. */
function looksLikeText(head: Buffer): boolean {
  let nul = 0;
  for (const b of head) if (b === 0) nul++;
  return nul <= 8 && nul / head.length < 0.01;
}

/** Byte offset (1-based) of the first invalid UTF-8 sequence in buf (0 if it is valid). */
export function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > buf.length || !isUtf8(buf.subarray(i, i + len))) return i + 1;
    i += len;
  }
  return 0;
}
