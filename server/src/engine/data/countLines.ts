import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { UserError } from '../errors.js';

/** Lines in a file as the corpus reader counts them (a final line without '\n' counts). */
export async function countLines(path: string): Promise<number> {
  try {
    await stat(path);
  } catch {
    throw new UserError(`${path}: no such file`);
  }
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  let n = 0;
  let last = 10;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let at = chunk.indexOf(10);
    while (at >= 0) {
      n++;
      at = chunk.indexOf(10, at + 1);
    }
    if (chunk.length) last = chunk[chunk.length - 1]!;
  }
  return last === 10 ? n : n + 1;
}
