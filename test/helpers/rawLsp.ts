/**
 * Raw LSP over a byte stream, for tests that must send what a well-behaved client library would not
 * (null params, requests out of lifecycle order, oversized headers): Content-Length framing by hand,
 * and a reader that collects every message the daemon writes.
 */
import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';

export interface RawMessage {
  id?: number | string | null;
  result?: unknown;
  error?: { code: number; message: string };
  method?: string;
  params?: unknown;
}

export class RawReader {
  private chunks: Buffer[] = [];
  private buf = Buffer.alloc(0);
  readonly messages: RawMessage[] = [];
  private waiters: (() => void)[] = [];
  ended = false;
  constructor(stream: Readable) {
    stream.on('data', (d: Buffer) => {
      this.chunks.push(d);
      this.buf = Buffer.concat([this.buf, ...this.chunks.splice(0)]);
      for (;;) {
        const end = this.buf.indexOf('\r\n\r\n');
        if (end < 0) break;
        const len = Number(/Content-Length: (\d+)/i.exec(this.buf.subarray(0, end).toString())![1]);
        if (this.buf.length < end + 4 + len) break;
        this.messages.push(JSON.parse(this.buf.subarray(end + 4, end + 4 + len).toString('utf8')) as RawMessage);
        this.buf = this.buf.subarray(end + 4 + len);
      }
      this.wake();
    });
    stream.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }
  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }
  /** The next response (not a notification or server request) that matches; removed from the list. */
  async response(predicate: (r: RawMessage) => boolean, ms = 30000): Promise<RawMessage> {
    const deadline = Date.now() + ms;
    for (;;) {
      const r = this.messages.find((m) => !m.method && predicate(m));
      if (r) {
        this.messages.splice(this.messages.indexOf(r), 1);
        return r;
      }
      if (this.ended || Date.now() > deadline) throw new Error(`no matching response; got ${JSON.stringify(this.messages).slice(0, 2000)}`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, 200);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }
  /** Resolves once the stream has closed (or fails after `ms`). */
  async closed(ms = 15000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('the connection stayed open');
      await new Promise<void>((res) => {
        const t = setTimeout(res, 200);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }
}

export const frame = (body: string | object): string => {
  const s = typeof body === 'string' ? body : JSON.stringify(body);
  return `Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`;
};
export const request = (id: number, method: string, params?: unknown): string =>
  frame({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
export const notification = (method: string, params?: unknown): string => frame({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) });

export function openSocket(port: number): Promise<{ socket: Socket; reader: RawReader }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve({ socket, reader: new RawReader(socket) }));
    socket.on('error', reject);
  });
}

/** A daemon listening on a free loopback port with the given token (spawned from source). */
export async function startSocketDaemon(
  token: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ port: number; child: import('node:child_process').ChildProcessWithoutNullStreams; stderr: () => string; stop: () => Promise<void> }> {
  const { spawnDaemon } = await import('./daemonClient.js');
  const child = spawnDaemon(['--socket', '0', '--token', token], env);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
    });
    child.on('exit', () => reject(new Error(`daemon exited: ${stderr}`)));
  });
  const info = JSON.parse(line) as { port: number };
  return {
    port: info.port,
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15000);
      await exited;
      clearTimeout(t);
    },
  };
}
