import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { writeFileAtomic } from '../text/atomicFile.js';

/** sha256 of a file's bytes, streamed. */
export async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

export function hashText(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

interface StageRecord {
  key: string;
  outputHash: string;
  size: number;
  info?: Record<string, unknown>;
}

/**
 * A derived file that is rebuilt only when what it was built from changes. `key` describes the
 * inputs (their hashes and the settings); it is stored beside the output in `<output>.key` with the
 * output's own hash, which later stages use as their input key (so nothing is hashed twice).
 */
export async function cachedStage(
  output: string,
  key: Record<string, unknown>,
  build: () => Promise<Record<string, unknown> | void>,
): Promise<{ rebuilt: boolean; outputHash: string; info: Record<string, unknown> }> {
  const keyText = JSON.stringify(key);
  const recordPath = `${output}.key`;
  try {
    const rec = JSON.parse(await readFile(recordPath, 'utf8')) as StageRecord;
    const st = await stat(output);
    if (rec.key === keyText && st.size === rec.size) return { rebuilt: false, outputHash: rec.outputHash, info: rec.info ?? {} };
  } catch {
    // no record or no output: build
  }
  const info = (await build()) ?? {};
  const outputHash = await hashFile(output);
  const size = (await stat(output)).size;
  await writeFileAtomic(recordPath, JSON.stringify({ key: keyText, outputHash, size, info } satisfies StageRecord));
  return { rebuilt: true, outputHash, info };
}
