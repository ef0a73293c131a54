import { MASK_INDEX } from '../text/dictionary.js';
import type { SentenceBatch } from '../data/datasets.js';
import { pyRound } from '../util/pyRound.js';
import type { Rng } from '../util/rng.js';
import { fragmentBatch } from './maskSpan.js';
import type { Seq2SeqBatch } from './seq2seqBatch.js';

/**
 * The masking the reference's evaluator uses for validation perplexity/accuracy
 * (`EncDecEvaluator.mask_sent`), copied on purpose so our `valid_*_mass_ppl` numbers mean what the
 * reference's mean. It is older than the training scheme: one span of `max(1, round(len*word_mass)-1)`
 * tokens per sentence, start at 1 (20%), at the end (20%) or uniform (60%), and 80% [MASK] / 15%
 * random id / 5% kept. Callers pass a fresh Rng(0) per evaluation, as the reference does, so every
 * epoch is scored on the same masks.
 */
export function maskForValidation(batch: SentenceBatch, lang: number, wordMass: number, nWords: number, rng: Rng): Seq2SeqBatch {
  const { bs, slen, x, lengths } = batch;
  const src = Int32Array.from(x);
  const starts = new Int32Array(bs);
  const maskLens = new Int32Array(bs);
  for (let b = 0; b < bs; b++) {
    const len = lengths[b]!;
    const maskLen = Math.max(1, pyRound(len * wordMass) - 1);
    const end = len - maskLen + 1;
    const p = rng.random();
    starts[b] = p >= 0.8 ? 1 : p >= 0.6 ? end - 1 : rng.range(1, end);
    maskLens[b] = maskLen;
    for (let j = starts[b]!; j < starts[b]! + maskLen; j++) {
      const q = rng.random();
      const w = x[b * slen + j]!;
      src[b * slen + j] = q >= 0.2 ? MASK_INDEX : q >= 0.05 ? rng.int(nWords) : w;
    }
  }
  const positions = Array.from(maskLens, (n, b) => Array.from({ length: n }, (_, j) => starts[b]! + j));
  return fragmentBatch(batch, src, lang, positions);
}
