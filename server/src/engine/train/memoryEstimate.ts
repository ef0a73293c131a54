/**
 * A rough peak-memory estimate of one training step, to warn in the config before a run dies of
 * out-of-memory. Counted in float32 values:
 * - parameters (exact count from the model's parameter list) × 4: weights, gradients, Adam's two moments;
 * - activations kept for the backward pass, per layer, for a batch of B sentences of length L
 *   (T = B·L tokens): about 20·T·E values (attention projections, layer norms, the 4E-wide FFN,
 *   residuals) plus the attention scores and probabilities 2·B·H·L² (3· with attention dropout);
 *   the decoder adds its cross-attention;
 * - the output layer: logits, log-probabilities and their gradient for every predicted token (3·V each);
 * and ×2 on activations for the gradients that exist at the same time during the backward pass.
 * The aim is the right order of magnitude, not precision; the message says "about".
 */
import { makeModelConfig } from '../model/config.js';
import { parameterSpecs } from '../model/parameters.js';
import { parseLanguages, parseSteps } from '../../config/steps.js';
import type { TrainSettings } from '../../config/schema.js';

export interface MemoryEstimate {
  parameters: number;
  /** Sentences and (padded) tokens per batch used for the estimate. */
  sentences: number;
  tokens: number;
  bytes: { parameters: number; activations: number; output: number; total: number };
}

const F32 = 4;

export function countParameters(s: TrainSettings, nWords: number): number {
  const nLangs = Math.max(1, parseLanguages(s.lgs).length);
  const cfg = makeModelConfig({
    emb_dim: s.emb_dim,
    n_heads: s.n_heads,
    n_layers: s.n_layers,
    n_dec_layers: s.n_dec_layers,
    n_words: Math.max(nWords, 16),
    n_langs: nLangs,
    attention_setting: s.attention_setting === 'v2' ? 'v2' : 'v1',
    n_max_positions: s.n_max_positions,
    share_inout_emb: s.share_inout_emb,
  });
  let n = 0;
  for (const p of parameterSpecs(cfg)) n += p.shape.reduce((a, b) => a * b, 1);
  return n;
}

/** Undefined when the settings cannot describe a model (e.g. n_heads does not divide emb_dim). */
export function estimateTrainingMemory(s: TrainSettings, nWords: number): MemoryEstimate | undefined {
  if (s.emb_dim % s.n_heads !== 0) return undefined;
  let parameters: number;
  try {
    parameters = countParameters(s, nWords);
  } catch {
    return undefined;
  }
  const L = (s.max_len > 0 ? s.max_len : 256) + 2;
  const B = s.tokens_per_batch > 0 ? Math.max(1, Math.floor(s.tokens_per_batch / L)) : s.batch_size;
  const capped = s.max_batch_size > 0 ? Math.min(B, s.max_batch_size) : B;
  const T = capped * L;
  const steps = parseSteps(s);
  // MASS decodes only the masked span; translation steps decode the whole target.
  const fullTarget = steps.mt.length + steps.bt.length + steps.s2s.length > 0;
  const Ld = fullTarget ? L : Math.ceil(s.word_mass * L) + 1;
  const Td = capped * Ld;
  const E = s.emb_dim;
  const H = s.n_heads;
  const att = s.attention_dropout > 0 ? 3 : 2;
  const encoder = s.n_layers * (20 * T * E + att * capped * H * L * L);
  const decoder = s.n_dec_layers * (20 * Td * E + att * capped * H * Ld * Ld + 5 * Td * E + 2 * T * E + att * capped * H * Ld * L);
  const embeddings = 3 * (T + Td) * E;
  const activations = 2 * (encoder + decoder + embeddings) * F32;
  const predicted = fullTarget ? Td : Math.ceil(s.word_mass * T);
  const output = 3 * predicted * nWords * F32;
  const params = 4 * parameters * F32;
  return { parameters, sentences: capped, tokens: T, bytes: { parameters: params, activations, output, total: params + activations + output } };
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${Math.round(n / 1024 ** 2)} MB`;
  return `${Math.round(n / 1024)} KB`;
}
