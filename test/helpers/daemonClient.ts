/**
 * A real JSON-RPC client (vscode-jsonrpc) talking to the real daemon, spawned from source over stdio:
 * initialize with a workspace folder, collect published diagnostics and notifications, and wait for
 * them with a deadline (a wait that expires fails the test with what was received instead).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver';
import { ROOT } from './paths.js';

export const DAEMON_MAIN = join(ROOT, 'server/src/daemon/main.ts');

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

export function spawnDaemon(args: string[] = ['--stdio'], env: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', DAEMON_MAIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A published diagnostic, its message as plain text (the daemon never sends Markdown messages). */
export type Diag = Omit<Diagnostic, 'message'> & { message: string };

export interface Notification {
  method: string;
  params: unknown;
}

export class DaemonClient {
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, Diag[]>();
  readonly notifications: Notification[] = [];
  stderr = '';
  private waiters: (() => void)[] = [];
  exited: Promise<number | null>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((r) => child.on('exit', (code) => r(code)));
    this.connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    this.connection.onNotification((method: string, params: unknown) => {
      this.notifications.push({ method, params });
      if (method === 'textDocument/publishDiagnostics') {
        const p = params as PublishDiagnosticsParams;
        this.diagnostics.set(
          p.uri,
          p.diagnostics.map((d) => ({ ...d, message: typeof d.message === 'string' ? d.message : d.message.value })),
        );
      }
      this.wake();
    });
    // vscode-jsonrpc routes $/progress to per-token handlers; record them all as notifications
    this.connection.onUnhandledProgress((params) => {
      this.notifications.push({ method: '$/progress', params });
      this.wake();
    });
    // the daemon may ask for work-done progress tokens and watcher registrations
    this.connection.onRequest((method: string, params: unknown) => {
      this.notifications.push({ method, params });
      this.wake();
      return null;
    });
    this.connection.listen();
  }

  static async start(
    workspace: string,
    opts: { capabilities?: Record<string, unknown>; env?: NodeJS.ProcessEnv; initializationOptions?: Record<string, unknown> } = {},
  ): Promise<DaemonClient> {
    const client = new DaemonClient(spawnDaemon(['--stdio'], opts.env));
    await client.initialize(workspace, opts.capabilities, opts.initializationOptions);
    return client;
  }

  async initialize(workspace: string, capabilities: Record<string, unknown> = {}, initializationOptions?: Record<string, unknown>): Promise<InitializeResult> {
    const result = (await this.connection.sendRequest('initialize', {
      processId: process.pid,
      clientInfo: { name: 'mass-test-client' },
      rootUri: fileUri(workspace),
      workspaceFolders: [{ uri: fileUri(workspace), name: 'ws' }],
      capabilities,
      initializationOptions,
    })) as InitializeResult;
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits until `check` returns a value (re-checked on every message), or fails after `ms`. */
  async waitFor<T>(what: string, check: () => T | undefined | false, ms = 60_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = check();
      if (v !== undefined && v !== false) return v;
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = [...this.diagnostics.entries()].map(([u, d]) => `${u}: ${d.map((x) => x.message).join(' | ')}`).join('\n');
        throw new Error(`timed out waiting for ${what}\ndiagnostics so far:\n${seen}\nstderr:\n${this.stderr.slice(-3000)}`);
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Polls an async check until it gives a value, or fails after `ms`. */
  async until<T>(what: string, check: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await check();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nstderr:\n${this.stderr.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Diagnostics of a file once `accept` likes them. */
  diagnosticsOf(path: string, accept: (d: Diag[]) => boolean, ms?: number): Promise<Diag[]> {
    const uri = fileUri(path);
    return this.waitFor(
      `diagnostics of ${path}`,
      () => {
        const d = this.diagnostics.get(uri);
        return d && accept(d) ? d : undefined;
      },
      ms,
    );
  }

  open(path: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: fileUri(path), languageId: 'json', version, text } });
  }

  change(path: string, text: string, version: number): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: fileUri(path), version }, contentChanges: [{ text }] });
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}
