/**
 * Where the daemon may read and write: the client's workspace folders. Every path a client or a
 * config names is checked here before it is opened. Containment is decided on real paths (symlinks
 * resolved on the longest existing prefix), so a link inside the workspace that points outside it
 * does not open a way out. Without workspace folders (a client that opened a single file), the
 * folders of the open config files act as roots.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A real path, resolving symlinks as far as the path exists. */
export function realPathOf(path: string): string {
  let p = resolve(path);
  const rest: string[] = [];
  for (;;) {
    try {
      const real = realpathSync.native(p);
      return rest.length ? resolve(real, ...rest.reverse()) : real;
    } catch {
      const parent = dirname(p);
      if (parent === p) return resolve(path);
      rest.push(p.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
      p = parent;
    }
  }
}

/** Files the checkpoint folder gives access to. */
const CHECKPOINT_FILE = /\.safetensors(\.json)?$/;

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** file:// URI → path; undefined for other schemes (untitled:, vscode-notebook:, ...). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export class WorkspaceRoots {
  private folders: string[] = [];
  private fallback = new Set<string>();
  /** Allowed for reading and writing, but not walked for corpora (the client's checkpoint folder). */
  private extra: string[] = [];

  /** Workspace folders as given by the client (paths). */
  setFolders(paths: string[]): void {
    this.folders = [...new Set(paths.map(realPathOf))];
  }

  addFolder(path: string): void {
    this.setFolders([...this.folders, path]);
  }

  removeFolder(path: string): void {
    const real = realPathOf(path);
    this.folders = this.folders.filter((f) => f !== real);
  }

  /** Single-file mode: the folder of an open config counts as a root while there are no folders. */
  addFallbackFor(file: string): void {
    this.fallback.add(realPathOf(dirname(file)));
  }

  removeFallbackFor(file: string): void {
    this.fallback.delete(realPathOf(dirname(file)));
  }

  setExtra(paths: string[]): void {
    this.extra = [...new Set(paths.map(realPathOf))];
  }

  /** Folders walked for configs and corpora. */
  roots(): string[] {
    return this.folders.length > 0 ? [...this.folders] : [...this.fallback];
  }

  hasFolders(): boolean {
    return this.folders.length > 0;
  }

  /**
   * Whether the daemon may use `path`. Inside a workspace folder: any file. Inside the extra
   * (checkpoint) folder: only that folder, its subfolders' checkpoint files (`*.safetensors` and their
   * `.json` sidecars), so that a checkpoint folder set to `/` opens nothing else.
   */
  contains(path: string): boolean {
    const real = realPathOf(path);
    if (this.roots().some((r) => isInside(r, real))) return true;
    return this.extra.some((r) => real === r || (isInside(r, real) && CHECKPOINT_FILE.test(real)));
  }

  /** The extra (checkpoint) folders. */
  extras(): string[] {
    return [...this.extra];
  }

  /** `contains` over the roots as they are now (a job keeps the workspace it was started in). */
  snapshot(): { contains: (path: string) => boolean; describe: () => string } {
    const copy = new WorkspaceRoots();
    copy.folders = [...this.folders];
    copy.fallback = new Set(this.fallback);
    copy.extra = [...this.extra];
    return { contains: (path) => copy.contains(path), describe: () => copy.describe() };
  }

  describe(): string {
    const r = [...this.roots(), ...this.extra];
    return r.length ? r.join(', ') : '(no workspace folder)';
  }
}
