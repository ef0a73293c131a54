import type { EncoderMemory } from '../model/decoder.js';
import type { MassModel } from '../model/model.js';
import { CachedDecoder } from './cachedDecoder.js';
import { decodeKernelsAvailable } from './decodeKernels.js';
import { FastDecoder } from './fastDecoder.js';
import { encodeFast } from './fastEncoder.js';
import { InferenceWeights } from './inferenceWeights.js';
import { encodeSource, type SourceBatch } from './source.js';
import type { StepDecoder } from './stepDecoder.js';
import { UncachedDecoder } from './uncachedDecoder.js';

/**
 * 'fast': host-kernel encoder and steps with pre-transposed weights (wasm, cpu); 'cached': the
 * model's own encode and decodeStep (any backend); 'uncached': the whole prefix every step (the
 * reference in tests); 'auto': fast where available, else cached.
 */
export type DecoderKind = 'auto' | 'fast' | 'cached' | 'uncached';
export const DECODER_KINDS: readonly DecoderKind[] = ['auto', 'fast', 'cached', 'uncached'];

/** The kind 'auto' stands for on the active backend. */
export function resolveDecoderKind(kind: DecoderKind = 'auto'): Exclude<DecoderKind, 'auto'> {
  if (kind === 'auto') return decodeKernelsAvailable() ? 'fast' : 'cached';
  if (kind === 'fast' && !decodeKernelsAvailable()) throw new Error(`the 'fast' decoder needs the wasm or cpu backend`);
  return kind;
}

/**
 * Encodes `src` and returns a step decoder into language `lang` for at most `maxSteps` steps.
 * `weights` (fast only, built for this model and language) saves rebuilding them on every call.
 */
export function startDecoder(
  model: MassModel,
  src: SourceBatch,
  lang: number,
  maxSteps: number,
  kind: DecoderKind = 'auto',
  weights?: InferenceWeights,
): StepDecoder {
  const k = resolveDecoderKind(kind);
  if (k === 'fast') {
    const w = weights ?? InferenceWeights.build(model, lang);
    try {
      const out = encodeFast(model, w, src);
      try {
        return new FastDecoder(model, { out, lengths: src.lengths }, lang, maxSteps, w, !weights);
      } finally {
        out.dispose();
      }
    } catch (e) {
      if (!weights) w.dispose();
      throw e;
    }
  }
  const memory: EncoderMemory = encodeSource(model, src);
  try {
    return k === 'cached' ? new CachedDecoder(model, memory, lang) : new UncachedDecoder(model, memory, lang);
  } finally {
    memory.out.dispose();
  }
}
