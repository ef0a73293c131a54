/**
 * A workspace with a little real text (en-fr, from data/corpora) and a config for a model small
 * enough to train for a few updates in seconds: what the daemon fault tests run their jobs on.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './paths.js';
import { realLines } from './realText.js';

export function tinySettings(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    lgs: 'en-fr',
    data_path: './data/processed',
    dump_path: './dumped',
    corpora: { mono: { en: ['mono.en'], fr: ['mono.fr'] }, valid: { 'en-fr': { en: 'valid.en', fr: 'valid.fr' } }, valid_size: 20 },
    bpe: { codes: 200 },
    mass_steps: 'en,fr',
    emb_dim: 16,
    n_layers: 1,
    n_dec_layers: 1,
    n_heads: 2,
    tokens_per_batch: 300,
    optimizer: 'adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.001,warmup_updates=10',
    epoch_size: 100,
    max_epoch: 10000,
    max_len: 40,
    log_every: 1,
    exp_name: 'tiny',
    exp_id: 'run',
    ...extra,
  };
}

export async function tinyWorkspace(
  prefix: string,
  lines = 600,
): Promise<{ dir: string; config: string; cleanup: () => void; write: (name: string, settings: Record<string, unknown>) => string }> {
  const ws = tempDir(prefix);
  const p = (f: string) => join(ws.dir, f);
  writeFileSync(p('mono.en'), (await realLines('en-fr', 'mono.en.gz', lines)).join('\n') + '\n');
  writeFileSync(p('mono.fr'), (await realLines('en-fr', 'mono.fr.gz', lines)).join('\n') + '\n');
  writeFileSync(p('valid.en'), (await realLines('en-fr', 'valid.en.gz', 40)).join('\n') + '\n');
  writeFileSync(p('valid.fr'), (await realLines('en-fr', 'valid.fr.gz', 40)).join('\n') + '\n');
  const write = (name: string, settings: Record<string, unknown>) => {
    writeFileSync(p(name), JSON.stringify(settings, null, 2));
    return p(name);
  };
  const config = write('mass.config.json', tinySettings());
  return { dir: ws.dir, config, cleanup: ws.cleanup, write };
}
