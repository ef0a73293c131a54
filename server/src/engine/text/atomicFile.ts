import { createWriteStream, type WriteStream } from 'node:fs';
import { open, readdir, rename, rm, mkdir, stat } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { UserError } from '../errors.js';

/** Temporary siblings: `.<name>.tmp-<pid>-<random>`. */
const TEMP_NAME = /^\.(.+)\.tmp-(\d+)-[0-9a-f]+$/;

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

const PLAIN: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error',
  EFBIG: 'file too large',
};

/** A write error as a message that names the file (Node's says `ENOSPC: no space left on device, write`). */
export function writeError(path: string, e: unknown): Error {
  if (e instanceof UserError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code) return new UserError(`${path}: cannot write (${code}: ${PLAIN[code] ?? (e as Error).message})`);
  return e instanceof Error ? e : new Error(String(e));
}

/** Flushes a folder's entries (a rename in it) to disk; not every platform can open a folder. */
async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows cannot fsync a folder
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/**
 * Writes a whole file atomically and durably: to a temporary sibling, fsynced, renamed over the
 * target, and the folder fsynced, so that after a crash (or power loss) the file is either the old one
 * or the new one, complete. Errors name the file.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    await mkdir(dirname(path), { recursive: true });
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    await fsyncDir(dirname(path));
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw writeError(path, e);
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files an atomic write left in `dir` when its process was killed mid-write
 * (those of processes that are no longer running). Returns the paths removed.
 */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || processAlive(Number(m[2]))) continue;
    const p = join(dir, name);
    if (
      !(await stat(p).then(
        (s) => s.isFile(),
        () => false,
      ))
    )
      continue;
    await rm(p, { force: true }).catch(() => undefined);
    removed.push(p);
  }
  return removed;
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
    this.stream.on('error', (e) => (this.failed = writeError(this.path, e)));
  }

  /** Resolves when the stream can take more (respects backpressure). */
  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failed) throw this.failed;
    // events.once removes its error listener again, so long writes do not pile up listeners.
    if (!this.stream.write(chunk)) {
      try {
        await once(this.stream, 'drain');
      } catch (e) {
        throw writeError(this.path, e);
      }
    }
  }

  async commit(): Promise<void> {
    try {
      await new Promise<void>((resolve, reject) => {
        this.stream.once('error', reject);
        this.stream.end(() => resolve());
      });
    } catch (e) {
      this.failed ??= writeError(this.path, e);
    }
    if (this.failed) {
      await this.abort();
      throw this.failed;
    }
    try {
      await rename(this.tempPath, this.path);
    } catch (e) {
      await this.abort();
      throw writeError(this.path, e);
    }
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await rm(this.tempPath, { force: true });
  }
}
