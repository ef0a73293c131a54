/**
 * What the daemon adds to the engine's own training checks (engine/train/trainingMonitor.ts stops on
 * a NaN/inf loss and warns about divergence and plateaus, each naming a config field): a warm-up
 * that cannot finish within the planned run (known only once the first progress report gives the
 * total number of updates), and the meaning of the error a job died of — out of memory above all —
 * with the setting to change. Each alert names the config field its diagnostic goes on.
 */
import { parseOptimizer } from '../../config/optimizerSpec.js';
import { fields, type TrainSettings } from '../../config/schema.js';
import { UserError } from '../../engine/errors.js';

export interface TrainingAlert {
  severity: 'error' | 'warning';
  /** Config field the diagnostic goes on (undefined: the top of the file). */
  field?: string;
  message: string;
}

/** adam_inverse_sqrt's warm-up against the planned number of updates. */
export function warmupAlert(s: TrainSettings, totalSteps: number | undefined): TrainingAlert | undefined {
  let o;
  try {
    o = parseOptimizer(s.optimizer);
  } catch {
    return undefined;
  }
  if (o.name !== 'adam_inverse_sqrt') return undefined;
  if (o.warmupInitLr > o.lr) {
    return {
      severity: 'warning',
      field: 'optimizer',
      message: `warm-up starts at warmup_init_lr=${o.warmupInitLr}, above lr=${o.lr}: the learning rate falls during warm-up instead of rising`,
    };
  }
  if (totalSteps !== undefined && totalSteps > 0 && o.warmupUpdates >= totalSteps) {
    return {
      severity: 'warning',
      field: 'optimizer',
      message: `warm-up lasts ${o.warmupUpdates} updates but this run plans only ${totalSteps}: the learning rate never reaches lr=${o.lr}; lower warmup_updates`,
    };
  }
  return undefined;
}

/** Errors that mean memory ran out, on any backend (wasm heap, typed-array allocation, TensorFlow). */
export function isOutOfMemory(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === 'WasmOutOfMemoryError') return true;
  if (e instanceof RangeError && /Array buffer allocation failed|Invalid typed array length|WebAssembly\.Memory/i.test(e.message)) return true;
  return /out of memory|OOM when allocating|ResourceExhausted|Cannot enlarge memory|heap exhausted/i.test(e.message);
}

/** The config field a UserError message starts with ('n_heads: ...', 'corpora.mono.en: ...'). */
export function fieldOfMessage(message: string): string | undefined {
  const m = /^(?:[^:\n]*\.json:\d+:\d+: )?([a-z_]+(?:\.[A-Za-z0-9_-]+)*):/.exec(message);
  if (!m) return undefined;
  const head = m[1]!.split('.')[0]!;
  return head in fields || head === 'corpora' || head === 'bpe' ? m[1] : undefined;
}

/** Above this, the model's own state is the likely cause of an out-of-memory error, not the batch. */
const MODEL_TOO_BIG_BYTES = 2 ** 30;

/** Weights, gradients and two Adam moments (float32) of the transformer layers: a lower bound (no embeddings). */
function modelStateBytes(s: TrainSettings): number {
  const d = s.emb_dim;
  // encoder layer: attention 4d² + FFN 8d²; decoder layer: two attentions + FFN
  const params = s.n_layers * 12 * d * d + s.n_dec_layers * 16 * d * d;
  return params * 4 * 4;
}

/** What a job's error means for the user, and which setting it points at. */
export function alertForFailure(e: unknown, settings?: TrainSettings, field?: string): TrainingAlert {
  const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
  if (isOutOfMemory(e)) {
    // the model itself (weights, gradients and two Adam moments: 16 bytes a parameter) may be what does not fit
    if (settings && modelStateBytes(settings) > MODEL_TOO_BIG_BYTES) {
      const gb = (modelStateBytes(settings) / 2 ** 30).toFixed(1);
      return {
        severity: 'error',
        field: 'emb_dim',
        message: `out of memory: a model of emb_dim ${settings.emb_dim} with ${settings.n_layers}+${settings.n_dec_layers} layers needs about ${gb} GB for its weights, gradients and optimizer state alone (${msg}); lower emb_dim (or n_layers / n_dec_layers)`,
      };
    }
    const f = settings && settings.tokens_per_batch > 0 ? 'tokens_per_batch' : 'batch_size';
    // the engine's own message already names the batch and what to do
    if (e instanceof UserError) return { severity: 'error', field: f, message: msg };
    return {
      severity: 'error',
      field: f,
      message: `out of memory (${msg}): lower ${f}${settings ? ` (now ${settings[f]})` : ''} or max_len, or use accumulate_gradients for the same effective batch`,
    };
  }
  // the engine stops on a non-finite loss or gradient: that is the optimizer's learning rate
  const diverged = /\b(NaN|-?Infinity)\b/.test(msg) && /loss|gradient|diverg/i.test(msg) ? 'optimizer' : undefined;
  if (e instanceof UserError) return { severity: 'error', field: field ?? fieldOfMessage(msg) ?? diverged, message: msg };
  return { severity: 'error', field, message: `training failed: ${msg}` };
}
