import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm, writeFile, mkdir } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Writes a whole file atomically: to a temporary sibling first, then rename over the target. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * A streaming writer whose output appears at `path` only when {@link commit} succeeds; {@link abort}
 * (or any failure) leaves nothing behind, so a failed run never leaves partial output.
 */
export class AtomicFileWriter {
  readonly tempPath: string;
  private readonly stream: WriteStream;
  private failed: Error | undefined;

  constructor(readonly path: string) {
    this.tempPath = tempPathFor(path);
    this.stream = createWriteStream(this.tempPath, { highWaterMark: 1 << 20 });
    this.stream.on('error', (e) => (this.failed = e));
  }

  /** Resolves when the stream can take more (respects backpressure). */
  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failed) throw this.failed;
    // events.once removes its error listener again, so long writes do not pile up listeners.
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async commit(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
    if (this.failed) {
      await this.abort();
      throw this.failed;
    }
    await rename(this.tempPath, this.path);
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await rm(this.tempPath, { force: true });
  }
}
