/**
 * The real daemon over stdio with a real JSON-RPC client: initialize, config diagnostics as the user
 * types (line numbers, n_heads/emb_dim, language consistency, unknown fields, paths leaving the
 * workspace, the memory estimate), hover and completion.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompletionItem, Hover, InitializeResult } from 'vscode-languageserver';
import { DaemonClient, fileUri, spawnDaemon, type Diag } from '../helpers/daemonClient.js';
import { MASS_PARITY, tempDir } from '../helpers/paths.js';
import { realLines } from '../helpers/realText.js';

let ws: { dir: string; cleanup: () => void };
let client: DaemonClient;
let config: string;

before(async () => {
  ws = tempDir('mass-daemon-');
  mkdirSync(join(ws.dir, 'corpus'));
  writeFileSync(join(ws.dir, 'corpus', 'train.en'), (await realLines('en-fr', 'train.en.gz', 300)).join('\n') + '\n');
  writeFileSync(join(ws.dir, 'corpus', 'train.fr'), (await realLines('en-fr', 'train.fr.gz', 300)).join('\n') + '\n');
  // a real safetensors file where a checkpoint would be, for path completion
  mkdirSync(join(ws.dir, 'dumped', 'mass', 'run1'), { recursive: true });
  copyFileSync(join(MASS_PARITY, 'weights.safetensors'), join(ws.dir, 'dumped', 'mass', 'run1', 'checkpoint.safetensors'));
  config = join(ws.dir, 'mass.config.json');
  client = await DaemonClient.start(ws.dir);
});

after(async () => {
  await client?.stop();
  ws?.cleanup();
});

const messages = (d: Diag[]) => d.map((x) => `${x.range.start.line + 1}:${x.range.start.character + 1} ${x.message}`).sort();

test('initialize announces the capabilities', async () => {
  const c = new DaemonClient(spawnDaemon());
  try {
    const r: InitializeResult = await c.initialize(ws.dir);
    assert.equal(r.serverInfo?.name, 'mass-daemon');
    assert.equal(r.capabilities.hoverProvider, true);
    assert.ok(r.capabilities.completionProvider?.triggerCharacters?.includes('"'));
    assert.deepEqual(r.capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
  } finally {
    await c.stop();
  }
  assert.equal(await c.exited, 0, 'shutdown + exit ends the process with 0');
});

test('config diagnostics follow the edits, with line and column', async () => {
  const text = [
    '{', //                                    1
    '  "lgs": "en-fr",', //                     2
    '  "mass_steps": "en,de",', //              3
    '  "emb_dim": 512,', //                     4
    '  "n_heads": 6,', //                       5
    '  "dump_path": "../elsewhere",', //        6
    '  "emb_dimm": 3', //                       7
    '}',
  ].join('\n');
  writeFileSync(config, text);
  await client.open(config, text);
  // a schema error (unknown field) comes first; cross-field checks wait until the schema is satisfied
  let d = await client.diagnosticsOf(config, (x) => x.some((y) => y.code === 'emb_dimm'));
  assert.deepEqual(messages(d), [
    `6:16 dump_path: '../elsewhere' resolves to ${join(ws.dir, '..', 'elsewhere')}, outside the workspace (${ws.dir}); the daemon reads and writes only inside the workspace folders`,
    "7:3 emb_dimm: unknown setting (did you mean 'emb_dim'?)",
  ]);
  const fixed = text.replace(',\n  "emb_dimm": 3', '');
  await client.change(config, fixed, 2);
  d = await client.diagnosticsOf(config, (x) => !x.some((y) => y.code === 'emb_dimm'));
  assert.deepEqual(
    messages(d).filter((m) => !m.includes('dump_path')),
    ["3:17 mass_steps: language 'de' is not in lgs ('en-fr')", '5:14 n_heads: n_heads (6) must divide emb_dim (512)'],
  );
  const good = fixed.replace('"n_heads": 6', '"n_heads": 8').replace('en,de', 'en,fr').replace('../elsewhere', './dumped');
  await client.change(config, good, 3);
  d = await client.diagnosticsOf(config, (x) => !x.some((y) => y.severity === 1));
  assert.deepEqual(messages(d), []);
});

test('corpora paths: missing files, unmatched globs, steps without data; and the memory estimate', async () => {
  const text = JSON.stringify(
    {
      lgs: 'en-fr',
      mass_steps: 'en,fr',
      mt_steps: 'en-fr',
      backend: 'wasm',
      corpora: { mono: { en: ['corpus/train.en'], fr: ['corpus/*.frr'] }, para: { 'en-fr': { en: 'corpus/train.en', fr: 'corpus/missing.fr' } } },
      emb_dim: 1024,
      n_layers: 6,
      n_dec_layers: 6,
      n_heads: 8,
      tokens_per_batch: 8000,
      max_len: 250,
      n_max_positions: 512,
    },
    null,
    2,
  );
  writeFileSync(config, text);
  await client.change(config, text, 4);
  const d = await client.diagnosticsOf(config, (x) => x.some((y) => y.code === 'memory'));
  const line = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
  const m = messages(d);
  assert.ok(m.includes(`${line('*.frr')}:9 corpora.mono.fr.0: 'corpus/*.frr' matches no file`), m.join('\n'));
  assert.ok(m.includes(`${line('missing.fr')}:15 corpora.para.en-fr.fr: corpus/missing.fr: no such file`), m.join('\n'));
  const mem = d.find((x) => x.code === 'memory')!;
  assert.equal(mem.range.start.line + 1, line('tokens_per_batch'));
  assert.equal(mem.severity, 2);
  assert.match(
    mem.message,
    /^estimated peak memory of a training step: about [\d.]+ GB \(tokens_per_batch 8000; emb_dim 1024, 6\+6 layers, [\d.]+M parameters, vocabulary ≈ 10014 from bpe\.codes, not preprocessed yet\), more than the wasm backend's 4 GB heap/,
  );
});

test("the memory estimate also respects the daemon's memory limit (the extension's setting)", async () => {
  // about 2.6 GB: inside the wasm heap (4 GB), over a 512 MB budget
  const text = JSON.stringify(
    { lgs: 'en-fr', mass_steps: 'en,fr', backend: 'wasm', emb_dim: 512, n_layers: 6, n_dec_layers: 6, n_heads: 8, tokens_per_batch: 2000, max_len: 100 },
    null,
    2,
  );
  const file = join(ws.dir, 'budget.mass.json');
  writeFileSync(file, text);
  await client.open(file, text);
  const plain = await client.diagnosticsOf(file, () => true);
  assert.equal(plain.filter((x) => x.code === 'memory').length, 0, messages(plain).join('\n'));
  for (const how of ['initializationOptions', 'MASS_MEMORY_LIMIT_MB'] as const) {
    const c = await DaemonClient.start(
      ws.dir,
      how === 'initializationOptions' ? { initializationOptions: { memoryLimitMB: 512 } } : { env: { ...process.env, MASS_MEMORY_LIMIT_MB: '512' } },
    );
    try {
      await c.open(file, text);
      const d = await c.diagnosticsOf(file, (x) => x.some((y) => y.code === 'memory'));
      const mem = d.find((x) => x.code === 'memory')!;
      assert.equal(mem.range.start.line + 1, text.split('\n').findIndex((l) => l.includes('tokens_per_batch')) + 1);
      assert.match(
        mem.message,
        /about [\d.]+ (GB|MB) \(tokens_per_batch 2000; emb_dim 512, 6\+6 layers.*more than the daemon's memory limit of 512 MB \(setting mass\.daemon\.memoryLimitMB\)/,
        `${how}: ${mem.message}`,
      );
    } finally {
      await c.stop();
    }
  }
});

test('hover shows the schema: description, default, reference flag', async () => {
  const text = '{\n  "n_heads": 8,\n  "attention_setting": "v1"\n}';
  await client.change(config, text, 5);
  const h = (await client.connection.sendRequest('textDocument/hover', {
    textDocument: { uri: fileUri(config) },
    position: { line: 1, character: 5 },
  })) as Hover;
  const value = (h.contents as { value: string }).value;
  assert.match(value, /^\*\*n_heads\*\* — integer, ≥ 1\n\nAttention heads; must divide emb_dim\.\n\nDefault: `8` · Reference flag: `--n_heads`$/);
  assert.deepEqual(h.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 11 } });
  const onValue = (await client.connection.sendRequest('textDocument/hover', {
    textDocument: { uri: fileUri(config) },
    position: { line: 2, character: 25 },
  })) as Hover;
  assert.match((onValue.contents as { value: string }).value, /one of `"v1"`, `"v2"`/);
  const outside = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: fileUri(config) }, position: { line: 0, character: 0 } });
  assert.equal(outside, null);
});

test('completion: setting names, enum values, booleans, languages of the corpora, checkpoints', async () => {
  const text = '{\n  "lgs": "",\n  "mass_steps": "",\n  "attention_setting": "",\n  "gelu_activation": ,\n  "reload_model": "",\n  \n}';
  await client.change(config, text, 6);
  const complete = async (line: number, character: number) =>
    (
      (await client.connection.sendRequest('textDocument/completion', {
        textDocument: { uri: fileUri(config) },
        position: { line, character },
      })) as CompletionItem[]
    ).map((i) => i.label);
  // the corpora found in the workspace (train.en / train.fr) give the languages
  const lgs = await client.until('en-fr among the lgs completions', async () => {
    const items = await complete(1, 10);
    return items.includes('en-fr') ? items : undefined;
  });
  assert.deepEqual(lgs, ['en-fr', 'en', 'fr']);
  assert.deepEqual((await complete(2, 17)).slice(0, 3), ['en,fr', 'en', 'fr']);
  assert.deepEqual(await complete(3, 24), ['v1', 'v2']);
  assert.deepEqual(await complete(4, 21), ['true', 'false']);
  assert.ok((await complete(5, 19)).includes('./dumped/mass/run1/checkpoint.safetensors'), String(await complete(5, 19)));
  const names = await complete(6, 2);
  for (const n of ['n_heads', 'word_mass', 'corpora', 'bpe']) assert.ok(names.includes(n), n);
  assert.ok(!names.includes('lgs'), 'settings already present are not offered again');
});
