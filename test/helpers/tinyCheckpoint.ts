/**
 * A real checkpoint for the translate/summarize tests: real en-fr pairs through the real text
 * pipeline (Moses tokenization, BPE codes learned on them, vocabulary of the BPE'd text), a tiny
 * model trained to (over)fit a few pairs, saved with saveCheckpoint as `mass train` saves one.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { batchIdLists } from '../../server/src/engine/data/datasets.js';
import { vocabularyFromText } from '../../server/src/engine/generate/textCodec.js';
import { makeModelConfig } from '../../server/src/engine/model/config.js';
import { MassModel } from '../../server/src/engine/model/model.js';
import { AdamInverseSqrt } from '../../server/src/engine/train/adamInverseSqrt.js';
import { CHECKPOINT_FORMAT } from '../../server/src/engine/checkpoint/safetensorsCheckpoint.js';
import { saveCheckpoint } from '../../server/src/engine/train/saveCheckpoint.js';
import { pairBatch } from '../../server/src/engine/train/pairBatch.js';
import { Trainer } from '../../server/src/engine/train/trainStep.js';
import { BpeCodes } from '../../server/src/engine/text/bpe/codes.js';
import { applyBpe } from '../../server/src/engine/text/bpe/applyBpe.js';
import { formatCodes, learnBpe } from '../../server/src/engine/text/bpe/learnBpe.js';
import { formatVocab, getVocab } from '../../server/src/engine/text/bpe/vocab.js';
import { mosesPreprocess } from '../../server/src/engine/text/moses/pipeline.js';
import { realLines } from './realText.js';

export interface TinyCheckpoint {
  path: string;
  /** The raw pairs the model was trained on (it reproduces most of them). */
  pairs: { en: string; fr: string }[];
  losses: number[];
}

export async function buildTinyCheckpoint(dir: string, opts: { pairs: number; steps: number; nMaxPositions?: number }): Promise<TinyCheckpoint> {
  const en = await realLines('en-fr', 'train.en.gz', 3000);
  const fr = await realLines('en-fr', 'train.fr.gz', 3000);
  // BPE is learned on all 3000 pairs (realistic codes); the model trains on a few short ones.
  const tok = { en: en.map((l) => mosesPreprocess(l, 'en')), fr: fr.map((l) => mosesPreprocess(l, 'fr')) };
  const tokFile = join(dir, 'train.tok');
  writeFileSync(tokFile, [...tok.en, ...tok.fr].join('\n') + '\n');
  const codesText = formatCodes((await learnBpe([tokFile], 1500)).merges);
  const codes = BpeCodes.parse(codesText, 'codes');
  const bpeFile = join(dir, 'train.bpe');
  writeFileSync(bpeFile, [...tok.en, ...tok.fr].map((l) => applyBpe(l, codes)).join('\n') + '\n');
  const vocabText = formatVocab(await getVocab([bpeFile]));
  const { dictionary } = vocabularyFromText(vocabText, 'vocab');

  const pairs: { en: string; fr: string }[] = [];
  const ids: { en: number[]; fr: number[] }[] = [];
  for (let i = 0; i < en.length && pairs.length < opts.pairs; i++) {
    const a = dictionary.indexLine(applyBpe(tok.en[i], codes)).ids;
    const b = dictionary.indexLine(applyBpe(tok.fr[i], codes)).ids;
    if (a.length < 3 || a.length > 10 || b.length < 3 || b.length > 10 || pairs.some((p) => p.en === en[i])) continue;
    pairs.push({ en: en[i], fr: fr[i] });
    ids.push({ en: a, fr: b });
  }
  const config = makeModelConfig({
    emb_dim: 64,
    n_heads: 4,
    n_layers: 2,
    n_dec_layers: 2,
    n_words: dictionary.size,
    n_langs: 2,
    id2lang: { 0: 'en', 1: 'fr' },
    n_max_positions: opts.nMaxPositions ?? 64,
  });
  const model = MassModel.init(config, 11);
  const trainer = new Trainer(model, new AdamInverseSqrt({ lr: 3e-3, warmupUpdates: 20, warmupInitLr: 1e-4 }));
  const losses: number[] = [];
  const bs = Math.min(32, ids.length);
  for (let step = 0; step < opts.steps; step++) {
    const chunk = Array.from({ length: bs }, (_, i) => ids[(step * bs + i) % ids.length]);
    losses.push(trainer.step([pairBatch(batchIdLists(chunk.map((p) => p.en)), 0, batchIdLists(chunk.map((p) => p.fr)), 1)], step).loss);
  }
  const path = join(dir, 'tiny.safetensors');
  await saveCheckpoint(path, model, {
    format: CHECKPOINT_FORMAT,
    kind: 'best-valid_en-fr_mt_bleu',
    experiment: 'tiny-test',
    model: config,
    // as the trainer records them: absolute folders of this machine
    settings: { max_vocab: -1, min_count: 0, dump_path: dir, data_path: join(dir, 'processed') },
    langs: ['en', 'fr'],
    tasks: ['mt'],
    epoch: 0,
    updates: opts.steps,
    scores: {},
    savedAt: new Date().toISOString(),
    vocab: vocabText,
    codes: codesText,
  });
  model.dispose();
  return { path, pairs, losses };
}
