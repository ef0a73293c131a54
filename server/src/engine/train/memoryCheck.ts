/**
 * Refusing a training run that cannot fit, before anything is allocated: the estimate of
 * memoryEstimate.ts against the backend's limit (memoryLimits.ts), and, when it does not fit, what
 * would — the largest tokens_per_batch that fits (with the accumulate_gradients that keeps the
 * effective batch), a smaller model, a GPU backend. The CLI and the daemon both call it.
 */
import type { TrainSettings } from '../../config/schema.js';
import { estimateTrainingMemory, formatBytes } from './memoryEstimate.js';
import type { MemoryLimit } from './memoryLimits.js';

/** The message that refuses the run, or undefined when it fits (or cannot be estimated). */
export function memoryRefusal(s: TrainSettings, nWords: number, limit: MemoryLimit | undefined): string | undefined {
  if (!limit) return undefined;
  const est = estimateTrainingMemory(s, nWords);
  if (!est || est.bytes.total <= limit.bytes) return undefined;
  const fits = (t: Partial<TrainSettings>) => (estimateTrainingMemory({ ...s, ...t }, nWords)?.bytes.total ?? Infinity) <= limit.bytes;
  const batch = s.tokens_per_batch > 0 ? `tokens_per_batch ${s.tokens_per_batch}` : `batch_size ${s.batch_size}`;
  const lines = [
    `out of memory before it starts: a training step needs about ${formatBytes(est.bytes.total)} ` +
      `(${(est.parameters / 1e6).toFixed(1)}M parameters: ${formatBytes(est.bytes.parameters)} for weights, gradients and Adam; ` +
      `activations ${formatBytes(est.bytes.activations)} and output layer ${formatBytes(est.bytes.output)} for ${batch}, ` +
      `emb_dim ${s.emb_dim}, ${s.n_layers}+${s.n_dec_layers} layers, vocabulary ${nWords}), more than ${limit.what}.`,
    'What would fit:',
  ];
  const smallerBatch = largestBatch(s, fits);
  if (smallerBatch) {
    const accumulate = Math.ceil((s.tokens_per_batch > 0 ? s.tokens_per_batch : s.batch_size) / smallerBatch.value) * s.accumulate_gradients;
    lines.push(
      `  - ${smallerBatch.field} ${smallerBatch.value} with accumulate_gradients ${accumulate} (the same effective batch, ${accumulate}× the steps per update)`,
    );
  } else {
    lines.push(`  - no batch size: the ${formatBytes(est.bytes.parameters)} of weights, gradients and Adam state alone leave no room for one sentence`);
  }
  const model = smallerModel(s, fits);
  if (model) lines.push(`  - a smaller model: ${model} (with ${batch})`);
  if (s.backend === 'wasm' || s.backend === 'auto' || s.backend === 'cpu') {
    lines.push('  - a GPU backend (--backend webgpu, or tfjs-node-gpu: see README "Backends"), which is not bound by this limit');
  }
  return lines.join('\n');
}

function largestBatch(s: TrainSettings, fits: (t: Partial<TrainSettings>) => boolean): { field: 'tokens_per_batch' | 'batch_size'; value: number } | undefined {
  const field = s.tokens_per_batch > 0 ? 'tokens_per_batch' : 'batch_size';
  const current = field === 'tokens_per_batch' ? s.tokens_per_batch : s.batch_size;
  // The estimate rounds tokens_per_batch down to whole sentences of max_len: no smaller budget helps.
  const smallest = field === 'tokens_per_batch' ? (s.max_len > 0 ? s.max_len : 256) + 2 : 1;
  if (!fits({ [field]: smallest })) return undefined;
  let lo = smallest;
  let hi = current;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits({ [field]: mid })) lo = mid;
    else hi = mid;
  }
  // A round number reads better and changes nothing that matters.
  const step = field === 'tokens_per_batch' ? (lo >= 1000 ? 250 : 50) : 1;
  return { field, value: Math.max(smallest, Math.floor(lo / step) * step) };
}

/** The largest model below this one (halving emb_dim, then fewer layers) that fits with the same batch. */
function smallerModel(s: TrainSettings, fits: (t: Partial<TrainSettings>) => boolean): string | undefined {
  for (let emb = s.emb_dim / 2; emb >= 64 && Number.isInteger(emb); emb /= 2) {
    const heads = emb % s.n_heads === 0 && emb / s.n_heads >= 16 ? s.n_heads : Math.max(1, emb / 64);
    for (let layers = Math.max(s.n_layers, s.n_dec_layers); layers >= 1; layers--) {
      const t: Partial<TrainSettings> = {
        emb_dim: emb,
        n_heads: heads,
        n_layers: Math.min(s.n_layers, layers),
        n_dec_layers: Math.min(s.n_dec_layers, layers),
      };
      if (fits(t)) return `--emb_dim ${emb} --n_heads ${heads} --n_layers ${t.n_layers} --n_dec_layers ${t.n_dec_layers}`;
    }
  }
  return undefined;
}
