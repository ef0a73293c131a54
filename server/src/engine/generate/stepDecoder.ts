/**
 * What greedy and beam search drive: a decoder fed one token per row per step, returning that step's
 * output-layer scores on the host. Rows can be reordered, duplicated and dropped between steps (beam
 * reordering, finished sentences leaving the batch).
 */
import type { Tensor } from '../backend/tf.js';
import { download, readsAsync } from '../backend/readback.js';

export interface StepOutput {
  /** Output-layer scores, rows × n_words, row-major. */
  logits: Float32Array;
  /** log Σ_w exp(logits[r, w]) per row (log-probabilities are logits - lse), when asked for. */
  lse?: Float32Array;
}

export interface StepDecoder {
  /** Rows fed at the next step. */
  readonly rows: number;
  /**
   * Feeds `tokens[r]` to row r at position `position` (the same for every row: the step number) and
   * returns the logits (and with `withLse` each row's log-sum-exp). The arrays may view the backend's
   * memory: read them before the next call to any method, and do not keep them. A backend that reads
   * results only asynchronously (webgpu) returns a promise of them.
   */
  step(tokens: Int32Array, position: number, withLse?: boolean): StepOutput | Promise<StepOutput>;
  /** Row r of the next step continues what row `indices[r]` decoded so far. */
  select(indices: Int32Array): void;
  dispose(): void;
}

/**
 * A step's scores on the host, then the tensors freed: synchronously where the backend can, else as
 * a promise (webgpu).
 */
export function readStepOutput(tensors: Tensor[]): StepOutput | Promise<StepOutput> {
  if (readsAsync()) {
    return download(tensors).then(
      ([logits, lse]) => {
        for (const t of tensors) t.dispose();
        return { logits: logits as Float32Array, lse: lse as Float32Array | undefined };
      },
      (e: unknown) => {
        for (const t of tensors) t.dispose();
        throw e;
      },
    );
  }
  try {
    return { logits: tensors[0].dataSync() as Float32Array, lse: tensors[1]?.dataSync() as Float32Array | undefined };
  } finally {
    for (const t of tensors) t.dispose();
  }
}

/** Whether `indices` keeps every row in place (a select that changes nothing). */
export function isIdentity(indices: Int32Array, rows: number): boolean {
  if (indices.length !== rows) return false;
  for (let i = 0; i < rows; i++) if (indices[i] !== i) return false;
  return true;
}
