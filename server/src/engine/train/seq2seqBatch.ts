/**
 * One batch for any encoder-decoder step (MASS, back-translation, supervised MT, summarization),
 * batch-major (the reference is time-major: (len, bs)). Flat typed arrays, row-major, so batches are
 * cheap to build, to hash for determinism checks and to ship to a backend.
 */
export interface Seq2SeqBatch {
  /** Sentences in the batch. */
  bs: number;
  /** Padded encoder length (columns of `src`). */
  srcLen: number;
  /** Encoder input ids, bs*srcLen, padded with the dictionary's pad index. */
  src: Int32Array;
  /** Real length of each encoder row (including both `</s>`). */
  srcLengths: Int32Array;
  /** Language id of each encoder token, bs*srcLen. */
  srcLangs: Int32Array;
  /**
   * 1 where decoder cross-attention may look: inside the row's length and not `[MASK]`
   * (MASS: `enc_mask = x1.ne(mask_index)`); absent means "every position inside the length".
   */
  encMask?: Uint8Array;
  /** Padded decoder length. */
  tgtLen: number;
  /** Decoder input ids, bs*tgtLen. */
  tgtIn: Int32Array;
  /** Position id of each decoder input token (MASS: the original positions of the fragment). */
  tgtPositions: Int32Array;
  /** Real length of each decoder row. */
  tgtLengths: Int32Array;
  /** Language id of each decoder token, bs*tgtLen. */
  tgtLangs: Int32Array;
  /** Gold id predicted from decoder output t, bs*tgtLen; meaningful only where predMask is 1. */
  targets: Int32Array;
  /** 1 where the loss is taken. */
  predMask: Uint8Array;
  /**
   * Label smoothing ε of this batch's loss (supervised/s2s steps with --label_smoothing); absent or 0
   * is plain cross-entropy, as MASS and back-translation steps use.
   */
  labelSmoothing?: number;
}

/** Number of predicted (target) tokens in a batch. */
export function targetTokenCount(b: Seq2SeqBatch): number {
  let n = 0;
  for (const m of b.predMask) n += m;
  return n;
}
