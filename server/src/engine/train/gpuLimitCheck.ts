/**
 * Refusing a training run whose single tensors cannot live on the GPU, before anything is allocated:
 * WebGPU caps each buffer (maxBufferSize) and what one kernel may bind (maxStorageBufferBindingSize),
 * whatever the card's memory. The largest tensors of a step are the embedding table (n_words × emb_dim),
 * the output layer's logits (predicted tokens × n_words) and the attention scores (B·H·L²).
 */
import type { TrainSettings } from '../../config/schema.js';
import { parseSteps } from '../../config/steps.js';
import { formatBytes } from './memoryEstimate.js';

export interface GpuBufferLimits {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

interface Largest {
  what: string;
  bytes: number;
}

/** The largest tensors one training step makes, with what they are (float32). */
export function largestTensors(s: TrainSettings, nWords: number): Largest[] {
  const L = (s.max_len > 0 ? s.max_len : 256) + 2;
  const B = s.tokens_per_batch > 0 ? Math.max(1, Math.floor(s.tokens_per_batch / L)) : s.batch_size;
  const capped = s.max_batch_size > 0 ? Math.min(B, s.max_batch_size) : B;
  const steps = parseSteps(s);
  const fullTarget = steps.mt.length + steps.bt.length + steps.s2s.length > 0;
  const predicted = fullTarget ? capped * L : Math.ceil(s.word_mass * capped * L);
  return [
    { what: `the embedding table (${nWords} words × emb_dim ${s.emb_dim})`, bytes: 4 * nWords * s.emb_dim },
    { what: `the output layer's scores (${predicted} predicted tokens × ${nWords} words)`, bytes: 4 * predicted * nWords },
    { what: `the attention scores (${capped} sentences × ${s.n_heads} heads × ${L}² positions)`, bytes: 4 * capped * s.n_heads * L * L },
  ];
}

/** The message refusing the run on this adapter, or undefined when every tensor fits. */
export function gpuLimitRefusal(s: TrainSettings, nWords: number, limits: GpuBufferLimits, adapter: string): string | undefined {
  const cap = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  const over = largestTensors(s, nWords).filter((t) => t.bytes > cap);
  if (over.length === 0) return undefined;
  return [
    `too large for the GPU (${adapter}): WebGPU allows at most ${formatBytes(cap)} (${cap} bytes) per tensor ` +
      `(maxBufferSize ${limits.maxBufferSize}, maxStorageBufferBindingSize ${limits.maxStorageBufferBindingSize}), and`,
    ...over.map((t) => `  - ${t.what} needs ${formatBytes(t.bytes)} (${t.bytes} bytes)`),
    'Use a smaller vocabulary (max_vocab), emb_dim or batch (tokens_per_batch, with accumulate_gradients for the same effective batch), or another backend.',
  ].join('\n');
}
