/**
 * The session's config files: open documents (their unsaved text wins) and config files on disk in
 * the workspace. Publishes their diagnostics — recomputed on every edit, stale results dropped —
 * merged with the training alerts of jobs run from them; answers hover and completion.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type CompletionItem, type Connection, type Diagnostic, type Hover, type Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyseConfig, type LoadedConfig } from '../../config/loadConfig.js';
import { configDiagnostics, CONFIG_SOURCE } from './configDiagnostics.js';
import { configCompletion, type CompletionSources } from './configCompletion.js';
import { configHover } from './configHover.js';
import { isConfigPath, nodeAt, nodeRange, parseConfigTree } from './configFiles.js';
import type { ConfigSource } from '../corpora/corpusFiles.js';
import type { TrainingAlert } from '../jobs/trainingAlerts.js';
import { uriToPath, type WorkspaceRoots } from '../connection/workspaceRoots.js';

const MAX_CONFIG_BYTES = 1 << 20;

interface ConfigEntry {
  path: string;
  /** The client's URI when the document is open (diagnostics must use the client's spelling). */
  openUri?: string;
  doc: TextDocument;
  generation: number;
  diagnostics: Diagnostic[];
  training: Diagnostic[];
}

export interface ConfigServiceDeps {
  connection: Connection;
  roots: WorkspaceRoots;
  log(message: string): void;
  /** Configs were added, removed or edited: the corpus set may have changed. */
  onConfigsChanged(): void;
  completionSources: CompletionSources;
  /** The daemon's memory budget (MB) for the memory estimate, when one is set. */
  memoryLimitMB(): number | undefined;
}

export class ConfigService {
  private readonly entries = new Map<string, ConfigEntry>();

  constructor(private readonly deps: ConfigServiceDeps) {}

