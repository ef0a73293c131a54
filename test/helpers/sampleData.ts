import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './cli.js';
import { SAMPLE } from './paths.js';

/**
 * A small workspace of real text (cut from data/sample) preprocessed with the real pipeline into
 * `dir/processed`; returns the config path. `lines` limits the mono/parallel files.
 */
export async function preparedWorkspace(dir: string, opts: { lines?: number; codes?: number; extra?: Record<string, unknown> } = {}): Promise<string> {
  const n = opts.lines ?? 3000;
  const head = (f: string, k: number) => writeFileSync(join(dir, f), readFileSync(join(SAMPLE, f), 'utf8').split('\n').slice(0, k).join('\n') + '\n');
  head('mono.en', n);
  head('mono.fr', n);
  head('train.en', Math.min(n, 6000));
  head('train.fr', Math.min(n, 6000));
  head('summarization.train.jsonl', Math.min(n, 3000));
  head('summarization.valid.jsonl', 100);
  copyFileSync(join(SAMPLE, 'valid.en'), join(dir, 'valid.en'));
  copyFileSync(join(SAMPLE, 'valid.fr'), join(dir, 'valid.fr'));
  const config = {
    lgs: 'en-fr',
    data_path: 'processed',
    dump_path: 'dumped',
    exp_name: 'test',
    corpora: {
      mono: { en: ['mono.en'], fr: ['mono.fr'] },
      para: { 'en-fr': { en: 'train.en', fr: 'train.fr' } },
      valid: { 'en-fr': { en: 'valid.en', fr: 'valid.fr' } },
      s2s: {
        summarization: { jsonl: 'summarization.train.jsonl', valid_jsonl: 'summarization.valid.jsonl', source_field: 'article', target_field: 'summary' },
      },
      valid_size: 200,
    },
    bpe: { codes: opts.codes ?? 1000 },
    mass_steps: 'en,fr',
    emb_dim: 32,
    n_layers: 1,
    n_dec_layers: 1,
    n_heads: 2,
    gelu_activation: true,
    tokens_per_batch: 400,
    optimizer: 'adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.001,warmup_updates=10',
    epoch_size: 1000,
    max_epoch: 1,
    word_mass: 0.5,
    min_len: 3,
    backend: 'wasm',
    log_every: 1,
    ...opts.extra,
  };
  const path = join(dir, 'mass.config.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  const r = await runCli(['preprocess', '--config', path]);
  if (r.code !== 0) throw new Error(`preprocess failed: ${r.stderr}`);
  return path;
}

/** The JSONL records of an experiment folder's train.jsonl. */
export function jsonl(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
