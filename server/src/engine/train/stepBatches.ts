import type { BatchStream } from '../data/batching.js';
import { batchIdLists, batchSentences } from '../data/datasets.js';
import type { MassModel } from '../model/model.js';
import type { Rng } from '../util/rng.js';
import { generateGreedy, generateGreedyAsync } from '../generate/greedy.js';
import { maskSpans, type MassMaskOptions } from './maskSpan.js';
import { pairBatch } from './pairBatch.js';
import type { Seq2SeqBatch } from './seq2seqBatch.js';
import type { PairData } from './trainingData.js';
import type { BinarizedData } from '../data/binarized.js';
import { truncate } from './evaluate.js';

/** A MASS step's batch: sentences of one language, span-masked (`mass_step`). */
export function massBatch(stream: BatchStream, data: BinarizedData, lang: number, mask: MassMaskOptions, rng: Rng): Seq2SeqBatch {
  return maskSpans(batchSentences(data, stream.next()), lang, mask, rng);
}

/**
 * A supervised step's batch (`mt_step`; also summarization/dialogue pairs). `forward` false reads the
 * stored pair the other way round. Long s2s sources are cut to maxLen tokens.
 */
export function supervisedBatch(
  stream: BatchStream,
  pair: PairData,
  forward: boolean,
  srcLang: number,
  tgtLang: number,
  labelSmoothing: number,
  maxSourceLen = 0,
): Seq2SeqBatch {
  const ids = stream.next();
  let src = batchSentences(forward ? pair.src : pair.tgt, ids);
  const tgt = batchSentences(forward ? pair.tgt : pair.src, ids);
  if (maxSourceLen > 0) src = truncate(src, maxSourceLen + 2);
  return { ...pairBatch(src, srcLang, tgt, tgtLang), labelSmoothing };
}

/**
 * Back-translation (`bt_step`): translate a batch of lang1 sentences into lang2 with the current model
 * in eval mode (greedy, max_len = 1.3·len + 5, no gradient), then train lang2 → lang1 on
 * (generated, original).
 */
export function backTranslationBatch(model: MassModel, stream: BatchStream, data: BinarizedData, lang1: number, lang2: number): Seq2SeqBatch {
  const { original, source, maxLen } = btSource(stream, data, lang1);
  const generated = generateGreedy(model, source, lang2, maxLen);
  return pairBatch(batchIdLists(generated.ids), lang2, original, lang1);
}

/** {@link backTranslationBatch} decoding with asynchronous read-back (webgpu). */
export async function backTranslationBatchAsync(
  model: MassModel,
  stream: BatchStream,
  data: BinarizedData,
  lang1: number,
  lang2: number,
): Promise<Seq2SeqBatch> {
  const { original, source, maxLen } = btSource(stream, data, lang1);
  const generated = await generateGreedyAsync(model, source, lang2, maxLen);
  return pairBatch(batchIdLists(generated.ids), lang2, original, lang1);
}

function btSource(stream: BatchStream, data: BinarizedData, lang1: number) {
  const original = batchSentences(data, stream.next());
  const maxLen = Math.floor(1.3 * original.slen + 5);
  const source = { bs: original.bs, len: original.slen, tokens: original.x, lengths: original.lengths, langs: new Int32Array(original.x.length).fill(lang1) };
  return { original, source, maxLen };
}