  /** Config paths known to the session. */
  paths(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** The configs, analysed (no filesystem access), for corpus discovery and job requests. */
  loaded(): ConfigSource[] {
    return [...this.entries.values()].map((e) => ({ file: e.path, cfg: analyseConfig(e.doc.getText(), dirname(e.path), {}, e.path) }));
  }

  /** Current text of a config (open document or disk), or undefined when unknown. */
  text(path: string): string | undefined {
    return this.entries.get(path)?.doc.getText();
  }

  async load(path: string): Promise<LoadedConfig | undefined> {
    const known = this.entries.get(path);
    if (known) return analyseConfig(known.doc.getText(), dirname(path), {}, path);
    const text = await this.readDisk(path);
    return text === undefined ? undefined : analyseConfig(text, dirname(path), {}, path);
  }

  opened(doc: TextDocument): void {
    const path = uriToPath(doc.uri);
    if (!path || !isConfigPath(path)) return;
    if (!this.deps.roots.hasFolders()) this.deps.roots.addFallbackFor(path);
    const e = this.entries.get(path);
    if (e) {
      e.doc = doc;
      e.openUri = doc.uri;
    } else {
      this.entries.set(path, { path, openUri: doc.uri, doc, generation: 0, diagnostics: [], training: [] });
    }
    void this.analyse(path);
    this.deps.onConfigsChanged();
  }

  changed(doc: TextDocument): void {
    const path = uriToPath(doc.uri);
    const e = path ? this.entries.get(path) : undefined;
    if (!e || !path) return;
    e.doc = doc;
    void this.analyse(path);
    this.deps.onConfigsChanged();
  }

  async closed(uri: string): Promise<void> {
    const path = uriToPath(uri);
    const e = path ? this.entries.get(path) : undefined;
    if (!e || !path) return;
    const openDoc = e.doc;
    const onDisk = this.deps.roots.hasFolders() ? await this.readDisk(path) : undefined;
    // opened again (or edited) while the disk was read: the editor's document stays
    if (this.entries.get(path) !== e || e.doc !== openDoc) return;
    if (onDisk === undefined) {
      this.entries.delete(path);
      this.deps.connection.sendDiagnostics({ uri: e.openUri ?? pathToFileURL(path).href, diagnostics: [] });
      if (!this.deps.roots.hasFolders()) this.deps.roots.removeFallbackFor(path);
    } else {
      const uri0 = e.openUri;
      e.openUri = undefined;
      e.doc = TextDocument.create(pathToFileURL(path).href, 'json', 0, onDisk);
      // the client may drop diagnostics of closed files under its URI; publish under ours again
      if (uri0 && uri0 !== e.doc.uri) this.deps.connection.sendDiagnostics({ uri: uri0, diagnostics: [] });
      void this.analyse(path);
    }
    this.deps.onConfigsChanged();
  }

  /** The config files found on disk by a workspace walk (open documents keep their text). */
  async setDiskConfigs(paths: string[]): Promise<void> {
    const wanted = new Set(paths);
    for (const [path, e] of this.entries) {
      if (!e.openUri && !wanted.has(path)) {
        this.entries.delete(path);
        this.deps.connection.sendDiagnostics({ uri: e.doc.uri, diagnostics: [] });
      }
    }
    for (const path of paths) {
      if (this.entries.get(path)?.openUri) continue;
      await this.diskChanged(path);
    }
  }

  /** A config file changed, appeared or disappeared on disk. */
  async diskChanged(path: string): Promise<void> {
    if (this.entries.get(path)?.openUri) return;
    const text = await this.readDisk(path);
    // Looked up again after the read: the editor may have opened the file meanwhile (a workspace walk
    // racing the first didOpen), and then its text wins over the disk's.
    const e = this.entries.get(path);
    if (e?.openUri) return;
    if (text === undefined) {
      if (e) {
        this.entries.delete(path);
        this.deps.connection.sendDiagnostics({ uri: e.doc.uri, diagnostics: [] });
      }
      return;
    }
    if (e && e.doc.getText() === text) return;
    const doc = TextDocument.create(pathToFileURL(path).href, 'json', (e?.doc.version ?? 0) + 1, text);
    if (e) e.doc = doc;
    else this.entries.set(path, { path, doc, generation: 0, diagnostics: [], training: [] });
    await this.analyse(path);
  }

  private async readDisk(path: string): Promise<string | undefined> {
    if (!this.deps.roots.contains(path)) return undefined;
    try {
      const st = await stat(path);
      if (!st.isFile() || st.size > MAX_CONFIG_BYTES) return undefined;
      return await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  /** Recomputes every known config's diagnostics (a daemon setting they depend on changed). */
  reanalyseAll(): void {
    for (const path of this.entries.keys()) void this.analyse(path);
  }

  /** Recomputes and publishes one config's diagnostics; an edit during the computation wins. */
  async analyse(path: string): Promise<Diagnostic[] | undefined> {
    const e = this.entries.get(path);
    if (!e) return undefined;
    const generation = ++e.generation;
    const doc = e.doc;
    let diags: Diagnostic[];
    try {
      diags = await configDiagnostics(doc, path, { roots: this.deps.roots, memoryLimitMB: this.deps.memoryLimitMB() });
    } catch (err) {
      this.deps.log(`config check of ${path} failed: ${(err as Error).stack ?? err}`);
      diags = [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
          severity: DiagnosticSeverity.Error,
          source: CONFIG_SOURCE,
          message: `internal error while checking this config: ${(err as Error).message}`,
        },
      ];
    }
    if (e.generation !== generation || this.entries.get(path) !== e) return undefined;
    e.diagnostics = diags;
    this.publish(e);
    return diags;
  }

  private publish(e: ConfigEntry): void {
    this.deps.connection.sendDiagnostics({
      uri: e.openUri ?? e.doc.uri,
      version: e.openUri ? e.doc.version : undefined,
      diagnostics: [...e.diagnostics, ...e.training],
    });
  }

  /** A training job's problem, shown on its config at the field it names (until the next job from it starts). */
  async addTrainingAlert(path: string, alert: TrainingAlert): Promise<void> {
    if (!this.entries.has(path)) await this.diskChanged(path);
    const e = this.entries.get(path);
    if (!e) return;
    const root = parseConfigTree(e.doc.getText());
    const node = alert.field ? nodeAt(root, alert.field.split('.')) : undefined;
    e.training.push({
      range: nodeRange(e.doc, node),
      severity: alert.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      source: 'mass-training',
      code: alert.field ?? 'training',
      message: alert.field && !alert.message.startsWith(`${alert.field}:`) ? `${alert.field}: ${alert.message}` : alert.message,
    });
    this.publish(e);
  }

  clearTrainingAlerts(path: string): void {
    const e = this.entries.get(path);
    if (!e || e.training.length === 0) return;
    e.training = [];
    this.publish(e);
  }

  private openDoc(uri: string): { doc: TextDocument; path: string } | undefined {
    const path = uriToPath(uri);
    const e = path ? this.entries.get(path) : undefined;
    return e && path ? { doc: e.doc, path } : undefined;
  }

  hover(uri: string, position: Position): Hover | null {
    const d = this.openDoc(uri);
    return d ? configHover(d.doc, position) : null;
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const d = this.openDoc(uri);
    return d ? configCompletion(d.doc, d.path, position, this.deps.completionSources) : [];
  }
}
