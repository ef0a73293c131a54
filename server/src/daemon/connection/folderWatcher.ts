/**
 * The fallback file watcher, for clients that cannot register workspace/didChangeWatchedFiles
 * (Neovim 0.7, plain JSON-RPC clients): non-recursive fs.watch on the folders that hold corpora and
 * configs, and the workspace roots. Reports 'changed' / 'created' / 'deleted' paths, coalesced over
 * a short delay (editors write files in several steps).
 */
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';

export type FileChange = 'created' | 'changed' | 'deleted';

export class FolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly known = new Set<string>();

  constructor(
    private readonly onChange: (path: string, change: FileChange) => void,
    private readonly log: (message: string) => void,
    private readonly delayMs = 150,
  ) {}

  /** Watch exactly these folders (and know these files, to tell a new file from a changed one). */
  set(folders: string[], knownFiles: string[]): void {
    this.known.clear();
    for (const f of knownFiles) this.known.add(f);
    const wanted = new Set(folders);
    for (const [dir, w] of this.watchers) {
      if (!wanted.has(dir)) {
        w.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (this.watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, (_event, name) => {
          if (name) this.schedule(join(dir, name.toString()));
        });
        w.on('error', (e) => {
          this.log(`file watching of ${dir} stopped: ${e.message}`);
          w.close();
          this.watchers.delete(dir);
        });
        this.watchers.set(dir, w);
      } catch (e) {
        // ENOENT (folder gone), ENOSPC (inotify limit): diagnostics then only refresh on edits and restarts
        this.log(`cannot watch ${dir}: ${(e as Error).message}`);
      }
    }
  }

  private schedule(path: string): void {
    const t = this.pending.get(path);
    if (t) clearTimeout(t);
    this.pending.set(
      path,
      setTimeout(() => {
        this.pending.delete(path);
        void stat(path).then(
          (st) => {
            if (!st.isFile()) return;
            const change: FileChange = this.known.has(path) ? 'changed' : 'created';
            this.known.add(path);
            this.onChange(path, change);
          },
          () => {
            if (this.known.delete(path)) this.onChange(path, 'deleted');
          },
        );
      }, this.delayMs),
    );
  }

  dispose(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }
}
