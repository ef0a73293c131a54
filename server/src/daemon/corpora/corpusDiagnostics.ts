/**
 * Keeps the diagnostics of the workspace corpora current: scans each corpus file (one at a time, so
 * two cores shared with training are not swamped), re-scans a file when it changes — cancelling a
 * scan still running on it, after a short quiet period —, and compares the line counts of parallel
 * files, reporting a mismatch on both files and naming the other one.
 */
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { CorpusFile } from './corpusFiles.js';
import { scanCorpus, ScanAborted, type CorpusReport, type IssueSeverity } from './corpusScan.js';
import { plural } from '../../engine/util/plural.js';

export const CORPUS_SOURCE = 'mass-corpus';

const SEVERITY: Record<IssueSeverity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export interface CorpusDiagnosticsDeps {
  publish(uri: string, diagnostics: Diagnostic[]): void;
  log(message: string): void;
  /** Quiet period after a change before the file is scanned again (default 300 ms). */
  debounceMs?: number;
}

interface FileState {
  file: CorpusFile;
  report?: CorpusReport;
  error?: string;
  controller?: AbortController;
  timer?: NodeJS.Timeout;
  /** Bumped on every change, so a finished scan of an older version is dropped. */
  generation: number;
}

const fmt = (n: number) => n.toLocaleString('en-US');

function sameFile(a: CorpusFile, b: CorpusFile): boolean {
  const partners = (f: CorpusFile) =>
    f.partners
      .map((p) => p.path)
      .sort()
      .join('\n');
  return a.lang === b.lang && a.langSource === b.langSource && partners(a) === partners(b);
}

export function corpusUri(path: string): string {
  return pathToFileURL(path).href;
}

export class CorpusDiagnostics {
  private readonly states = new Map<string, FileState>();
  private readonly queue: string[] = [];
  private running: string | undefined;
  private disposed = false;

  constructor(private readonly deps: CorpusDiagnosticsDeps) {}

  /** The corpus set changed (discovery ran again): scan new or re-declared files, clear removed ones. */
  update(files: CorpusFile[]): void {
    const next = new Map(files.map((f) => [f.path, f]));
    for (const [path, st] of this.states) {
      if (!next.has(path)) {
        this.cancel(st);
        this.states.delete(path);
        this.deps.publish(corpusUri(path), []);
      }
    }
    for (const f of files) {
      const st = this.states.get(f.path);
      if (!st) {
        this.states.set(f.path, { file: f, generation: 0 });
        this.enqueue(f.path);
      } else if (!sameFile(st.file, f)) {
        st.file = f;
        // partners or language changed: the language check and the line-count comparison change
        this.changed(f.path);
      }
    }
  }

  /** The file's content changed on disk. */
  changed(path: string): void {
    const st = this.states.get(path);
    if (!st) return;
    this.cancel(st);
    st.generation++;
    st.timer = setTimeout(() => {
      st.timer = undefined;
      this.enqueue(path);
    }, this.deps.debounceMs ?? 300);
  }

  has(path: string): boolean {
    return this.states.has(path);
  }

  files(): CorpusFile[] {
    return [...this.states.values()].map((s) => s.file);
  }

  report(path: string): CorpusReport | undefined {
    return this.states.get(path)?.report;
  }

  /** Languages of the corpora: declared (config, file name) and detected. */
  languages(): string[] {
    const out = new Set<string>();
    for (const s of this.states.values()) {
      if (s.file.lang) out.add(s.file.lang);
      if (s.report?.majority) out.add(s.report.majority);
    }
    return [...out].sort();
  }

  filesOfLanguage(lang: string): string[] {
    return [...this.states.values()].filter((s) => (s.file.lang ?? s.report?.majority) === lang).map((s) => s.file.path);
  }

  dispose(): void {
    this.disposed = true;
    for (const st of this.states.values()) this.cancel(st);
    this.queue.length = 0;
  }

