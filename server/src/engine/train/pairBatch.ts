import type { SentenceBatch } from '../data/datasets.js';
import type { Seq2SeqBatch } from './seq2seqBatch.js';

/**
 * A translation / sequence-to-sequence batch as the reference's `mt_step` builds it: the encoder reads
 * `</s> x </s>`, the decoder reads `</s> y </s>` at positions 0.. and predicts y and the final `</s>`
 * (`pred_mask = alen < len2 - 1`, `y = x2[1:]`). Used for supervised MT, back-translation (with the
 * generated sentence as source), summarization and response generation.
 */
export function pairBatch(source: SentenceBatch, sourceLang: number, target: SentenceBatch, targetLang: number): Seq2SeqBatch {
  if (source.bs !== target.bs) throw new Error(`pairBatch: ${source.bs} sources but ${target.bs} targets`);
  const bs = source.bs;
  const tgtLen = target.slen;
  const tgtPositions = new Int32Array(bs * tgtLen);
  const targets = new Int32Array(bs * tgtLen);
  const predMask = new Uint8Array(bs * tgtLen);
  for (let b = 0; b < bs; b++) {
    for (let t = 0; t < tgtLen; t++) {
      const i = b * tgtLen + t;
      tgtPositions[i] = t;
      if (t < target.lengths[b]! - 1) {
        targets[i] = target.x[i + 1]!;
        predMask[i] = 1;
      } else {
        targets[i] = target.x[i]!;
      }
    }
  }
  return {
    bs,
    srcLen: source.slen,
    src: source.x,
    srcLengths: source.lengths,
    srcLangs: new Int32Array(bs * source.slen).fill(sourceLang),
    tgtLen,
    tgtIn: target.x,
    tgtPositions,
    tgtLengths: target.lengths,
    tgtLangs: new Int32Array(bs * tgtLen).fill(targetLang),
    targets,
    predMask,
  };
}
