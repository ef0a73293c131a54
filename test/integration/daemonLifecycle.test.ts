/**
 * The LSP lifecycle and the wire limits, on the real daemon (stdio and socket): requests before
 * `initialize` get ServerNotInitialized, after `shutdown` InvalidRequest; `shutdown` / `exit` with
 * `params: null` are accepted; a 50 MB message is read in linear time; a Content-Length over the limit
 * closes that connection (and only that one); a MASS_DAEMON_TOKEN under 16 characters is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { spawnDaemon } from '../helpers/daemonClient.js';
import { tempDir } from '../helpers/paths.js';
import { frame, notification, openSocket, RawReader, request, startSocketDaemon } from '../helpers/rawLsp.js';

const init = (id: number, dir: string) => request(id, 'initialize', { processId: null, rootUri: pathToFileURL(dir).href, capabilities: {} });

function stdioDaemon() {
  const child = spawnDaemon();
  const out = new RawReader(child.stdout);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out, send: (s: string | Buffer) => child.stdin.write(s), exited, stderr: () => stderr };
}

async function exitCode(d: ReturnType<typeof stdioDaemon>, ms = 20000): Promise<number | null> {
  const t = setTimeout(() => d.child.kill('SIGKILL'), ms);
  const code = await d.exited;
  clearTimeout(t);
  return code;
}

test('lifecycle: -32002 before initialize, one initialize, InvalidRequest after shutdown, null params on shutdown and exit', async () => {
  const ws = tempDir('mass-life-');
  const d = stdioDaemon();
  try {
    d.send(request(1, 'mass/status'));
    const early = await d.out.response((m) => m.id === 1);
    assert.equal(early.error?.code, -32002, JSON.stringify(early));
    assert.match(early.error!.message, /not initialized/);
    d.send(
      notification('textDocument/didOpen', {
        textDocument: { uri: pathToFileURL(`${ws.dir}/mass.config.json`).href, languageId: 'json', version: 1, text: '{}' },
      }),
    );
    d.send(request(2, 'shutdown', null));
    assert.equal((await d.out.response((m) => m.id === 2)).error?.code, -32002);

    d.send(init(3, ws.dir));
    assert.ok((await d.out.response((m) => m.id === 3)).result);
    d.send(frame({ jsonrpc: '2.0', method: 'initialized', params: null }));
    d.send(init(4, ws.dir));
    assert.equal((await d.out.response((m) => m.id === 4)).error?.code, -32600);
    d.send(request(5, 'mass/status'));
    assert.ok((await d.out.response((m) => m.id === 5)).result);
    // nothing was published for the document opened before initialize
    assert.ok(!d.out.messages.some((m) => m.method === 'textDocument/publishDiagnostics' && JSON.stringify(m.params).includes('mass.config.json')));

    d.send(frame({ jsonrpc: '2.0', id: 6, method: 'shutdown', params: null }));
    const down = await d.out.response((m) => m.id === 6);
    assert.equal(down.error, undefined, JSON.stringify(down));
    assert.equal(down.result, null);
    d.send(request(7, 'mass/status'));
    const late = await d.out.response((m) => m.id === 7);
    assert.equal(late.error?.code, -32600);
    assert.match(late.error!.message, /shutting down/);
    d.send(frame({ jsonrpc: '2.0', method: 'exit', params: null }));
    assert.equal(await exitCode(d), 0, d.stderr());
  } finally {
    d.child.kill('SIGKILL');
    ws.cleanup();
  }
});

test('lifecycle: exit with params null and no shutdown ends the daemon with code 1', async () => {
  const ws = tempDir('mass-life-');
  const d = stdioDaemon();
  try {
    d.send(init(1, ws.dir));
    await d.out.response((m) => m.id === 1);
    d.send(frame({ jsonrpc: '2.0', method: 'exit', params: null }));
    assert.equal(await exitCode(d), 1, d.stderr());
  } finally {
    d.child.kill('SIGKILL');
    ws.cleanup();
  }
});

test('a 50 MB message is read in linear time (under 2 s)', async () => {
  const ws = tempDir('mass-life-');
  const d = stdioDaemon();
  try {
    d.send(init(1, ws.dir));
    await d.out.response((m) => m.id === 1);
    const big = Buffer.from(request(2, 'mass/stopTraining', { padding: 'x'.repeat(50 * 1024 * 1024) }));
    const t0 = performance.now();
    d.send(big);
    const r = await d.out.response((m) => m.id === 2, 60000);
    const ms = performance.now() - t0;
    assert.equal(r.error?.code, -32602);
    assert.match(r.error!.message, /params\.padding: unknown parameter/);
    process.stderr.write(`# 50 MB message answered in ${ms.toFixed(0)} ms\n`);
    assert.ok(ms <= 2000, `50 MB took ${ms.toFixed(0)} ms`);
    d.send(request(3, 'mass/status'));
    assert.ok((await d.out.response((m) => m.id === 3)).result);
  } finally {
    d.child.kill('SIGKILL');
    ws.cleanup();
  }
});

test('a Content-Length over the limit: an error, then that connection is closed (stdio: the daemon exits)', async () => {
  const ws = tempDir('mass-life-');
  const d = stdioDaemon();
  try {
    d.send(init(1, ws.dir));
    await d.out.response((m) => m.id === 1);
    d.send('Content-Length: 999999999999\r\n\r\n{"jsonrpc":"2.0"');
    const r = await d.out.response((m) => m.id === null);
    assert.equal(r.error?.code, -32700);
    assert.match(r.error!.message, /larger than the \d+-byte limit; closing the connection/);
    assert.equal(await exitCode(d), 1, d.stderr());
  } finally {
    d.child.kill('SIGKILL');
    ws.cleanup();
  }
});

test('socket: a Content-Length over the limit closes that client only; the others are served', async () => {
  const ws = tempDir('mass-life-');
  const token = 'a-long-enough-test-token-0123456789';
  const d = await startSocketDaemon(token);
  try {
    const a = await openSocket(d.port);
    const b = await openSocket(d.port);
    for (const [i, c] of [a, b].entries()) {
      c.socket.write(`MASS-TOKEN ${token}\r\n` + init(1, ws.dir));
      assert.ok((await c.reader.response((m) => m.id === 1)).result, `client ${i}`);
    }
    a.socket.write('Content-Length: 123456789012345678\r\n\r\n');
    assert.equal((await a.reader.response((m) => m.id === null)).error?.code, -32700);
    await a.reader.closed();
    b.socket.write(request(2, 'mass/status'));
    assert.ok((await b.reader.response((m) => m.id === 2)).result);
    // and a new client is served too
    const c = await openSocket(d.port);
    c.socket.write(`MASS-TOKEN ${token}\r\n` + init(1, ws.dir) + request(2, 'mass/status'));
    assert.ok((await c.reader.response((m) => m.id === 2)).result);
    for (const s of [b, c]) s.socket.destroy();
  } finally {
    await d.stop();
    ws.cleanup();
  }
});

test('MASS_DAEMON_TOKEN shorter than 16 characters is refused, like --token; a long one is used and not printed', async () => {
  const child = spawnDaemon(['--socket', '0'], { MASS_DAEMON_TOKEN: 'short-token' });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((r) => child.on('exit', r));
  assert.equal(code, 1, stderr);
  assert.match(stderr, /MASS_DAEMON_TOKEN must be at least 16 characters/);

  const token = 'env-token-long-enough-0123456789';
  const ws = tempDir('mass-life-');
  const ok = spawnDaemon(['--socket', '0'], { MASS_DAEMON_TOKEN: token });
  try {
    const line = await new Promise<string>((resolve) => {
      let buf = '';
      ok.stdout.on('data', (x: Buffer) => {
        buf += x.toString();
        if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
      });
    });
    const info = JSON.parse(line) as { port: number; token?: string };
    assert.equal(info.token, undefined);
    const c = await openSocket(info.port);
    c.socket.write(`MASS-TOKEN ${token}\r\n` + init(1, ws.dir));
    assert.ok((await c.reader.response((m) => m.id === 1)).result);
    c.socket.destroy();
  } finally {
    ok.kill('SIGKILL');
    ws.cleanup();
  }
});
