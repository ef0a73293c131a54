import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../server/src/engine/backend/selectBackend.js';
import { batchIdLists } from '../../../server/src/engine/data/datasets.js';
import { BatchStream } from '../../../server/src/engine/data/batching.js';
import { packSentences } from '../../../server/src/engine/data/binarized.js';
import { generateGreedy } from '../../../server/src/engine/generate/greedy.js';
import { makeModelConfig } from '../../../server/src/engine/model/config.js';
import { MassModel } from '../../../server/src/engine/model/model.js';
import { AdamInverseSqrt } from '../../../server/src/engine/train/adamInverseSqrt.js';
import { pairBatch } from '../../../server/src/engine/train/pairBatch.js';
import { backTranslationBatch } from '../../../server/src/engine/train/stepBatches.js';
import { Trainer } from '../../../server/src/engine/train/trainStep.js';
import { seq2seqLoss } from '../../../server/src/engine/model/seq2seqLoss.js';
import { Dictionary, EOS_INDEX } from '../../../server/src/engine/text/dictionary.js';
import { realLines } from '../../helpers/realText.js';

const EN = 0;
const FR = 1;

test('back-translation round trip: en → fr → en with a tiny model trained both ways on real pairs', async () => {
  await initBackend('wasm');
  const en = await realLines('en-fr', 'train.en.gz', 400);
  const fr = await realLines('en-fr', 'train.fr.gz', 400);
  const words = (s: string) => s.split(/\s+/).filter(Boolean);
  const pairs = en
    .map((e, i) => [e, fr[i]!] as const)
    .filter(([e, f]) => words(e).length >= 3 && words(e).length <= 6 && words(f).length >= 3 && words(f).length <= 7)
    .slice(0, 12);
  const counts = new Map<string, number>();
  for (const [e, f] of pairs) for (const w of [...words(e), ...words(f)]) counts.set(w, (counts.get(w) ?? 0) + 1);
  const dictionary = Dictionary.fromEntries([...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  const ids = pairs.map(([e, f]) => ({ en: dictionary.indexLine(e).ids, fr: dictionary.indexLine(f).ids }));
  const model = MassModel.init(
    makeModelConfig({ emb_dim: 64, n_heads: 4, n_layers: 2, n_dec_layers: 2, n_words: dictionary.size, n_langs: 2, id2lang: { 0: 'en', 1: 'fr' } }),
    3,
  );
  const trainer = new Trainer(model, new AdamInverseSqrt({ lr: 3e-3, warmupUpdates: 20, warmupInitLr: 1e-4 }));
  const enBatch = batchIdLists(ids.map((p) => p.en));
  const frBatch = batchIdLists(ids.map((p) => p.fr));
  for (let step = 0; step < 160; step++) {
    trainer.step([step % 2 ? pairBatch(frBatch, FR, enBatch, EN) : pairBatch(enBatch, EN, frBatch, FR)], step);
  }

  // The BT step's own batch: English sentences translated to French by the model (greedy, eval mode),
  // paired with the originals as targets.
  const { offsets, tokens } = packSentences(
    ids.map((p) => p.en),
    dictionary.size,
  );
  const mono = {
    header: { version: 1 as const, dtype: 'uint16' as const, nSentences: ids.length, nTokens: tokens.length, dictionary: dictionary.fingerprint(), source: {} },
    offsets,
    tokens,
  };
  const all = Int32Array.from(ids.keys());
  const stream = new BatchStream(
    'bt-en',
    all,
    new Int32Array(ids.length).fill(5),
    { tokensPerBatch: -1, batchSize: ids.length, maxBatchSize: 0, groupBySize: false },
    1,
  );
  const bt = backTranslationBatch(model, stream, mono, EN, FR);
  assert.ok(bt.srcLangs.every((l) => l === FR) && bt.tgtLangs.every((l) => l === EN), 'trains fr → en');
  // the synthetic French sources are the model's translations of the originals
  let frExact = 0;
  for (let b = 0; b < bt.bs; b++) {
    const row = Array.from(bt.src.subarray(b * bt.srcLen + 1, b * bt.srcLen + bt.srcLengths[b]! - 1));
    const original = ids.findIndex((p) => p.en.join() === Array.from(bt.tgtIn.subarray(b * bt.tgtLen + 1, b * bt.tgtLen + bt.tgtLengths[b]! - 1)).join());
    assert.ok(original >= 0, 'targets are the original English sentences');
    if (row.join() === ids[original]!.fr.join()) frExact++;
  }
  assert.ok(frExact >= bt.bs * 0.75, `en → fr reproduces most training translations (${frExact}/${bt.bs})`);

  // and back: fr → en recovers the English originals
  const fwd = generateGreedy(model, { bs: bt.bs, len: bt.srcLen, tokens: bt.src, lengths: bt.srcLengths, langs: bt.srcLangs }, EN, 20);
  let roundTrip = 0;
  for (let b = 0; b < bt.bs; b++) {
    const target = Array.from(bt.tgtIn.subarray(b * bt.tgtLen + 1, b * bt.tgtLen + bt.tgtLengths[b]! - 1));
    const got = Array.from(fwd.ids[b]!).filter((t) => t !== EOS_INDEX);
    if (got.join() === target.join()) roundTrip++;
  }
  assert.ok(roundTrip >= bt.bs * 0.75, `round trip en → fr → en recovers the originals (${roundTrip}/${bt.bs})`);

  // a BT update on its own batch lowers that batch's loss
  const lossOf = () => {
    const l = seq2seqLoss(model, bt);
    const v = l.dataSync()[0]!;
    l.dispose();
    return v;
  };
  const before = lossOf();
  for (let i = 0; i < 5; i++) trainer.step([bt], 1000 + i);
  const after = lossOf();
  assert.ok(after < before, `BT loss ${before.toFixed(4)} → ${after.toFixed(4)}`);
  model.dispose();
});
