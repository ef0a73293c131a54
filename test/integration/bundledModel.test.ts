/**
 * The en↔fr model that ships in models/ (docs/model-card.md) answers when the user names no model:
 * `mass translate` without --model, and the daemon's translate request and status in a workspace that
 * has no checkpoint of its own. Real model, real sentences of the held-out set.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { DaemonClient } from '../helpers/daemonClient.js';
import { ROOT, tempDir } from '../helpers/paths.js';
import { realLines } from '../helpers/realText.js';

const MODEL = join(ROOT, 'models', 'en-fr', 'translation.safetensors');
const ws = tempDir('mass-bundled-');
after(() => ws.cleanup());

test('the bundled model is in the repository, with its description', () => {
  assert.ok(existsSync(MODEL), `${MODEL} is missing`);
  assert.ok(existsSync(`${MODEL}.json`), `${MODEL}.json is missing`);
});

test('mass translate without --model uses the bundled model, both ways, and says so', async () => {
  const en = (await realLines('en-fr', 'valid.en.gz', 3)).join('\n') + '\n';
  const r = await runCli(['translate', '--src', 'en', '--tgt', 'fr', '--backend', 'wasm'], { input: en });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /translate: no --model: the bundled en↔fr model \(models\/en-fr\/translation\.safetensors; see docs\/model-card\.md\)/);
  const out = r.stdout.trimEnd().split('\n');
  assert.equal(out.length, 3);
  assert.ok(
    out.every((l) => l.trim().length > 0),
    r.stdout,
  );
  const fr = (await realLines('en-fr', 'valid.fr.gz', 2)).join('\n') + '\n';
  const back = await runCli(['translate', '-s', 'fr', '-t', 'en', '-q'], { input: fr });
  assert.equal(back.code, 0, back.stderr);
  assert.equal(back.stderr, '', 'quiet');
  assert.equal(back.stdout.trimEnd().split('\n').length, 2);
  const other = await runCli(['translate', '--src', 'en', '--tgt', 'de'], { input: 'Hello.\n' });
  assert.equal(other.code, 1);
  assert.match(other.stderr, /--model CHECKPOINT is required: the bundled model translates only between en and fr/);
});

test('the daemon answers with the bundled model in a workspace without checkpoints, and status names it', async () => {
  const client = await DaemonClient.start(ws.dir);
  try {
    type Status = { backend: string; memory: { rss: number; tensors?: number }; checkpoint?: { kind: string; path: string; langs: string[] } };
    const status = (await client.connection.sendRequest('mass/status')) as Status;
    // naming the bundled model reads only its JSON description: TensorFlow.js is not loaded yet
    assert.equal(status.backend, 'not-loaded');
    assert.equal(status.memory.tensors, undefined);
    assert.equal(status.checkpoint?.kind, 'bundled');
    assert.equal(status.checkpoint?.path, MODEL);
    assert.deepEqual(status.checkpoint?.langs, ['en', 'fr']);
    const sentence = (await realLines('en-fr', 'valid.en.gz', 1))[0]!;
    const r = (await client.connection.sendRequest('mass/translate', { text: [sentence], src: 'en', tgt: 'fr' })) as {
      translations: string[];
      checkpoint: string;
      live: boolean;
    };
    assert.equal(r.checkpoint, MODEL);
    assert.equal(r.live, false);
    assert.equal(r.translations.length, 1);
    assert.ok(r.translations[0]!.trim().length > 0);
    // the translation loaded the engine: status now says which backend answers and counts its tensors
    const after = (await client.connection.sendRequest('mass/status')) as Status;
    assert.notEqual(after.backend, 'not-loaded');
    assert.ok((after.memory.tensors ?? 0) > 0, JSON.stringify(after.memory));
  } finally {
    await client.stop();
  }
});
