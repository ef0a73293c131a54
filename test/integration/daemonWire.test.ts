/**
 * Whatever arrives on the wire, the daemon answers with JSON-RPC/LSP errors and keeps serving:
 * invalid headers, invalid JSON, non-JSON-RPC messages, unknown methods, wrong parameter types.
 * And --socket: loopback only, and a connection without the token is closed unanswered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { spawnDaemon } from '../helpers/daemonClient.js';
import { tempDir } from '../helpers/paths.js';
import { RawReader, frame, request } from '../helpers/rawLsp.js';

test('garbage on stdio gets errors and the daemon keeps answering', async () => {
  const ws = tempDir('mass-wire-');
  const child = spawnDaemon();
  const out = new RawReader(child.stdout);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const send = (s: string | Buffer) => child.stdin.write(s);
  const alive = async (id: number) => {
    send(request(id, 'mass/status'));
    const r = await out.response((m) => m.id === id);
    assert.equal((r.result as { version: string }).version, '0.1.0', `still serving after step ${id}`);
  };
  try {
    send(request(1, 'initialize', { processId: null, rootUri: pathToFileURL(ws.dir).href, capabilities: {} }));
    assert.ok((await out.response((m) => m.id === 1)).result);
    send(frame({ jsonrpc: '2.0', method: 'initialized', params: {} }));

    send('GET / HTTP/1.1\r\n');
    assert.equal((await out.response((m) => m.id === null)).error!.code, -32700);
    await alive(2);

    send(frame('{"jsonrpc":"2.0","id":3,"method":"mass/status"'));
    assert.match((await out.response((m) => m.id === null)).error!.message, /^body is not valid JSON/);
    await alive(4);

    send('Content-Length: twelve\r\n\r\n');
    assert.equal((await out.response((m) => m.id === null)).error!.code, -32700);
    send('Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n');
    assert.match((await out.response((m) => m.id === null)).error!.message, /without a Content-Length/);
    await alive(5);

    send(frame([{ jsonrpc: '2.0', id: 6, method: 'mass/status' }]));
    assert.equal((await out.response((m) => m.id === null)).error!.code, -32600);
    send(frame({ id: 7, method: 'mass/status' }));
    assert.equal((await out.response((m) => m.id === 7)).error!.code, -32600);
    send(frame({ jsonrpc: '2.0', id: 8, method: 'mass/status', params: 'all' }));
    assert.equal((await out.response((m) => m.id === 8)).error!.code, -32602);
    await alive(9);

    send(request(10, 'mass/noSuchMethod', {}));
    assert.equal((await out.response((m) => m.id === 10)).error!.code, -32601);
    send(frame({ jsonrpc: '2.0', method: 'mass/noSuchNotification', params: {} }));
    await alive(11);

    const bad: [string, unknown, RegExp][] = [
      ['mass/translate', { text: 'hello', src: 'en', tgt: 'fr' }, /^mass\/translate: params\.text: expected an array of strings, got "hello"$/],
      ['mass/translate', { text: ['hello'], src: 'en', tgt: 'fr', beam: -1 }, /^mass\/translate: params\.beam: expected a positive integer, got number -1$/],
      ['mass/pretrain', { config: 42 }, /^mass\/pretrain: params\.config: expected a non-empty string, got number 42$/],
      ['mass/pretrain', {}, /^mass\/pretrain: params\.config: missing$/],
      ['mass/finetune', { config: 'mass.config.json', kind: 'xx' }, /^mass\/finetune: params\.kind: expected one of "bt", "mt", "s2s", got "xx"$/],
      ['mass/stopTraining', { jobId: ['a'] }, /^mass\/stopTraining: params\.jobId: expected a non-empty string, got an array$/],
      ['mass/loadCheckpoint', { path: '/etc/passwd' }, /^mass\/loadCheckpoint: params\.path: \/etc\/passwd is outside the workspace/],
      ['mass/createConfig', { folder: '/' }, /^mass\/createConfig: params\.folder: \/ is outside the workspace/],
      [
        'textDocument/hover',
        { textDocument: { uri: 5 }, position: { line: 0, character: 0 } },
        /^textDocument\/hover: params\.textDocument\.uri: expected a non-empty string, got number 5$/,
      ],
      [
        'textDocument/completion',
        { textDocument: { uri: 'file:///x.json' }, position: { line: -1, character: 0 } },
        /^textDocument\/completion: params\.position\.line: expected a non-negative integer, got number -1$/,
      ],
    ];
    let id = 100;
    for (const [method, params, message] of bad) {
      send(request(++id, method, params));
      const r = await out.response((m) => m.id === id);
      assert.equal(r.error?.code, -32602, `${method} ${JSON.stringify(params)} → ${JSON.stringify(r)}`);
      assert.match(r.error!.message, message);
    }
    // notifications with bad params cannot be answered, but must not break anything
    send(frame({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: 7 } }));
    send(frame({ jsonrpc: '2.0', method: 'textDocument/didChange', params: {} }));
    send(frame({ jsonrpc: '2.0', method: 'workspace/didChangeWatchedFiles', params: { changes: 'x' } }));
    await alive(200);
    // one byte at a time still works
    for (const b of Buffer.from(request(201, 'mass/status'))) send(Buffer.from([b]));
    assert.ok((await out.response((m) => m.id === 201)).result);

    send(request(202, 'shutdown'));
    await out.response((m) => m.id === 202);
    send(frame({ jsonrpc: '2.0', method: 'exit' }));
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 0, stderr);
  } finally {
    child.kill('SIGKILL');
    ws.cleanup();
  }
});

async function startSocketDaemon(token: string): Promise<{ port: number; stop: () => void; stderr: () => string }> {
  const child = spawnDaemon(['--socket', '0', '--token', token]);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
    });
    child.on('exit', () => reject(new Error(`daemon exited: ${stderr}`)));
  });
  const info = JSON.parse(line) as { host: string; port: number; token?: string };
  assert.equal(info.host, '127.0.0.1');
  assert.equal(info.token, undefined, 'a given token is not printed');
  return { port: info.port, stop: () => child.kill('SIGTERM'), stderr: () => stderr };
}

function open(port: number): Promise<{ socket: Socket; reader: RawReader }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve({ socket, reader: new RawReader(socket) }));
    socket.on('error', reject);
  });
}

test('socket mode: loopback only, and no token (or a wrong one) closes the connection unanswered', async () => {
  const ws = tempDir('mass-sock-');
  const token = 'a-long-enough-test-token-0123456789';
  const d = await startSocketDaemon(token);
  const init = (id: number) => request(id, 'initialize', { processId: null, rootUri: pathToFileURL(ws.dir).href, capabilities: {} });
  try {
    for (const prefix of ['', 'MASS-TOKEN wrong-token-wrong-token\r\n', `MASS-TOKEN ${token.slice(0, -1)}\r\n`, `mass-token ${token}\r\n`]) {
      const { socket, reader } = await open(d.port);
      socket.write(prefix + init(1));
      await assert.rejects(
        reader.response((m) => m.id === 1, 10000),
        /no matching response/,
      );
      assert.ok(reader.ended, `closed for ${JSON.stringify(prefix)}`);
      assert.equal(reader.messages.length, 0);
    }
    // with the token: a normal LSP session, and a second client after the first left
    for (const id of [1, 2]) {
      const { socket, reader } = await open(d.port);
      socket.write(`MASS-TOKEN ${token}\r\n`);
      socket.write(init(id));
      const r = await reader.response((m) => m.id === id);
      assert.equal((r.result as { serverInfo: { name: string } }).serverInfo.name, 'mass-daemon');
      socket.write(request(10, 'mass/status'));
      assert.ok((await reader.response((m) => m.id === 10)).result);
      socket.write(request(11, 'shutdown') + frame({ jsonrpc: '2.0', method: 'exit' }));
      await reader.response((m) => m.id === 11);
      await new Promise((r) => socket.on('close', r));
    }
    assert.match(d.stderr(), /refused a connection from 127\.0\.0\.1/);
    // not reachable on other interfaces
    const { networkInterfaces } = await import('node:os');
    const other = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (other) {
      await assert.rejects(
        new Promise((resolve, reject) => {
          const s = connect({ host: other.address, port: d.port }, () => resolve(s));
          s.on('error', reject);
        }),
        /ECONNREFUSED/,
      );
    }
  } finally {
    d.stop();
    ws.cleanup();
  }
});

test('socket mode needs a token of at least 16 characters; --stdio takes none', async () => {
  for (const args of [['--socket', '0', '--token', 'short'], ['--stdio', '--token', 'a-long-enough-test-token'], ['--stdio', '--socket', '0'], []]) {
    const child = spawnDaemon(args);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 1, `${args.join(' ')}: ${stderr}`);
    assert.match(stderr, /^mass daemon: daemon: /);
  }
});