  private cancel(st: FileState): void {
    st.controller?.abort();
    st.controller = undefined;
    if (st.timer) clearTimeout(st.timer);
    st.timer = undefined;
    const i = this.queue.indexOf(st.file.path);
    if (i >= 0) this.queue.splice(i, 1);
  }

  private enqueue(path: string): void {
    if (!this.queue.includes(path)) this.queue.push(path);
    void this.runNext();
  }

  private async runNext(): Promise<void> {
    if (this.running || this.disposed) return;
    const path = this.queue.shift();
    if (!path) return;
    const st = this.states.get(path);
    if (!st) return this.runNext();
    this.running = path;
    const controller = new AbortController();
    st.controller = controller;
    const generation = st.generation;
    try {
      const report = await scanCorpus(path, {
        expectedLang: st.file.lang,
        expectedFrom: st.file.langSource,
        parallel: st.file.partners.length > 0,
        signal: controller.signal,
      });
      if (st.generation === generation && this.states.get(path) === st) {
        st.report = report;
        st.error = undefined;
        this.publishWithPartners(path);
      }
    } catch (e) {
      if (!(e instanceof ScanAborted) && this.states.get(path) === st && st.generation === generation) {
        const code = (e as NodeJS.ErrnoException).code;
        st.report = undefined;
        st.error = code === 'ENOENT' ? undefined : `cannot read this corpus: ${(e as Error).message}`;
        this.deps.log(`corpus scan of ${path} failed: ${(e as Error).message}`);
        this.publishWithPartners(path);
      }
    } finally {
      if (st.controller === controller) st.controller = undefined;
      this.running = undefined;
      setImmediate(() => void this.runNext());
    }
  }

  private publishWithPartners(path: string): void {
    this.publish(path);
    for (const p of this.states.get(path)?.file.partners ?? []) if (this.states.has(p.path)) this.publish(p.path);
  }

  /** Diagnostics of one file: its own scan plus the comparison with each partner. */
  private publish(path: string): void {
    const st = this.states.get(path);
    if (!st) return;
    const diags: Diagnostic[] = [];
    const at = (line: number, length: number) => ({
      start: { line: Math.max(0, line - 1), character: 0 },
      end: { line: Math.max(0, line - 1), character: length },
    });
    if (st.error) diags.push({ range: at(1, 0), severity: DiagnosticSeverity.Error, source: CORPUS_SOURCE, message: st.error });
    const r = st.report;
    if (r) {
      if (r.nonEmpty === 0) {
        diags.push({
          range: at(1, 0),
          severity: DiagnosticSeverity.Error,
          source: CORPUS_SOURCE,
          code: 'empty',
          message: `${basename(path)} holds no text (${r.lines === 0 ? 'an empty file' : `${fmt(r.lines)} empty lines`}): a job reading it fails; add sentences, or remove it from the config's corpora`,
        });
      }
      for (const i of r.issues)
        diags.push({ range: at(i.line, i.length), severity: SEVERITY[i.severity], source: CORPUS_SOURCE, code: i.kind, message: i.message });
      if (r.notes.length > 0)
        diags.push({
          range: at(1, 0),
          severity: DiagnosticSeverity.Information,
          source: CORPUS_SOURCE,
          code: 'summary',
          message: `${basename(path)}: ${plural(r.lines, 'line', 'lines', fmt)}; ${r.notes.join('; ')}`,
        });
      for (const p of st.file.partners) {
        const other = this.states.get(p.path)?.report;
        if (!other || other.lines === r.lines) continue;
        // the longer file: at its first line without a partner; the shorter one: at its last line
        const line = r.lines > other.lines ? other.lines + 1 : Math.max(1, r.lines);
        diags.push({
          range: at(line, 0),
          severity: DiagnosticSeverity.Error,
          source: CORPUS_SOURCE,
          code: 'line-count',
          message: `${basename(path)} has ${fmt(r.lines)} lines but its parallel file ${p.path} has ${fmt(other.lines)} (${p.source}): line i of one must be the translation of line i of the other`,
        });
      }
    }
    this.deps.publish(corpusUri(path), diags);
  }
}
