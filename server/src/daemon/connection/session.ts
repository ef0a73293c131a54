/**
 * One client connection: the LSP lifecycle (initialize → initialized → shutdown → exit), the
 * workspace folders, open documents, file watching, and the routing of every request and
 * notification to the config service, the corpus service and the custom request handlers.
 */
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import {
  createConnection,
  ErrorCodes,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WatchDog,
  type WorkDoneProgressReporter,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import { createProtocolConnection, StreamMessageWriter } from 'vscode-languageserver/node';
import type { Message, MessageWriter, ResponseMessage } from 'vscode-jsonrpc';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as protocol from '../../protocol.js';
import { expandGlob } from '../../engine/util/glob.js';
import { isBackendChoice } from '../../engine/backend/backendNames.js';
import { CONFIG_GLOBS } from '../configs/configFiles.js';
import { ConfigService } from '../configs/configService.js';
import { CorpusService } from '../corpora/corpusService.js';
import type { Daemon } from './daemon.js';
import { GuardedMessageReader } from './guardedReader.js';
import { textDocumentPosition, validateParams } from '../requests/params.js';
import { registerRequests } from '../requests/requests.js';
import type { TrainingAlert } from '../jobs/trainingAlerts.js';
import { realPathOf, uriToPath, WorkspaceRoots } from './workspaceRoots.js';

/** Corpus files the client watches for us (with dynamic registration). */
const CORPUS_GLOBS = ['**/*.{en,fr,de,ro,es,it,pt,nl,ru,zh,ja,ar,tr,fi,cs,pl}', '**/*.{en,fr,de,ro,es,it,pt,nl}.txt', '**/{mono,train,valid,dev,test}*'];

export type InitOptions = protocol.DaemonInitializationOptions;

export class Session {
  readonly connection: Connection;
  readonly roots = new WorkspaceRoots();
  private readonly documents = new TextDocuments(TextDocument);
  private readonly configs: ConfigService;
  private readonly corpora: CorpusService;
  private capabilities: ClientCapabilities = {};
  private showTrainingMessages: boolean | 'warnings' = true;
  private readonly progressByJob = new Map<string, WorkDoneProgressServerReporter>();
  private readonly closeHandlers: (() => void)[] = [];
  private closed = false;
  private parentWatch: NodeJS.Timeout | undefined;
  private readonly watchDog: WatchDog;
  /** The first workspace walk (configs and corpora known): requests that need them wait for it. */
  private firstScan: Promise<void> | undefined;
  private firstScanDone!: () => void;
  private initializedReceived = false;
  /** LSP lifecycle: nothing but `initialize` (and `exit`) before it; nothing but `exit` after `shutdown`. */
  private lifecycle: 'new' | 'initialized' | 'shutdown' = 'new';

  constructor(
    private readonly daemon: Daemon,
    private readonly input: Readable,
    private readonly output: Writable,
    private readonly opts: { ownsProcess: boolean; name: string },
  ) {
    // a write to a connection that is closing fails quietly: the closing itself ends the session
    const streamWriter = new StreamMessageWriter(output);
    let writeFailureLogged = false;
    const writer: MessageWriter = {
      onError: streamWriter.onError,
      onClose: streamWriter.onClose,
      write: (msg) =>
        streamWriter.write(msg).catch((e: unknown) => {
          if (!writeFailureLogged) this.log(`cannot write to the client (${(e as Error)?.message ?? e}); the connection is closing`);
          writeFailureLogged = true;
        }),
      end: () => streamWriter.end(),
      dispose: () => streamWriter.dispose(),
    };
    const reader = new GuardedMessageReader(
      input,
      (reply) => {
        this.log(`rejected a message: ${reply.error?.message}`);
        writer.write(reply).catch(() => undefined);
      },
      { gate: (m) => this.lifecycleGate(m), fatal: (reason) => this.fatal(reason) },
    );
    this.watchDog = {
      shutdownReceived: false,
      initialize: (params: InitializeParams) => this.watchParent(params.processId),
      exit: (code: number) => this.exit(code),
    };
    // the protocol layer logs to stderr, not to the client (whose connection may be the one failing)
    const stderrLogger = { error: (m: string) => this.log(m), warn: (m: string) => this.log(m), info: () => undefined, log: () => undefined };
    this.connection = createConnection(() => createProtocolConnection(reader, writer, stderrLogger), this.watchDog);
    // diagnostics published while (or after) the client disconnects must not reject unhandled
    const sendDiagnostics = this.connection.sendDiagnostics.bind(this.connection);
    this.connection.sendDiagnostics = (p) => {
      if (this.closed) return Promise.resolve();
      try {
        return sendDiagnostics(p).catch(() => undefined);
      } catch {
        return Promise.resolve();
      }
    };
    const log = (m: string) => this.log(m);
    this.configs = new ConfigService({
      connection: this.connection,
      roots: this.roots,
      log,
      onConfigsChanged: () => this.corpora.scheduleRefresh(300),
      memoryLimitMB: () => this.daemon.memoryLimitMB(),
      completionSources: {
        languages: () => this.corpora.diagnostics.languages(),
        corpusFiles: (lang) => this.corpora.diagnostics.filesOfLanguage(lang),
        checkpoints: (dump) => this.checkpointFiles(dump),
      },
    });
    this.corpora = new CorpusService({
      roots: this.roots,
      configs: this.configs,
      publish: (uri, diagnostics) => this.connection.sendDiagnostics({ uri, diagnostics }),
      log,
    });
    this.firstScan = new Promise((r) => (this.firstScanDone = r));
    const onEnd = () => this.inputClosed();
    input.once('end', onEnd);
    input.once('close', onEnd);
    this.register();
    this.connection.listen();
  }

  /**
   * The LSP lifecycle, enforced before a message reaches a handler: a request before `initialize` gets
   * ServerNotInitialized (-32002) and a notification is dropped (`exit` excepted); after `shutdown`, a
   * request gets InvalidRequest and a notification other than `exit` is dropped; a second `initialize`
   * is an InvalidRequest.
   */
  private lifecycleGate(m: Message): ResponseMessage | 'drop' | undefined {
    if (!('method' in m)) return undefined; // a response to one of our requests
    const method = (m as { method: string }).method;
    const id = (m as { id?: number | string }).id;
    const isRequest = id !== undefined;
    const refuse = (code: number, message: string): ResponseMessage | 'drop' =>
      isRequest ? { jsonrpc: '2.0', id: id as number | string, error: { code, message } } : 'drop';
    if (method === 'exit') return undefined;
    if (this.lifecycle === 'new') {
      if (method === 'initialize') {
        this.lifecycle = 'initialized';
        return undefined;
      }
      if (!isRequest) this.log(`dropped '${method}' received before initialize`);
      return refuse(ErrorCodes.ServerNotInitialized, `${method}: the server is not initialized yet; send 'initialize' first`);
    }
    if (this.lifecycle === 'shutdown') {
      if (!isRequest) this.log(`dropped '${method}' received after shutdown`);
      return refuse(ErrorCodes.InvalidRequest, `${method}: the server is shutting down (after 'shutdown' only 'exit' is accepted)`);
    }
    if (method === 'initialize') return refuse(ErrorCodes.InvalidRequest, "initialize: the server is already initialized ('initialize' may be sent once)");
    if (method === 'shutdown') this.lifecycle = 'shutdown';
    return undefined;
  }

  /** The stream can no longer be read (see GuardedMessageReader): close this connection. */
  private fatal(reason: string): void {
    this.log(`closing the connection: ${reason}`);
    if (this.opts.ownsProcess) this.exit(1);
    else
      setImmediate(() => {
        this.dispose();
        this.output.end();
        (this.input as Readable & { destroy?: () => void }).destroy?.();
      });
  }

  onClosed(handler: () => void): void {
    this.closeHandlers.push(handler);
  }

  log(message: string): void {
    process.stderr.write(`[mass daemon${this.opts.ownsProcess ? '' : ` ${this.opts.name}`}] ${message}\n`);
  }

  private register(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => void this.initialized());
    c.onShutdown(async () => {
      // over stdio the daemon's life ends with this client: stop training first (it writes a checkpoint)
      if (this.opts.ownsProcess) await this.daemon.shutdown();
    });

    this.documents.onDidOpen((e) => this.configs.opened(e.document));
    this.documents.onDidChangeContent((e) => this.configs.changed(e.document));
    this.documents.onDidClose((e) => void this.configs.closed(e.document.uri));
    this.documents.listen(c);

    c.onHover((raw) => {
      const p = validateParams('textDocument/hover', raw, textDocumentPosition, { allowExtra: true });
      return this.configs.hover(p.textDocument.uri, p.position);
    });
    c.onCompletion((raw) => {
      const p = validateParams('textDocument/completion', raw, textDocumentPosition, { allowExtra: true });
      return this.configs.completion(p.textDocument.uri, p.position);
    });
    c.onDidChangeWatchedFiles((params) => {
      for (const ch of Array.isArray(params?.changes) ? params.changes : []) {
        const path = typeof ch?.uri === 'string' ? uriToPath(ch.uri) : undefined;
        if (!path) continue;
        this.corpora.fileChanged(path, ch.type === FileChangeType.Created ? 'created' : ch.type === FileChangeType.Deleted ? 'deleted' : 'changed');
      }
    });
    c.onDidChangeConfiguration((params) => {
      const mass = (params?.settings as { mass?: unknown } | undefined)?.mass;
      if (mass && typeof mass === 'object') this.applyOptions(mass as Record<string, unknown>);
    });

    registerRequests({
      daemon: this.daemon,
      connection: c,
      roots: this.roots,
      configs: this.configs,
      corpora: this.corpora,
      progress: (params) => this.requestProgress(params),
      // (a client that never sent `initialized` gets answers without the workspace walk)
      workspaceReady: () => (this.initializedReceived ? (this.firstScan ?? Promise.resolve()) : Promise.resolve()),
      jobStarted: (job) => void this.startJobProgress(job),
      log: (m) => this.log(m),
    });
  }

  private applyOptions(o: Record<string, unknown>): void {
    if (isBackendChoice(o.backend)) this.daemon.setBackend(o.backend);
    if (typeof o.checkpointDirectory === 'string' && o.checkpointDirectory) {
      // this connection's own (another socket client does not inherit it); it opens checkpoint files only
      const dir = resolve(o.checkpointDirectory);
      const real = realPathOf(dir);
      if (!isAbsolute(o.checkpointDirectory)) this.log(`checkpointDirectory: '${o.checkpointDirectory}' is not an absolute path; ignored`);
      else if (dirname(real) === real) this.log(`checkpointDirectory: ${real} is the root of the file system; ignored`);
      else this.roots.setExtra([dir]);
    }
    if (typeof o.memoryLimitMB === 'number' && Number.isInteger(o.memoryLimitMB) && o.memoryLimitMB > 0 && this.daemon.setMemoryLimitMB(o.memoryLimitMB)) {
      this.configs.reanalyseAll();
    }
    if (typeof o.showTrainingMessages === 'boolean' || o.showTrainingMessages === 'warnings') this.showTrainingMessages = o.showTrainingMessages;
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.capabilities = params.capabilities ?? {};
    const folders: string[] = [];
    for (const f of Array.isArray(params.workspaceFolders) ? params.workspaceFolders : []) {
      const p = typeof f?.uri === 'string' ? uriToPath(f.uri) : undefined;
      if (p) folders.push(p);
    }
    if (folders.length === 0) {
      const root = typeof params.rootUri === 'string' ? uriToPath(params.rootUri) : typeof params.rootPath === 'string' ? params.rootPath : undefined;
      if (root) folders.push(root);
    }
    this.roots.setFolders(folders);
    if (params.initializationOptions && typeof params.initializationOptions === 'object')
      this.applyOptions(params.initializationOptions as Record<string, unknown>);
    this.log(`initialized by ${params.clientInfo?.name ?? 'a client'}; workspace: ${this.roots.describe()}`);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', ',', '-', ':'], resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'mass-daemon', version: this.daemon.version },
    };
  }

  private async initialized(): Promise<void> {
    this.initializedReceived = true;
    const caps = this.capabilities;
    if (caps.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      try {
        await this.connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [...CONFIG_GLOBS, ...CORPUS_GLOBS].map((globPattern) => ({ globPattern, kind: WatchKind.Create | WatchKind.Change | WatchKind.Delete })),
        });
      } catch (e) {
        this.log(`the client refused file watchers (${(e as Error).message}); watching with fs.watch`);
        this.corpora.enableFallbackWatching();
      }
    } else {
      this.corpora.enableFallbackWatching();
    }
    if (caps.workspace?.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) {
          const p = uriToPath(f.uri);
          if (p) this.roots.removeFolder(p);
        }
        for (const f of e.added) {
          const p = uriToPath(f.uri);
          if (p) this.roots.addFolder(p);
        }
        this.corpora.scheduleRefresh(0);
      });
    }
    await this.corpora.refresh();
    this.firstScanDone();
  }

  /** Over stdio, the daemon exits when the editor that started it is gone (no orphan training). */
  private watchParent(pid: number | null | undefined): void {
    if (!this.opts.ownsProcess || typeof pid !== 'number' || this.parentWatch) return;
    this.parentWatch = setInterval(() => {
      try {
        process.kill(pid, 0);
      } catch {
        this.log(`the client process ${pid} is gone; exiting`);
        this.exit(1);
      }
    }, 3000);
    this.parentWatch.unref();
  }

  private inputClosed(): void {
    if (this.closed) return;
    if (this.opts.ownsProcess) this.exit(this.watchDog.shutdownReceived ? 0 : 1);
    else this.dispose();
  }

  private exit(code: number): void {
    // vscode-jsonrpc writes replies from a setImmediate queue: let the ones already queued (the
    // shutdown response, when a client sends shutdown and exit together) go out first
    setImmediate(() =>
      setImmediate(() => {
        if (this.opts.ownsProcess) {
          this.dispose();
          void this.daemon.shutdown().finally(() => process.exit(code));
        } else {
          // a socket client leaving does not stop the daemon (or its training job)
          this.dispose();
          this.output.end();
        }
      }),
    );
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.parentWatch) clearInterval(this.parentWatch);
    this.corpora.dispose();
    // the connection may be gone already: ending its progress reports must not throw
    for (const p of this.progressByJob.values()) {
      try {
        p.done();
      } catch {
        // closed
      }
    }
    this.progressByJob.clear();
    try {
      this.connection.dispose();
    } catch {
      // already closed
    }
    for (const h of this.closeHandlers) {
      try {
        h();
      } catch (e) {
        this.log(`close handler failed: ${(e as Error).message}`);
      }
    }
  }

  /** A notification that may race with the connection closing: never throws, never rejects. */
  private notify<P>(type: { method: string }, params: P): void {
    if (this.closed) return;
    try {
      void this.connection.sendNotification(type.method, params).catch(() => undefined);
    } catch {
      // closed
    }
  }

  private canCreateProgress(): boolean {
    return this.capabilities.window?.workDoneProgress === true;
  }

  private async requestProgress(params: { workDoneToken?: string | number }): Promise<WorkDoneProgressReporter | undefined> {
    if (params?.workDoneToken !== undefined) return this.connection.window.attachWorkDoneProgress(params.workDoneToken);
    if (!this.canCreateProgress()) return undefined;
    return this.connection.window.createWorkDoneProgress().catch(() => undefined);
  }

  private async startJobProgress(job: protocol.JobInfo): Promise<void> {
    if (!this.canCreateProgress()) return;
    try {
      const reporter = await this.connection.window.createWorkDoneProgress();
      reporter.begin(`MASS ${job.kind}`, 0, `${job.state}: ${basename(job.config)}`, true);
      // cancelling the progress in the editor stops the job (it writes its checkpoint first)
      reporter.token.onCancellationRequested(() => void this.daemon.jobs.stop(job.id));
      this.progressByJob.set(job.id, reporter);
    } catch (e) {
      this.log(`no progress for ${job.id}: ${(e as Error).message}`);
    }
  }

  // ---- job notifications (called by the daemon for every session)

  jobProgress(job: protocol.JobInfo, p: protocol.TrainingProgress): void {
    if (this.closed) return;
    this.notify(protocol.trainingProgress, p);
    const reporter = this.progressByJob.get(job.id);
    if (reporter) {
      const pct = p.totalSteps ? Math.min(100, Math.floor((100 * p.step) / p.totalSteps)) : undefined;
      const msg = `epoch ${p.epoch} step ${p.step}${p.totalSteps ? `/${p.totalSteps}` : ''} · loss ${p.loss.toFixed(3)}`;
      try {
        if (pct !== undefined) reporter.report(pct, msg);
        else reporter.report(msg);
      } catch {
        // the connection closed between two reports
      }
    }
  }

  jobEvent(job: protocol.JobInfo, e: protocol.TrainingEvent): void {
    if (this.closed) return;
    this.notify(protocol.trainingEvent, e);
    if (e.kind === 'finished' || e.kind === 'stopped' || e.kind === 'failed') {
      try {
        this.progressByJob.get(job.id)?.done();
      } catch {
        // closed
      }
      this.progressByJob.delete(job.id);
    }
  }

  jobLog(_job: protocol.JobInfo, line: string): void {
    if (this.closed) return;
    this.notify(protocol.logLine, { line });
  }

  jobAlert(job: protocol.JobInfo, alert: TrainingAlert): void {
    if (this.closed || !this.roots.contains(job.config)) return;
    void Promise.resolve(this.configs.addTrainingAlert(job.config, alert)).catch(() => undefined);
    if (this.showTrainingMessages === true || (this.showTrainingMessages === 'warnings' && alert.severity !== 'error')) {
      const type = alert.severity === 'error' ? MessageType.Error : MessageType.Warning;
      const field = alert.field && !alert.message.startsWith(`${alert.field}:`) ? `${alert.field}: ` : '';
      this.notify(ShowMessageNotification.type, { type, message: `MASS ${job.kind} (${basename(job.config)}): ${field}${alert.message}` });
    }
  }

  private async checkpointFiles(dump: string): Promise<string[]> {
    if (!this.roots.contains(dump)) return [];
    return (await expandGlob('**/*.safetensors', dump)).slice(0, 200);
  }
}
