/**
 * The MASS pre-trained model that ships in models/en-fr/pretrained.safetensors as the starting point of
 * a user's own fine-tuning: `reload_model: "bundled:pretrained"` in a config (CLI), and the daemon's
 * Fine-tune with `checkpoint: "bundled:pretrained"`. Its BPE codes, vocabulary and architecture come
 * with it; data split another way is refused. Real model, real sentences of the en-fr corpus.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompletionItem } from 'vscode-languageserver';
import { runCli } from '../helpers/cli.js';
import { DaemonClient, fileUri } from '../helpers/daemonClient.js';
import { ROOT, tempDir } from '../helpers/paths.js';
import { realLines } from '../helpers/realText.js';
import type { BundledModelInfo, JobStarted, TrainingEvent } from '../../server/src/protocol.js';
import { readCheckpointVocabulary } from '../../server/src/engine/checkpoint/safetensorsCheckpoint.js';

const MODEL = join(ROOT, 'models', 'en-fr', 'pretrained.safetensors');
let ws: { dir: string; cleanup: () => void };
const p = (f: string) => join(ws.dir, f);

/** A small fine-tuning config on 300 real pairs; the architecture is left to the defaults on purpose. */
function config(extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      lgs: 'en-fr',
      data_path: 'processed',
      dump_path: 'dumped',
      exp_name: 'ft',
      corpora: { para: { 'en-fr': { en: 'train.en', fr: 'train.fr' } }, valid: { 'en-fr': { en: 'valid.en', fr: 'valid.fr' } } },
      mt_steps: 'en-fr,fr-en',
      tokens_per_batch: 400,
      epoch_size: 60,
      max_epoch: 1,
      workers: 1,
      backend: 'wasm',
      ...extra,
    },
    null,
    2,
  );
}

before(async () => {
  ws = tempDir('mass-pretrained-');
  writeFileSync(p('train.en'), (await realLines('en-fr', 'train.en.gz', 300)).join('\n') + '\n');
  writeFileSync(p('train.fr'), (await realLines('en-fr', 'train.fr.gz', 300)).join('\n') + '\n');
  writeFileSync(p('valid.en'), (await realLines('en-fr', 'valid.en.gz', 40)).join('\n') + '\n');
  writeFileSync(p('valid.fr'), (await realLines('en-fr', 'valid.fr.gz', 40)).join('\n') + '\n');
});
after(() => ws?.cleanup());

test('the pre-trained model is in the repository, with its description', () => {
  assert.ok(existsSync(MODEL), `${MODEL} is missing`);
  const meta = JSON.parse(readFileSync(`${MODEL}.json`, 'utf8')) as { tasks: string[]; langs: string[] };
  assert.deepEqual(meta.langs, ['en', 'fr']);
  assert.deepEqual(meta.tasks, ['mass'], 'pre-trained with MASS only');
});

test('CLI: reload_model bundled:pretrained brings its subwords and architecture, and its weights train on', async () => {
  writeFileSync(p('mass.config.json'), config({ reload_model: 'bundled:pretrained', exp_id: 'cli' }));
  const pre = await runCli(['preprocess', '--config', 'mass.config.json'], { cwd: ws.dir });
  assert.equal(pre.code, 0, pre.stderr);
  assert.match(pre.stderr, /using the BPE codes and vocabulary of .*models\/en-fr\/pretrained\.safetensors \(reload_model\)/);
  const { vocab, codes } = await readCheckpointVocabulary(MODEL, 'test');
  assert.equal(readFileSync(p('processed/vocab'), 'utf8'), vocab, 'the data uses the model vocabulary, word for word');
  assert.equal(readFileSync(p('processed/codes'), 'utf8'), codes);

  const train = await runCli(['train', '--config', 'mass.config.json', '--max_steps', '2'], { cwd: ws.dir, timeoutMs: 300_000 });
  assert.equal(train.code, 0, train.stderr);
  const log = train.stdout + train.stderr;
  // the config left emb_dim etc. at their defaults (512, 8 heads, 6 decoder layers): the model's are used, and said
  assert.match(log, /reload_model bundled:pretrained: architecture taken from the model \(emb_dim 512 → 256, n_heads 8 → 4/);
  assert.match(log, /14,565,202 parameters/);
  // pre-trained weights: the validation perplexity after two updates is far below a fresh model's
  // (a fresh model is near the vocabulary size, 16,681, here)
  const ppl = Number(/valid_en-fr_mt_ppl=([\d.]+)/.exec(log)?.[1]);
  assert.ok(ppl > 1 && ppl < 2000, `valid en→fr perplexity ${ppl}`);
});

test('CLI: data split with other codes, an unknown bundled name, refused with what to do', async () => {
  // the same pairs preprocessed with codes learned on them
  writeFileSync(p('own.mass.json'), config({ data_path: 'own', bpe: { codes: 300 }, exp_id: 'own' }));
  const pre = await runCli(['preprocess', '--config', 'own.mass.json'], { cwd: ws.dir });
  assert.equal(pre.code, 0, pre.stderr);
  const r = await runCli(['train', '--config', 'own.mass.json', '--reload_model', 'bundled:pretrained', '--max_steps', '1'], { cwd: ws.dir });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /reload_model: bundled:pretrained needs the data split with its own BPE codes and vocabulary, but .*own\/vocab is another/);
  assert.ok(!existsSync(p('dumped/ft/own')), 'nothing written');
  const bad = await runCli(['train', '--config', 'own.mass.json', '--reload_model', 'bundled:bert', '--max_steps', '1'], { cwd: ws.dir });
  assert.equal(bad.code, 1);
  assert.match(
    bad.stderr,
    /reload_model: 'bundled:bert' names no bundled model; the package ships bundled:pretrained, bundled:translation, bundled:summarization/,
  );
});

