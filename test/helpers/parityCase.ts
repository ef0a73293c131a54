/**
 * The inputs of a case of the MASS parity fixture (test/fixtures/mass-parity/cases.json, batch-major,
 * see its README) as the Seq2SeqBatch our model and trainer take.
 */
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
