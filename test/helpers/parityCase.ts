/**
 * The inputs of a case of the MASS parity fixture (test/fixtures/mass-parity/cases.json, batch-major,
 * see its README) as the Seq2SeqBatch our model and trainer take, and the forward pass it checks.
 */
import type { Tensor } from '../../server/src/engine/backend/tf.js';
import { decode } from '../../server/src/engine/model/decoder.js';
import { encode } from '../../server/src/engine/model/encoder.js';
import type { MassModel } from '../../server/src/engine/model/model.js';
import { crossEntropy, gatherRows, predictLogits } from '../../server/src/engine/model/output.js';
import type { Seq2SeqBatch } from '../../server/src/engine/train/seq2seqBatch.js';

export interface ParityInputs {
  src_tokens: number[][];
  src_lengths: number[];
  src_langs: number[][];
  enc_mask: boolean[][];
  tgt_tokens: number[][];
  tgt_lengths: number[];
  tgt_positions: number[][];
  tgt_langs: number[][];
  pred_mask: boolean[][];
  y: number[];
  pred_rows_batch_time: [number, number][];
}

const i32 = (rows: number[][]) => Int32Array.from(rows.flat());
const u8 = (rows: boolean[][]) => Uint8Array.from(rows.flat().map((b) => (b ? 1 : 0)));

export function parityBatch(x: ParityInputs): Seq2SeqBatch {
  const bs = x.src_tokens.length;
  const tgtLen = x.tgt_tokens[0]!.length;
  // Gold ids per decoder position from the time-major y / row list.
  const targets = new Int32Array(bs * tgtLen);
  x.pred_rows_batch_time.forEach(([b, t], k) => (targets[b * tgtLen + t] = x.y[k]!));
  return {
    bs,
    srcLen: x.src_tokens[0]!.length,
    src: i32(x.src_tokens),
    srcLengths: Int32Array.from(x.src_lengths),
    srcLangs: i32(x.src_langs),
    encMask: u8(x.enc_mask),
    tgtLen,
    tgtIn: i32(x.tgt_tokens),
    tgtPositions: i32(x.tgt_positions),
    tgtLengths: Int32Array.from(x.tgt_lengths),
    tgtLangs: i32(x.tgt_langs),
    targets,
    predMask: u8(x.pred_mask),
  };
}

/**
 * The fixture's forward pass, output for output as the reference records it: encoder and decoder
 * outputs, the logits of the predicted rows (time-major over (tgt_pos, batch), the reference's row
 * order) and their cross-entropy. Tensors the caller owns: call it inside tf.tidy.
 */
export function parityForward(model: MassModel, b: Seq2SeqBatch, x: ParityInputs): { enc: Tensor; dec: Tensor; logits: Tensor; loss: Tensor } {
  const enc = encode(model, { bs: b.bs, len: b.srcLen, tokens: b.src, lengths: b.srcLengths, langs: b.srcLangs });
  const dec = decode(
    model,
    { bs: b.bs, len: b.tgtLen, tokens: b.tgtIn, lengths: b.tgtLengths, langs: b.tgtLangs, positions: b.tgtPositions },
    { out: enc, lengths: b.srcLengths, encMask: b.encMask },
  );
  const rows = Int32Array.from(x.pred_rows_batch_time.map(([bi, ti]) => bi * b.tgtLen + ti));
  const logits = predictLogits(model, 'decoder', gatherRows(dec, rows));
  return { enc, dec, logits, loss: crossEntropy(logits, Int32Array.from(x.y)) };
}