test('daemon: lists the bundled models, completes and checks the name, and fine-tunes from it', async () => {
  const cfgPath = p('mass.config.json');
  writeFileSync(cfgPath, config({ exp_id: 'daemon', data_path: 'daemon-data' }));
  const client = await DaemonClient.start(ws.dir, { capabilities: { window: { workDoneProgress: true } } });
  try {
    const { models } = (await client.connection.sendRequest('mass/bundledModels')) as { models: BundledModelInfo[] };
    const pre = models.find((m) => m.name === 'bundled:pretrained');
    assert.equal(pre?.path, MODEL);
    assert.deepEqual(pre?.langs, ['en', 'fr']);
    assert.ok(models.some((m) => m.name === 'bundled:translation'));

    // the config editor: completion offers it, an unknown name is an error on the field
    const text = config({ exp_id: 'daemon', data_path: 'daemon-data', reload_model: 'bundled:bert' });
    await client.open(cfgPath, text);
    const diags = await client.diagnosticsOf(cfgPath, (d) => d.some((x) => x.code === 'reload_model'));
    assert.match(diags.find((x) => x.code === 'reload_model')!.message, /'bundled:bert' names no bundled model/);
    const line = text.split('\n').findIndex((l) => l.includes('"reload_model"'));
    const items = (await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: fileUri(cfgPath) },
      position: { line, character: text.split('\n')[line]!.indexOf('bundled:bert') },
    })) as CompletionItem[];
    assert.ok(
      items.some((i) => i.label === 'bundled:pretrained'),
      items.map((i) => i.label).join(', '),
    );
    await client.change(cfgPath, config({ exp_id: 'daemon', data_path: 'daemon-data' }), 2);

    await assert.rejects(
      client.connection.sendRequest('mass/finetune', { config: cfgPath, kind: 'mt', checkpoint: 'bundled:bert' }),
      /mass\/finetune: params\.checkpoint: 'bundled:bert' names no bundled model/,
    );
    const { job } = (await client.connection.sendRequest('mass/finetune', {
      config: cfgPath,
      kind: 'mt',
      checkpoint: 'bundled:pretrained',
      overrides: { max_steps: 2 },
    })) as JobStarted;
    const events = () => client.notifications.filter((n) => n.method === 'mass/trainingEvent').map((n) => n.params as TrainingEvent);
    const end = await client.waitFor('the job to end', () => events().find((e) => e.jobId === job.id && ['finished', 'failed'].includes(e.kind)), 300_000);
    assert.equal(end.kind, 'finished', end.message);
    // the workspace's data was split with the model's subwords, not codes learned on it
    const { vocab } = await readCheckpointVocabulary(MODEL, 'test');
    assert.equal(readFileSync(p('daemon-data/vocab'), 'utf8'), vocab);
    const ppl = end.scores?.['valid_en-fr_mt_ppl'] ?? NaN;
    assert.ok(ppl > 1 && ppl < 2000, `valid en→fr perplexity ${ppl}`);
  } finally {
    await client.stop();
  }
});
