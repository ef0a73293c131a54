/**
 * The session's view of the workspace files: walks the roots for configs and corpora (again when
 * files appear or vanish, or a config's corpora change), feeds the corpus diagnostics, and turns
 * file events — from the client's watchers, or our own fs.watch fallback — into re-scans.
 */
import { basename, dirname, resolve } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { CorpusDiagnostics } from './corpusDiagnostics.js';
import { discoverCorpora, looksLikeCorpus, walkWorkspace } from './corpusFiles.js';
import { isConfigPath } from '../configs/configFiles.js';
import type { ConfigService } from '../configs/configService.js';
import { FolderWatcher, type FileChange } from '../connection/folderWatcher.js';
import type { WorkspaceRoots } from '../connection/workspaceRoots.js';

export interface CorpusServiceDeps {
  roots: WorkspaceRoots;
  configs: ConfigService;
  publish(uri: string, diagnostics: Diagnostic[]): void;
  log(message: string): void;
}

export class CorpusService {
  readonly diagnostics: CorpusDiagnostics;
  private refreshTimer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private again = false;
  private fallback: FolderWatcher | undefined;
  private disposed = false;

  constructor(private readonly deps: CorpusServiceDeps) {
    this.diagnostics = new CorpusDiagnostics({ publish: deps.publish, log: deps.log });
  }

  /** Use fs.watch because the client cannot watch files for us. */
  enableFallbackWatching(): void {
    this.fallback ??= new FolderWatcher((path, change) => this.fileChanged(path, change), this.deps.log);
  }

  /** Re-walk the workspace soon (coalesces bursts of edits and file events). */
  scheduleRefresh(delayMs = 200): void {
    if (this.disposed) return;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, delayMs);
  }

  /** Walks the workspace now; resolves when the corpus set is updated (scans continue after). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.again = false;
          await this.refreshOnce();
        } while (this.again && !this.disposed);
      } catch (e) {
        this.deps.log(`workspace scan failed: ${(e as Error).stack ?? e}`);
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    const roots = this.deps.roots.roots();
    // generated folders (preprocessed data, experiments) hold tokenized copies, not corpora
    const skip = new Set<string>();
    for (const { cfg } of this.deps.configs.loaded()) {
      skip.add(resolve(cfg.baseDir, cfg.settings.data_path));
      skip.add(resolve(cfg.baseDir, cfg.settings.dump_path));
    }
    const walked = await walkWorkspace(roots, skip);
    if (this.disposed) return;
    if (this.deps.roots.hasFolders()) await this.deps.configs.setDiskConfigs(walked.configs);
    const files = await discoverCorpora(walked.corpora, this.deps.configs.loaded(), (p) => this.deps.roots.contains(p));
    if (this.disposed) return;
    this.diagnostics.update(files);
    if (this.fallback) {
      const folders = new Set<string>(roots);
      for (const f of files) folders.add(dirname(f.path));
      for (const c of this.deps.configs.paths()) folders.add(dirname(c));
      this.fallback.set(
        [...folders].filter((d) => this.deps.roots.contains(d)),
        [...files.map((f) => f.path), ...this.deps.configs.paths()],
      );
    }
  }

  /** A file event (client watcher or fallback). */
  fileChanged(path: string, change: FileChange): void {
    if (!this.deps.roots.contains(path)) return;
    if (isConfigPath(path)) {
      void this.deps.configs.diskChanged(path).then(() => this.scheduleRefresh());
      return;
    }
    if (change === 'changed') {
      if (this.diagnostics.has(path)) this.diagnostics.changed(path);
      return;
    }
    // a corpus appeared or went away (or a file a config's glob may now match)
    if (this.diagnostics.has(path) || looksLikeCorpus(basename(path)) || change === 'created') this.scheduleRefresh();
  }

  dispose(): void {
    this.disposed = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.fallback?.dispose();
    this.diagnostics.dispose();
  }
}
