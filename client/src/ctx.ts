/**
 * The extension's one context object: owns the language client that talks to the bundled daemon
 * (dist/daemon.js), the "MASS" output channel, the training state, and every disposable. Commands,
 * the status bar and the panel get this object and speak only the typed protocol through it.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  type CancellationToken,
  type LanguageClientOptions,
  type RequestParam,
  type RequestType,
  type RequestType0,
  type ServerOptions,
} from 'vscode-languageclient/node';
import * as protocol from '../../server/src/protocol.js';
import { daemonOptions, RESTART_SETTINGS } from './config.js';
import { TrainingState } from './trainingState.js';

export type DaemonState = 'starting' | 'running' | 'stopped';

/** Unexpected exits tolerated within RESTART_WINDOW_MS before giving up. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60_000;

export class Ctx implements vscode.Disposable {
  /** The training log ("MASS"), coloured by syntaxes/mass-log.tmLanguage.json. */
  readonly log: vscode.OutputChannel;
  readonly training = new TrainingState();
  daemonState: DaemonState = 'stopped';

  private client?: LanguageClient;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly crashes: number[] = [];
  private readonly stateChanged = new vscode.EventEmitter<DaemonState>();
  readonly onDaemonState = this.stateChanged.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('MASS', 'mass-log');
    this.disposables.push(this.log, this.training, this.stateChanged);
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (RESTART_SETTINGS.some((s) => e.affectsConfiguration(s))) void this.restart('settings changed');
      }),
    );
  }

  get workspaceFolder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.[0];
  }

  subscribe(...d: vscode.Disposable[]): void {
    this.disposables.push(...d);
  }

  async start(): Promise<void> {
    if (this.client) return;
    const daemon = this.daemonPath();
    if (!existsSync(daemon)) {
      this.setState('stopped');
      void vscode.window.showErrorMessage(`The MASS daemon is missing from the extension (${daemon}); reinstall the extension or run 'npm run build'.`);
      return;
    }
    const client = new LanguageClient('mass', 'MASS Daemon', this.serverOptions(), this.clientOptions());
    this.client = client;
    client.onDidChangeState(({ newState }) => {
      this.setState(newState === State.Running ? 'running' : newState === State.Starting ? 'starting' : 'stopped');
      // A (re)started daemon finds its checkpoints and any job again: read its state.
      if (newState === State.Running) void this.refreshStatus();
    });
    client.onNotification(protocol.trainingProgress, (p) => this.training.applyProgress(p));
    client.onNotification(protocol.trainingEvent, (e) => {
      this.training.applyEvent(e);
      if (e.kind === 'finished' || e.kind === 'stopped' || e.kind === 'failed' || e.kind === 'checkpoint') void this.refreshStatus();
      // Warnings (plateau, divergence...) come as window/showMessage from the daemon, with the config and field.
      if (e.kind === 'failed') {
        void vscode.window.showErrorMessage(`MASS training failed: ${e.message}`, 'Show Training Log').then((pick) => pick && this.log.show(true));
      }
    });
    client.onNotification(protocol.logLine, ({ line }) => this.log.appendLine(line));
    this.setState('starting');
    try {
      await client.start();
    } catch (err) {
      this.setState('stopped');
      this.log.appendLine(`[client] the daemon did not start: ${messageOf(err)}`);
      void vscode.window.showErrorMessage(`The MASS daemon did not start: ${messageOf(err)}`, 'Show Daemon Output').then((pick) => {
        if (pick) client.outputChannel.show();
      });
    }
  }

  async restart(reason: string): Promise<void> {
    this.log.appendLine(`[client] restarting the daemon (${reason})`);
    const old = this.client;
    this.client = undefined;
    if (old) await old.dispose().catch(() => undefined);
    await this.start();
  }

  /**
   * Sends a typed request, starting the daemon first if needed. Errors come back as thrown Errors
   * whose message is the daemon's (shown to the user as is by the commands).
   */
  async request<P extends object, R>(type: RequestType<P, R, void>, params: P, token?: CancellationToken): Promise<R> {
    const client = await this.ready();
    return client.sendRequest(type, params as RequestParam<P>, token);
  }

  async request0<R>(type: RequestType0<R, void>): Promise<R> {
    const client = await this.ready();
    return client.sendRequest(type);
  }

  async refreshStatus(): Promise<protocol.StatusResult | undefined> {
    try {
      const status = await this.request0(protocol.status);
      this.training.applyStatus(status);
      return status;
    } catch (err) {
      this.log.appendLine(`[client] mass/status failed: ${messageOf(err)}`);
      return undefined;
    }
  }

  showDaemonOutput(): void {
    this.client?.outputChannel.show(true);
  }

  async dispose(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    if (client) await client.dispose().catch(() => undefined);
  }

  private async ready(): Promise<LanguageClient> {
    if (!this.client) await this.start();
    const client = this.client;
    if (!client) throw new Error('The MASS daemon is not running (see the "MASS Daemon" output).');
    if (client.state === State.Starting) {
      await new Promise<void>((resolve) => {
        const sub = client.onDidChangeState(({ newState }) => {
          if (newState !== State.Starting) {
            sub.dispose();
            resolve();
          }
        });
      });
    }
    if (client.state !== State.Running) throw new Error('The MASS daemon is not running (see the "MASS Daemon" output); run "MASS: Restart Daemon".');
    return client;
  }

  private setState(state: DaemonState): void {
    if (state === this.daemonState) return;
    this.daemonState = state;
    this.stateChanged.fire(state);
  }

  private daemonPath(): string {
    return vscode.Uri.joinPath(this.extension.extensionUri, 'dist', 'daemon.js').fsPath;
  }

  private serverOptions(): ServerOptions {
    const opts = daemonOptions();
    const daemon = this.daemonPath();
    // process.execPath is VS Code's own runtime (Electron on the desktop, Node in code-server);
    // ELECTRON_RUN_AS_NODE makes Electron behave as plain Node.
    return {
      command: process.execPath,
      args: [`--max-old-space-size=${opts.memoryLimitMB}`, daemon, '--stdio'],
      options: {
        cwd: this.workspaceFolder?.uri.fsPath,
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', MASS_BACKEND: opts.backend, MASS_MEMORY_LIMIT_MB: String(opts.memoryLimitMB) },
      },
    };
  }

  private clientOptions(): LanguageClientOptions {
    return {
      documentSelector: [
        { scheme: 'file', pattern: '**/mass.config.json' },
        { scheme: 'file', pattern: '**/*.mass.json' },
      ],
      synchronize: {
        configurationSection: 'mass',
        fileEvents: vscode.workspace.createFileSystemWatcher('**/{mass.config.json,*.mass.json}'),
      },
      initializationOptions: daemonOptions(),
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue }),
        closed: () => this.onUnexpectedExit(),
      },
    };
  }

  private onUnexpectedExit(): { action: CloseAction; handled: boolean } {
    const now = Date.now();
    this.crashes.push(now);
    while (this.crashes.length && now - this.crashes[0]! > RESTART_WINDOW_MS) this.crashes.shift();
    this.log.appendLine('[client] the daemon exited unexpectedly');
    if (this.crashes.length > MAX_RESTARTS) {
      void vscode.window
        .showErrorMessage(`The MASS daemon stopped ${this.crashes.length} times in 3 minutes and was not restarted.`, 'Restart Daemon', 'Show Daemon Output')
        .then((pick) => {
          if (pick === 'Restart Daemon') void this.restart('asked by the user');
          else if (pick) this.showDaemonOutput();
        });
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    void vscode.window.showWarningMessage(
      'The MASS daemon stopped unexpectedly and is being restarted; a running training job can be continued with "MASS: Resume Training".',
    );
    return { action: CloseAction.Restart, handled: true };
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
