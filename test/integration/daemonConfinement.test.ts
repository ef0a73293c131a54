/**
 * "The daemon reads and writes only inside the workspace", held against a hostile config on the real
 * daemon: corpora that are links or globs out of the workspace, BPE files outside it, exp_name/exp_id
 * with '..', a checkpoint folder set to '/', per-connection settings in socket mode; and the smaller
 * checks: prototype keys in overrides, an empty corpus file.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DaemonClient } from '../helpers/daemonClient.js';
import { tempDir } from '../helpers/paths.js';
import { frame, openSocket, request, startSocketDaemon } from '../helpers/rawLsp.js';
import { tinySettings, tinyWorkspace } from '../helpers/tinyWorkspace.js';

let ws: Awaited<ReturnType<typeof tinyWorkspace>>;
let outside: { dir: string; cleanup: () => void };
let client: DaemonClient;

before(async () => {
  ws = await tinyWorkspace('mass-conf-', 50);
  outside = tempDir('mass-outside-');
  writeFileSync(join(outside.dir, 'secret.en'), 'SECRET-LINE-ONE do not read\nsecond\n');
  client = await DaemonClient.start(ws.dir);
});

after(async () => {
  await client?.stop();
  ws?.cleanup();
  outside?.cleanup();
});

const refused = (field: RegExp) => (e: { code: number; message: string }) => {
  assert.equal(e.code, -32803, e.message);
  assert.match(e.message, field);
  assert.doesNotMatch(e.message, /SECRET-LINE|root:/);
  return true;
};

test('corpora and BPE files outside the workspace (links, globs, absolute paths) refuse the job before anything is read', async () => {
  mkdirSync(join(ws.dir, 'links'));
  symlinkSync('/etc/passwd', join(ws.dir, 'links', 'mono.en'));
  symlinkSync(join(outside.dir, 'secret.en'), join(ws.dir, 'links', 'other.en'));
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['link.mass.json', { corpora: { mono: { en: ['links/mono.en'], fr: ['mono.fr'] } } }, /corpora\.mono\.en: \/etc\/passwd is outside the workspace/],
    ['glob.mass.json', { corpora: { mono: { en: ['links/*.en'], fr: ['mono.fr'] } } }, /corpora\.mono\.en: .* is outside the workspace/],
    [
      'up.mass.json',
      { corpora: { mono: { en: [`../${outside.dir.split('/').pop()}/*.en`], fr: ['mono.fr'] } } },
      /corpora\.mono\.en: .*secret\.en is outside the workspace/,
    ],
    [
      'valid.mass.json',
      { corpora: { mono: { en: ['mono.en'], fr: ['mono.fr'] }, valid: { 'en-fr': { en: join(outside.dir, 'secret.en'), fr: 'valid.fr' } } } },
      /corpora\.valid\.en-fr\.en: .* is outside the workspace/,
    ],
    ['codes.mass.json', { bpe: { reload_codes: '/etc/passwd' } }, /bpe\.reload_codes: \/etc\/passwd is outside the workspace/],
    ['vocab.mass.json', { bpe: { codes: 200, reload_vocab: 'links/other.en' } }, /bpe\.reload_vocab: .*secret\.en is outside the workspace/],
  ];
  for (const [name, extra, message] of cases) {
    const config = ws.write(name, tinySettings({ ...extra, data_path: `./data/${name}`, exp_name: name.split('.')[0] }));
    await assert.rejects(client.connection.sendRequest('mass/pretrain', { config }), refused(message), name);
    assert.ok(!existsSync(join(ws.dir, 'data', name)), `${name}: nothing preprocessed`);
  }
  assert.ok(!existsSync(join(ws.dir, 'dumped')), 'nothing written under dumped/');
});

test("exp_name / exp_id with '..' or a separator: a diagnostic on the field, and the job is refused", async () => {
  for (const [field, value] of [
    ['exp_name', '..'],
    ['exp_id', '../../escape'],
    ['exp_name', 'a/b'],
  ] as const) {
    const config = ws.write(`exp-${field}.mass.json`, tinySettings({ [field]: value }));
    const text = JSON.stringify(tinySettings({ [field]: value }), null, 2);
    await client.open(config, text);
    const d = await client.diagnosticsOf(config, (x) => x.some((y) => /plain folder name/.test(y.message)));
    const diag = d.find((y) => /plain folder name/.test(y.message))!;
    assert.equal(diag.severity, 1);
    assert.equal(
      diag.range.start.line,
      text.split('\n').findIndex((l) => l.includes(`"${field}"`)),
    );
    await assert.rejects(client.connection.sendRequest('mass/pretrain', { config }), (e: { message: string }) =>
      new RegExp(`${field}.*plain folder name`).test(e.message),
    );
  }
  assert.ok(!existsSync(join(ws.dir, '..', 'escape')));
});

test('overrides: __proto__, constructor, toString are unknown settings', async () => {
  for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    const overrides = JSON.parse(`{${JSON.stringify(key)}: 1}`) as Record<string, number>;
    await assert.rejects(client.connection.sendRequest('mass/pretrain', { config: ws.config, overrides }), (e: { code: number; message: string }) => {
      assert.equal(e.code, -32602);
      assert.equal(e.message, `mass/pretrain: params.overrides.${key}: unknown setting`);
      return true;
    });
  }
});

test('an empty corpus file gets a diagnostic before any job', async () => {
  writeFileSync(join(ws.dir, 'empty.fr'), '');
  const config = ws.write('emptycorpus.mass.json', tinySettings({ corpora: { mono: { en: ['mono.en'], fr: ['empty.fr'] } } }));
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [
      { uri: pathToFileURL(config).href, type: 1 },
      { uri: pathToFileURL(join(ws.dir, 'empty.fr')).href, type: 1 },
    ],
  });
  const d = await client.diagnosticsOf(join(ws.dir, 'empty.fr'), (x) => x.some((y) => y.code === 'empty'), 30_000);
  assert.match(d.find((y) => y.code === 'empty')!.message, /empty\.fr holds no text/);
});

test("socket: checkpointDirectory is per connection and opens checkpoint files only ('/' opens nothing)", async () => {
  const token = 'a-long-enough-test-token-0123456789';
  const d = await startSocketDaemon(token);
  const ckdir = join(outside.dir, 'checkpoints');
  mkdirSync(ckdir);
  writeFileSync(join(ckdir, 'notes.txt'), 'SECRET-LINE-ONE\n');
  const init = (opts: Record<string, unknown>) =>
    request(1, 'initialize', { processId: null, rootUri: pathToFileURL(ws.dir).href, capabilities: {}, initializationOptions: opts });
  try {
    const a = await openSocket(d.port);
    a.socket.write(`MASS-TOKEN ${token}\r\n` + init({ checkpointDirectory: '/' }) + frame({ jsonrpc: '2.0', method: 'initialized', params: {} }));
    await a.reader.response((m) => m.id === 1);
    a.socket.write(request(2, 'mass/analyseCorpus', { path: '/etc/passwd' }));
    const r2 = await a.reader.response((m) => m.id === 2);
    assert.equal(r2.error?.code, -32602);
    assert.match(r2.error!.message, /outside the workspace/);
    assert.match(d.stderr(), /checkpointDirectory: \/ is the root of the file system; ignored/);

    const b = await openSocket(d.port);
    b.socket.write(`MASS-TOKEN ${token}\r\n` + init({ checkpointDirectory: ckdir }) + frame({ jsonrpc: '2.0', method: 'initialized', params: {} }));
    await b.reader.response((m) => m.id === 1);
    b.socket.write(request(2, 'mass/analyseCorpus', { path: join(ckdir, 'notes.txt') }));
    const rb = await b.reader.response((m) => m.id === 2);
    assert.equal(rb.error?.code, -32602, 'a non-checkpoint file in the checkpoint folder is not opened');
    assert.doesNotMatch(rb.error!.message, /SECRET/);
    b.socket.write(request(3, 'mass/loadCheckpoint', { path: join(ckdir, 'missing.safetensors') }));
    assert.match((await b.reader.response((m) => m.id === 3)).error!.message, /no such file/, 'checkpoint files there are allowed');

    // a later client does not inherit b's checkpoint folder
    const c = await openSocket(d.port);
    c.socket.write(`MASS-TOKEN ${token}\r\n` + init({}) + frame({ jsonrpc: '2.0', method: 'initialized', params: {} }));
    await c.reader.response((m) => m.id === 1);
    c.socket.write(request(2, 'mass/loadCheckpoint', { path: join(ckdir, 'missing.safetensors') }));
    assert.match((await c.reader.response((m) => m.id === 2)).error!.message, /outside the workspace/);
    for (const s of [a, b, c]) s.socket.destroy();
  } finally {
    await d.stop();
  }
});
