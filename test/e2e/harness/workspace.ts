/**
 * The workspace the end-to-end test opens: a slice of the bundled real sample corpus (data/sample),
 * a small training config sized to pre-train in a few minutes on two CPU cores, and a notes file
 * with real sentences to translate and summarize. Lives in a temp folder.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE } from '../../helpers/paths.js';

function head(file: string, n: number): string {
  const lines = readFileSync(join(SAMPLE, file), 'utf8').split('\n').filter(Boolean);
  return lines.slice(0, n).join('\n') + '\n';
}

export interface E2eWorkspace {
  dir: string;
  /** Relative path of the training config. */
  config: string;
  /** A config with a mistake only the daemon's semantic checks catch (n_heads must divide emb_dim). */
  broken: string;
  /** Relative path of the notes file and the sentences in it. */
  notes: string;
  sentences: string[];
}

/** Training settings small enough for a CI machine; the model is tiny, the text is real. */
export const TINY_TRAINING = {
  lgs: 'en-fr',
  data_path: './processed',
  dump_path: './dumped',
  exp_name: 'e2e',
  mass_steps: 'en,fr',
  encoder_only: false,
  emb_dim: 64,
  n_layers: 1,
  n_dec_layers: 1,
  n_heads: 4,
  gelu_activation: true,
  tokens_per_batch: 600,
  optimizer: 'adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.001,warmup_updates=20',
  epoch_size: 400,
  max_epoch: 1000,
  max_steps: 100000,
  log_every: 2,
  word_mass: 0.5,
  min_len: 3,
  max_len: 60,
  backend: 'wasm',
};

export function makeWorkspace(): E2eWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'mass-e2e-workspace-'));
  mkdirSync(join(dir, 'corpus'));
  writeFileSync(join(dir, 'corpus', 'mono.en'), head('mono.en', 2000));
  writeFileSync(join(dir, 'corpus', 'mono.fr'), head('mono.fr', 2000));
  writeFileSync(join(dir, 'corpus', 'train.en'), head('train.en', 500));
  writeFileSync(join(dir, 'corpus', 'train.fr'), head('train.fr', 500));
  writeFileSync(join(dir, 'corpus', 'valid.en'), head('valid.en', 50));
  writeFileSync(join(dir, 'corpus', 'valid.fr'), head('valid.fr', 50));
  const config = 'tiny.mass.json';
  writeFileSync(
    join(dir, config),
    JSON.stringify(
      {
        ...TINY_TRAINING,
        corpora: {
          mono: { en: ['corpus/mono.en'], fr: ['corpus/mono.fr'] },
          para: { 'en-fr': { en: 'corpus/train.en', fr: 'corpus/train.fr' } },
          valid: { 'en-fr': { en: 'corpus/valid.en', fr: 'corpus/valid.fr' } },
          valid_size: 50,
        },
        bpe: { codes: 800 },
      },
      null,
      2,
    ) + '\n',
  );
  const broken = 'broken.mass.json';
  writeFileSync(join(dir, broken), JSON.stringify({ lgs: 'en-fr', mass_steps: 'en,fr', emb_dim: 64, n_heads: 3 }, null, 2) + '\n');
  // Real sentences from the held-out validation text (not trained on).
  const sentences = readFileSync(join(SAMPLE, 'valid.en'), 'utf8')
    .split('\n')
    .filter((l) => l.split(' ').length >= 6 && l.split(' ').length <= 14 && /^[\x20-\x7e]+$/.test(l))
    .slice(0, 3);
  const notes = 'notes.txt';
  writeFileSync(join(dir, notes), sentences.join('\n') + '\n');
  return { dir, config, broken, notes, sentences };
}
