/**
 * mass/importCheckpoint over a real LSP connection: the reference's own fixture model (made by
 * microsoft/MASS's code, both torch formats) imports into the workspace, becomes the model the daemon
 * answers with, and translates as `mass import` + `mass translate` do from the CLI. Refusals: paths
 * outside the workspace, an existing model without overwrite, a broken .pth, a wrong vocabulary —
 * each with an error naming the field or file, and nothing written.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors, toFloat32 } from '../../server/src/engine/model/safetensors.js';
import { runCli } from '../helpers/cli.js';
import { DaemonClient } from '../helpers/daemonClient.js';
import { ROOT, tempDir } from '../helpers/paths.js';

const FIX = join(ROOT, 'test/fixtures/torch');
const ws = tempDir('mass-import-');
const models = join(ws.dir, 'models');
let client: DaemonClient;

interface ImportResult {
  checkpoint: { path: string; kind: string; langs: string[] };
  tensors: number;
  words: number;
  format: string;
}
const importRequest = (params: Record<string, unknown>) => client.connection.sendRequest('mass/importCheckpoint', params) as Promise<ImportResult>;
const refused = (code: number, pattern: RegExp) => (e: { code: number; message: string }) => {
  assert.equal(e.code, code, e.message);
  assert.match(e.message, pattern);
  return true;
};

before(async () => {
  mkdirSync(models);
  for (const f of ['model.legacy.pth', 'model.zip.pth', 'codes', 'vocab']) copyFileSync(join(FIX, f), join(models, f));
  client = await DaemonClient.start(ws.dir, { env: { ...process.env, MASS_BACKEND: 'wasm' } });
});
after(async () => {
  await client.stop();
  ws.cleanup();
});

test('a reference .pth imports next to itself, becomes the model that answers, and translates as the CLI does', async () => {
  const r = await importRequest({ path: join(models, 'model.legacy.pth'), codes: join(models, 'codes') });
  const out = join(models, 'model.legacy.safetensors');
  assert.deepEqual([r.format, r.tensors, r.words], ['legacy', 102, 113]);
  assert.equal(r.checkpoint.path, out);
  assert.equal(r.checkpoint.kind, 'imported');
  assert.deepEqual(r.checkpoint.langs, ['en', 'fr']);
  const status = (await client.connection.sendRequest('mass/status')) as { checkpoint?: { path: string } };
  assert.equal(status.checkpoint?.path, out, 'the imported model answers from now on');

  // the same weights as `mass import`, and the same translation as `mass translate` with them
  const cliOut = join(ws.dir, 'cli.safetensors');
  const cli = await runCli(['import', join(FIX, 'model.legacy.pth'), '--codes', join(FIX, 'codes'), '--out', cliOut]);
  assert.equal(cli.code, 0, cli.stderr);
  const [a, b] = [await readSafetensors(out), await readSafetensors(cliOut)];
  assert.deepEqual([...a.tensors.keys()].sort(), [...b.tensors.keys()].sort());
  for (const [name, t] of a.tensors) assert.deepEqual(toFloat32(t), toFloat32(b.tensors.get(name)!), name);
  const sentence = 'interactive Python accessibility explorer for the GNOME desktop';
  const t = (await client.connection.sendRequest('mass/translate', { text: [sentence], src: 'en', tgt: 'fr' })) as {
    translations: string[];
    checkpoint: string;
  };
  assert.equal(t.checkpoint, out);
  const viaCli = await runCli(['translate', '--model', cliOut, '--src', 'en', '--tgt', 'fr', '--backend', 'wasm', '--quiet'], { input: sentence + '\n' });
  assert.equal(viaCli.code, 0, viaCli.stderr);
  assert.equal(t.translations[0], viaCli.stdout.trimEnd());
});

test('an existing model is replaced only when asked; the zip format imports too', async () => {
  const out = join(models, 'model.legacy.safetensors');
  const before = readFileSync(out);
  const zip = join(models, 'model.zip.pth');
  await assert.rejects(
    importRequest({ path: zip, codes: join(models, 'codes'), out }),
    refused(-32803, /model\.legacy\.safetensors exists; .*overwrite: true/),
  );
  assert.deepEqual(readFileSync(out), before, 'the existing file is untouched');
  const r = await importRequest({ path: zip, codes: join(models, 'codes'), vocab: join(models, 'vocab'), out, overwrite: true });
  assert.equal(r.format, 'zip');
  assert.notDeepEqual(readFileSync(out), before, 'replaced (the vocabulary file adds its counts)');
});

test('bad input is refused with the field or file named, and nothing is written', async () => {
  const codes = join(models, 'codes');
  // outside the workspace: the repository's own copy of the fixture
  await assert.rejects(
    importRequest({ path: join(FIX, 'model.legacy.pth'), codes }),
    refused(-32602, /params\.path: .*model\.legacy\.pth is outside the workspace/),
  );
  await assert.rejects(
    importRequest({ path: join(models, 'model.legacy.pth'), codes, out: join(ROOT, 'x.safetensors') }),
    refused(-32602, /params\.out: .* is outside the workspace/),
  );
  await assert.rejects(importRequest({ path: join(models, 'missing.pth'), codes }), refused(-32602, /params\.path: .*missing\.pth: no such file/));
  await assert.rejects(
    importRequest({ path: join(models, 'model.legacy.pth'), codes, out: join(models, 'm.bin') }),
    refused(-32602, /params\.out: .* ends in \.safetensors/),
  );
  await assert.rejects(importRequest({ path: join(models, 'model.legacy.pth'), codes, out: codes }), refused(-32602, /params\.out/));
  await assert.rejects(importRequest({ path: join(models, 'model.legacy.pth') }), refused(-32602, /codes/));

  // a truncated .pth: refused, and no model file appears
  const whole = readFileSync(join(FIX, 'model.zip.pth'));
  const broken = join(models, 'broken.pth');
  writeFileSync(broken, whole.subarray(0, Math.floor(whole.length / 2)));
  await assert.rejects(importRequest({ path: broken, codes }), refused(-32803, /broken\.pth/));
  assert.ok(!existsSync(join(models, 'broken.safetensors')));

  // a vocabulary that is not the model's (its codes file): names the field and the first differing word
  await assert.rejects(
    importRequest({ path: join(models, 'model.legacy.pth'), codes, vocab: codes, out: join(models, 'v.safetensors') }),
    refused(-32803, /params\.vocab: .*codes/),
  );
  assert.ok(!existsSync(join(models, 'v.safetensors')));

  // the daemon still answers with the model imported before
  const status = (await client.connection.sendRequest('mass/status')) as { checkpoint?: { path: string } };
  assert.equal(status.checkpoint?.path, join(models, 'model.legacy.safetensors'));
  assert.ok(statSync(status.checkpoint!.path).size > 0);
});
