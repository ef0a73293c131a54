/**
 * A tiny translation model trained briefly on real en→fr pairs (word-level joint dictionary), so
 * decoding tests see peaked, varied distributions rather than a random model's near-uniform ones.
 * Deterministic: same data, seed and step count give the same weights.
 */
import { batchIdLists } from '../../server/src/engine/data/datasets.js';
import { makeModelConfig } from '../../server/src/engine/model/config.js';
import { MassModel } from '../../server/src/engine/model/model.js';
import { AdamInverseSqrt } from '../../server/src/engine/train/adamInverseSqrt.js';
import { pairBatch } from '../../server/src/engine/train/pairBatch.js';
import { Trainer } from '../../server/src/engine/train/trainStep.js';
import { Dictionary } from '../../server/src/engine/text/dictionary.js';
import { realLines } from './realText.js';

export interface TrainedPairModel {
  model: MassModel;
  dictionary: Dictionary;
  /** Held-out English sentences (not trained on), as word ids. */
  heldOut: number[][];
  /** Training pairs as word ids. */
  pairs: { en: number[]; fr: number[] }[];
  losses: number[];
}

/** Real pairs of 2..maxWords words on both sides. */
async function shortPairs(n: number, maxWords: number): Promise<{ en: string; fr: string }[]> {
  const en = await realLines('en-fr', 'train.en.gz', 20 * n);
  const fr = await realLines('en-fr', 'train.fr.gz', 20 * n);
  const out: { en: string; fr: string }[] = [];
  const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
  for (let i = 0; i < Math.min(en.length, fr.length) && out.length < n; i++) {
    const a = words(en[i]);
    const b = words(fr[i]);
    if (a >= 2 && a <= maxWords && b >= 2 && b <= maxWords) out.push({ en: en[i], fr: fr[i] });
  }
  return out;
}

export async function trainTinyTranslator(opts: { steps: number; pairs?: number; seed?: number; emb?: number } = { steps: 150 }): Promise<TrainedPairModel> {
  const data = await shortPairs((opts.pairs ?? 400) + 40, 10);
  const counts = new Map<string, number>();
  for (const p of data) for (const w of `${p.en} ${p.fr}`.split(/\s+/).filter(Boolean)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 1500);
  const dictionary = Dictionary.fromEntries(sorted);
  const ids = (s: string) => dictionary.indexLine(s).ids;
  const pairs = data.slice(0, data.length - 40).map((p) => ({ en: ids(p.en), fr: ids(p.fr) }));
  const heldOut = data.slice(data.length - 40).map((p) => ids(p.en));
  const emb = opts.emb ?? 64;
  const config = makeModelConfig({
    emb_dim: emb,
    n_heads: 4,
    n_layers: 2,
    n_dec_layers: 2,
    n_words: dictionary.size,
    n_langs: 2,
    id2lang: { 0: 'en', 1: 'fr' },
  });
  const model = MassModel.init(config, opts.seed ?? 7);
  const trainer = new Trainer(model, new AdamInverseSqrt({ lr: 2e-3, warmupUpdates: 30, warmupInitLr: 1e-4 }));
  const losses: number[] = [];
  const bs = 32;
  for (let step = 0; step < opts.steps; step++) {
    const start = (step * bs) % pairs.length;
    const chunk = Array.from({ length: bs }, (_, i) => pairs[(start + i) % pairs.length]);
    const batch = pairBatch(batchIdLists(chunk.map((p) => p.en)), 0, batchIdLists(chunk.map((p) => p.fr)), 1);
    losses.push(trainer.step([batch], step).loss);
  }
  return { model, dictionary, heldOut, pairs, losses };
}
