import { UserError } from '../errors.js';
import type { MassModel } from '../model/model.js';
import type { InferenceWeights } from './inferenceWeights.js';
import type { DecoderKind } from './startDecoder.js';
import type { ProcessorOptions } from './logitsProcessors.js';

export interface GenerateOptions extends ProcessorOptions {
  /** Step decoder (default 'auto': the fastest the backend has). */
  decoder?: DecoderKind;
  /** Pre-built weights for the 'fast' decoder (same model, same target language), reused across calls. */
  weights?: InferenceWeights;
  /** Cancels before the next step. */
  signal?: AbortSignal;
}

/** Generated sentences, in input order. */
export interface Generated {
  /** Words of each sentence, without the `</s>` on either side. */
  ids: Int32Array[];
  /** ids[i].length + 2: XLM's `gen_len` (both `</s>` included), what batchIdLists builds rows of. */
  lengths: Int32Array;
}

export function checkLang(model: MassModel, lang: number): void {
  if (!Number.isInteger(lang) || lang < 0 || lang >= model.config.n_langs) {
    throw new UserError(`target language id ${lang} out of range [0, ${model.config.n_langs})`);
  }
}

/** Index of the largest value (first on ties; NaN never wins; -1 if every value is NaN or -Infinity). */
export function argmax(a: Float32Array, offset: number, n: number): number {
  let best = -1;
  let bv = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = a[offset + i];
    if (v > bv) {
      bv = v;
      best = i;
    }
  }
  return best;
}

/** Decoder steps needed for these limits: positions 0 .. max_len - 2 are fed. */
export function stepsFor(limits: Int32Array): number {
  let m = 2;
  for (const l of limits) if (l > m) m = l;
  return m - 1;
}

export function withLengths(ids: Int32Array[]): Generated {
  return { ids, lengths: Int32Array.from(ids, (s) => s.length + 2) };
}
