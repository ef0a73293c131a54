import { tf, type Scalar, type Tensor2D, type Tensor3D } from '../backend/tf.js';
import type { Seq2SeqBatch } from '../train/seq2seqBatch.js';
import { decode } from './decoder.js';
import type { ForwardOptions } from './dropout.js';
import { encode } from './encoder.js';
import type { TokenInput } from './inputs.js';
import type { MassModel } from './model.js';
import { crossEntropy, gatherRows, predictLogits } from './output.js';

export function sourceInput(b: Seq2SeqBatch): TokenInput {
  return { bs: b.bs, len: b.srcLen, tokens: b.src, lengths: b.srcLengths, langs: b.srcLangs };
}

export function targetInput(b: Seq2SeqBatch): TokenInput {
  return { bs: b.bs, len: b.tgtLen, tokens: b.tgtIn, lengths: b.tgtLengths, langs: b.tgtLangs, positions: b.tgtPositions };
}

/** Flat decoder positions (b·tgtLen + t) where predMask is set, batch-major, and their gold ids. */
export function predictedRows(b: Seq2SeqBatch): { rows: Int32Array; targets: Int32Array } {
  let n = 0;
  for (const m of b.predMask) n += m ? 1 : 0;
  const rows = new Int32Array(n);
  const targets = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < b.predMask.length; i++) {
    if (b.predMask[i]) {
      rows[k] = i;
      targets[k++] = b.targets[i];
    }
  }
  return { rows, targets };
}

export interface Seq2SeqOutputs {
  encoderOut: Tensor3D;
  decoderOut: Tensor3D;
  /** Logits of the predicted positions only, in {@link predictedRows} order. */
  logits: Tensor2D;
  loss: Scalar;
  /** Number of predicted tokens the loss averages over. */
  tokens: number;
}

/**
 * One encoder-decoder forward pass on a batch (MASS's mass_step / XLM's mt_step): encode the source,
 * decode the target with cross-attention limited by encMask, project only the predicted positions
 * (the reference's `pred_mask` select happens before the output layer, too), mean cross-entropy.
 */
export function seq2seqForward(model: MassModel, batch: Seq2SeqBatch, opts: ForwardOptions = {}): Seq2SeqOutputs {
  const { rows, targets } = predictedRows(batch);
  if (rows.length === 0) throw new Error('seq2seqForward: the batch predicts no token');
  const encoderOut = encode(model, sourceInput(batch), opts);
  const decoderOut = decode(model, targetInput(batch), { out: encoderOut, lengths: batch.srcLengths, encMask: batch.encMask }, opts);
  const logits = predictLogits(model, 'decoder', gatherRows(decoderOut, rows));
  const eps = opts.plainLoss ? 0 : (batch.labelSmoothing ?? 0);
  const loss = eps > 0 ? labelSmoothedCrossEntropy(logits, targets, eps) : crossEntropy(logits, targets);
  return { encoderOut, decoderOut, logits, loss, tokens: rows.length };
}

/**
 * (1 − ε)·CE + ε·mean over the vocabulary of −log p (fairseq's label_smoothed_cross_entropy, which
 * the MASS summarization recipe fine-tunes with, ε = 0.1).
 */
export function labelSmoothedCrossEntropy(logits: Tensor2D, targets: Int32Array, eps: number): Scalar {
  const uniform = tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.mean(logits, 1)));
  return tf.add(tf.mul(crossEntropy(logits, targets), 1 - eps), tf.mul(uniform, eps)) as Scalar;
}

/** Just the loss (what a training step differentiates). */
export function seq2seqLoss(model: MassModel, batch: Seq2SeqBatch, opts: ForwardOptions = {}): Scalar {
  return tf.tidy(() => seq2seqForward(model, batch, opts).loss);
}
