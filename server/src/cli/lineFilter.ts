import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { readLines } from '../engine/text/corpusReader.js';

/** Output is written in chunks of about this many UTF-16 units. */
const CHUNK = 1 << 16;

/**
 * Streams `input` (a file path, or a stream such as stdin) line by line through `transform` to
 * `output`, one output line per input line, each ending in `\n`. Waits for 'drain' when the output
 * is full, so memory stays bounded however fast the input comes. Invalid UTF-8 (or a NUL byte, or a
 * line over 1 MiB) is a UserError naming the source and line, raised after the lines before it are
 * written; an empty input gives an empty output.
 */
export async function filterLines(input: string | Readable, output: Writable, transform: (line: string) => string, name = '<stdin>'): Promise<number> {
  let buf = '';
  let lines = 0;
  try {
    for await (const { text } of readLines(input, { name, allowEmptyFile: true })) {
      buf += transform(text) + '\n';
      lines++;
      if (buf.length >= CHUNK) {
        const ok = output.write(buf);
        buf = '';
        if (!ok) await once(output, 'drain');
      }
    }
  } finally {
    // on a bad line too: what was done before it is written, so the output shows where it stopped
    if (buf) output.write(buf);
  }
  if (!output.writableNeedDrain) return lines;
  await once(output, 'drain');
  return lines;
}
