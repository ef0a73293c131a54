/**
 * How clients reach the daemon.
 *
 * stdio: the editor starts the daemon and speaks LSP on its stdin/stdout (one client for the
 * daemon's life).
 *
 * socket: the daemon listens on 127.0.0.1 only (never another interface) and serves clients that
 * prove they hold its token. The handshake: the client's very first bytes on the connection must be
 * one line `MASS-TOKEN <token>\r\n` (or `\n`), before any LSP message; the daemon compares it in
 * constant time and, when it is missing, wrong or not complete within 5 seconds, closes the
 * connection without reading further. After that line the connection is plain LSP (Content-Length
 * framing), and the client may disconnect and reconnect while a job keeps running.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { Daemon } from './daemon.js';

export const TOKEN_PREFIX = 'MASS-TOKEN ';
const HANDSHAKE_TIMEOUT_MS = 5000;
const MAX_HANDSHAKE_BYTES = 1024;

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

/** Constant-time comparison (of hashes, so the lengths need not match). */
function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Reads the handshake line; resolves with what followed it, or undefined when the socket was refused. */
function handshake(socket: Socket, token: string): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const finish = (rest: Buffer | undefined) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (!rest) socket.destroy();
      resolve(rest);
    };
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const nl = buf.indexOf(10);
      if (nl < 0) {
        // no newline yet: wait, unless this cannot be a token line anymore
        const head = buf.toString('latin1');
        if (buf.length > MAX_HANDSHAKE_BYTES || !(TOKEN_PREFIX.startsWith(head) || head.startsWith(TOKEN_PREFIX))) finish(undefined);
        return;
      }
      const line = buf.subarray(0, nl).toString('utf8').replace(/\r$/, '');
      if (!line.startsWith(TOKEN_PREFIX) || !tokenMatches(line.slice(TOKEN_PREFIX.length).trim(), token)) return finish(undefined);
      finish(buf.subarray(nl + 1));
    };
    const onError = () => finish(undefined);
    const onClose = () => finish(undefined);
    const timer = setTimeout(() => finish(undefined), HANDSHAKE_TIMEOUT_MS);
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}

export interface SocketListener {
  server: Server;
  port: number;
}

/** Listens on 127.0.0.1:port (0: any free port); each authenticated connection becomes a session. */
export function listenOnSocket(daemon: Daemon, port: number, token: string, log: (m: string) => void): Promise<SocketListener> {
  let clients = 0;
  const server = createServer((socket) => {
    const who = `${socket.remoteAddress}:${socket.remotePort}`;
    void handshake(socket, token).then((rest) => {
      if (!rest) {
        log(`refused a connection from ${who} (no valid MASS-TOKEN line)`);
        return;
      }
      const name = `client-${++clients}`;
      log(`${name} connected from ${who}`);
      socket.setNoDelay(true);
      const session = daemon.connect(socket, socket, { ownsProcess: false, name });
      session.onClosed(() => log(`${name} disconnected`));
      socket.on('error', () => socket.destroy());
      // bytes that arrived with the handshake line belong to the LSP stream
      if (rest.length > 0) socket.unshift(rest);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve({ server, port: typeof addr === 'object' && addr ? addr.port : port });
    });
  });
}
