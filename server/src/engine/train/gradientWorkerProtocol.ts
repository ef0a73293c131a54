/**
 * Messages between ParallelTrainer (main thread) and its gradient workers. Parameter values,
 * gradients and Adam's moments never travel in messages: they live in SharedArrayBuffers, all laid out
 * by the same {@link ParamSlot}s (one flat float32 array per buffer, parameter after parameter).
 */
import type { BackendName } from '../backend/selectBackend.js';
import type { ModelConfig } from '../model/config.js';
import type { Seq2SeqBatch } from './seq2seqBatch.js';

/** Where one parameter lives in the shared buffers (float32 offsets). */
export interface ParamSlot {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/** The worker's `workerData`. */
export interface WorkerInit {
  index: number;
  backend: BackendName;
  config: ModelConfig;
  slots: ParamSlot[];
  /** The current parameter values (written between steps, by the Adam phase). */
  params: SharedArrayBuffer;
  /** Every worker's gradient buffer; worker i writes grads[i] during a step. */
  grads: SharedArrayBuffer[];
  /** Adam's first and second moments. */
  m: SharedArrayBuffer;
  v: SharedArrayBuffer;
}

export type ToWorker =
  /** Upload the parameter values from the shared buffer. */
  | { type: 'params' }
  /**
   * Loss and gradients of `parts`: part i uses dropout stream seeds[i]; the worker's gradient buffer
   * receives Σ counts[i]/total · grad_i (its token-weighted mean when total is its own token count).
   */
  | { type: 'step'; id: number; parts: Seq2SeqBatch[]; seeds: number[]; counts: number[]; total: number }
  /**
   * Elements [from, to): the update's gradient, Σ over workers of weights[w]·grads[w] where
   * present[w][slot] (written into the first such worker's buffer), and per-slot sums of squares.
   */
  | { type: 'reduce'; id: number; from: number; to: number; present: (Uint8Array | null)[]; weights: number[] }
  /**
   * Elements [from, to): Adam on every slot whose stepSizes entry is not NaN, with the gradient in
   * grads[sources[slot]] (-1: a zero gradient) times scales[slot].
   */
  | {
      type: 'adam';
      id: number;
      from: number;
      to: number;
      stepSizes: Float64Array;
      scales: Float64Array;
      sources: Int32Array;
      beta1: number;
      beta2: number;
      eps: number;
    };

export interface WorkerProfile {
  /** Last parameter upload. */
  uploadMs: number;
  /** Forward + backward passes (tfjs), gradient copies excluded. */
  passMs: number;
  /** Copying (and weighting) gradients into the shared buffer. */
  copyMs: number;
  /** Live tensors and their bytes in the worker after the step (leak checks; -1: the worker had no part). */
  tensors: number;
  tensorBytes: number;
  /** CPU time of the worker thread for the passes and copies (Linux only). */
  cpuMs?: number;
  /** Time the worker thread was runnable but not running during them: other load (Linux only). */
  waitMs?: number;
  /** CPU time of the worker's previous reduce + Adam phases and its last upload (Linux only). */
  updateCpuMs?: number;
}

export type FromWorker =
  | { type: 'ready' }
  /** Σ loss·count over the parts; present[k] = 1 where slot k got a gradient (else its values are stale). */
  | { type: 'done'; id: number; lossSum: number; present: Uint8Array; profile: WorkerProfile }
  /** Per slot, the sum of squares of the reduced gradient over this worker's elements (0 elsewhere). */
  | { type: 'reduced'; id: number; slotSq: Float64Array }
  | { type: 'adamDone'; id: number }
  /**
   * `id` absent: failed to start or to upload. `oom`: the wasm heap ran out on part `part` of the
   * step. `user`: a UserError whose message is shown as is.
   */
  | { type: 'error'; id?: number; message: string; stack?: string; user: boolean; oom?: boolean; part?: number };
