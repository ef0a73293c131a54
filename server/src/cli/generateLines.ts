import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { emptyStats, readLines, type Line } from '../engine/text/corpusReader.js';

export interface GenerateLinesOptions {
  /** Lines per model call at most (default 256). */
  chunkLines?: number;
  /** A chunk is also sent when no new line came for this long (interactive use; default 200 ms). */
  idleMs?: number;
  /** One line per chunk on stderr (default: off). */
  progress?: (linesDone: number, elapsedMs: number) => void;
  /** A line the transform could not use as it is (1-based line number in the input). */
  warn: (lineNo: number | undefined, message: string) => void;
}

const IDLE = Symbol('idle');

/**
 * Groups the lines of an async iterator into chunks of at most `max`, also closing a chunk when the
 * source pauses for `idleMs` (so a line typed at a terminal is answered without waiting for more).
 */
async function* chunks<T>(it: AsyncIterator<T>, max: number, idleMs: number): AsyncGenerator<T[]> {
  let pending = it.next();
  let buf: T[] = [];
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<typeof IDLE>((resolve) => (timer = setTimeout(() => resolve(IDLE), idleMs)));
    const r = buf.length === 0 ? await pending : await Promise.race([pending, idle]);
    clearTimeout(timer);
    if (r === IDLE) {
      yield buf;
      buf = [];
      continue;
    }
    if (r.done) break;
    buf.push(r.value);
    pending = it.next();
    if (buf.length >= max) {
      yield buf;
      buf = [];
    }
  }
  if (buf.length) yield buf;
}

/**
 * Streams `input` through `transform` (a batch of lines in, as many lines out) to `output`, one output
 * line per input line, writing each chunk as soon as it is done. A line that cannot be read (invalid
 * UTF-8, a NUL byte, over 1 MiB) is not a failure: it gets an empty output line and a warning.
 * Returns the number of lines written.
 */
export async function generateLines(
  input: string | Readable,
  output: Writable,
  name: string,
  transform: (lines: string[], lineNos: number[]) => Promise<string[]>,
  opts: GenerateLinesOptions,
): Promise<number> {
  const stats = emptyStats();
  const started = Date.now();
  let written = 0;
  const write = async (text: string) => {
    if (!output.write(text)) await once(output, 'drain');
  };
  const fillGap = async (upTo: number) => {
    // Lines readLines skipped (unreadable) between the last written one and `upTo`.
    let gap = '';
    while (written < upTo) {
      written++;
      opts.warn(written, 'unreadable line (invalid UTF-8, a NUL byte or over 1 MiB): empty output line');
      gap += '\n';
    }
    if (gap) await write(gap);
  };
  const lines = readLines(input, { name, allowEmptyFile: true, onBadLine: 'skip' }, stats);
  for await (const chunk of chunks<Line>(lines[Symbol.asyncIterator](), opts.chunkLines ?? 256, opts.idleMs ?? 200)) {
    const out = await transform(
      chunk.map((l) => l.text),
      chunk.map((l) => l.lineNo),
    );
    let text = '';
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i].lineNo - 1 > written) {
        await write(text);
        text = '';
        await fillGap(chunk[i].lineNo - 1);
      }
      text += out[i].replace(/\n/g, ' ') + '\n';
      written = chunk[i].lineNo;
    }
    await write(text);
    opts.progress?.(written, Date.now() - started);
  }
  await fillGap(stats.lines);
  return written;
}
