/**
 * One optimiser update of the encoder-decoder (MASS's mass_step / bt_step body + Trainer.optimize):
 * forward and backward of k micro-batches, gradients combined weighted by predicted tokens (so k
 * micro-batches give the gradient of one batch holding all of them), gradient norm clipped to
 * `clipNorm` separately for the encoder and the decoder (the reference clips each module it optimises
 * on its own), then Adam.
 *
 * Parameters are mirrored on the host: Adam updates the mirror and the new values are uploaded, so no
 * optimiser arithmetic runs as tensor ops and the optimiser state is plain arrays. On a backend that
 * reads results only asynchronously (webgpu) the same update runs through {@link Trainer.create} and
 * `stepAsync` ({@link asyncStepper}).
 */
import { tf, type Tensor, type Variable } from '../backend/tf.js';
import { isWasmOutOfMemory } from '../backend/wasmMemory.js';
import { releaseAbandonedTape } from '../backend/tape.js';
import { download, readsAsync } from '../backend/readback.js';
import { UserError } from '../errors.js';
import { Dropout } from '../model/dropout.js';
import type { MassModel } from '../model/model.js';
import { mixSeed } from '../model/random.js';
import { seq2seqLoss } from '../model/seq2seqLoss.js';
import type { AdamInverseSqrt } from './adamInverseSqrt.js';
import { targetTokenCount, type Seq2SeqBatch } from './seq2seqBatch.js';

export interface TrainStepOptions {
  /** Max gradient L2 norm per module (encoder, decoder); 0 disables. Reference default 5. */
  clipNorm?: number;
}

export interface TrainStepResult {
  /** Token-weighted mean cross-entropy over the micro-batches (before the update). */
  loss: number;
  /** Predicted (target) tokens in the update. */
  tokens: number;
  /** Gradient norms before clipping. */
  gradNorm: { encoder: number; decoder: number };
  /** Learning rate used. */
  lr: number;
  /** Completed updates after this one. */
  updates: number;
}

export interface Gradients {
  loss: number;
  tokens: number;
  /** Per parameter (canonical names); parameters the loss does not reach are absent. */
  grads: Map<string, Float32Array>;
  gradNorm: { encoder: number; decoder: number };
}

/**
 * What the training loop drives: {@link Trainer} (one thread) or ParallelTrainer (worker threads).
 * After `step` settles, `model` holds the updated weights.
 */
export interface Stepper {
  readonly model: MassModel;
  readonly optimizer: AdamInverseSqrt;
  step(microBatches: Seq2SeqBatch[], seed: number): TrainStepResult | Promise<TrainStepResult>;
  /** Re-reads parameter values from the model (after loading weights into it). */
  syncFromModel(): void;
  /** Releases threads and memory the stepper holds (not the model). */
  dispose(): void | Promise<void>;
}

export function moduleOf(name: string): 'encoder' | 'decoder' {
  return name.startsWith('encoder.') ? 'encoder' : 'decoder';
}

/** torch.nn.utils.clip_grad_norm_ per module: scale max_norm / (norm + 1e-6) when below 1; 0 = off. */
export function clipScales(norm: { encoder: number; decoder: number }, maxNorm: number): { encoder: number; decoder: number } {
  const scale = (n: number) => (maxNorm > 0 ? Math.min(1, maxNorm / (n + 1e-6)) : 1);
  return { encoder: scale(norm.encoder), decoder: scale(norm.decoder) };
}

/** Sets a variable to host values (copied: the caller may change `values` afterwards). */
export function assignValues(v: Variable, values: Float32Array): void {
  // cpu (and webgpu until the upload) keep the array they are given as the tensor's storage: hand them a copy.
  const t = tf.tensor(tf.getBackend() === 'wasm' ? values : values.slice(), v.shape, 'float32');
  v.assign(t);
  t.dispose();
}

/** The reference stops on a NaN loss ("NaN detected"); we stop before the update spoils the weights. */
export function checkFinite(g: Pick<Gradients, 'loss' | 'gradNorm'>, updatesDone: number): void {
  if (Number.isFinite(g.loss) && Number.isFinite(g.gradNorm.encoder) && Number.isFinite(g.gradNorm.decoder)) return;
  throw new UserError(
    `training diverged at update ${updatesDone + 1}: loss ${g.loss}, gradient norms ${g.gradNorm.encoder} (encoder) / ` +
      `${g.gradNorm.decoder} (decoder); the parameters were left as they were — lower the learning rate`,
  );
}

export class Trainer implements Stepper {
  private readonly host = new Map<string, Float32Array>();
  private readonly vars: [string, Variable][];
  private readonly clipNorm: number;

  constructor(
    readonly model: MassModel,
    readonly optimizer: AdamInverseSqrt,
    options: TrainStepOptions = {},
  ) {
    this.clipNorm = options.clipNorm ?? 5;
    this.vars = model.parameters();
    if (!readsAsync()) this.syncFromModel();
  }

  /** A trainer on any backend: the parameter mirror read asynchronously where the backend needs it. */
  static async create(model: MassModel, optimizer: AdamInverseSqrt, options: TrainStepOptions = {}): Promise<Trainer> {
    const t = new Trainer(model, optimizer, options);
    if (readsAsync()) await t.syncFromModelAsync();
    return t;
  }

  /** Re-reads parameter values from the model (after loading weights into it). */
  syncFromModel(): void {
    for (const [name, v] of this.vars) this.host.set(name, Float32Array.from(v.dataSync() as Float32Array));
  }

  async syncFromModelAsync(): Promise<void> {
    const values = await download(this.vars.map(([, v]) => v));
    this.vars.forEach(([name], i) => this.host.set(name, Float32Array.from(values[i] as Float32Array)));
  }

  dispose(): void {
    // Nothing beyond host arrays: the model belongs to the caller.
  }

  /**
   * One update from `microBatches` (k >= 1). `seed` drives dropout: micro-batch i uses stream
   * (seed, i), so replaying a step with the same seed replays it exactly.
   */
  step(microBatches: Seq2SeqBatch[], seed: number): TrainStepResult {
    return this.update(this.gradients(microBatches, seed));
  }

  /** {@link step} with the gradients read back asynchronously (any backend; webgpu needs it). */
  async stepAsync(microBatches: Seq2SeqBatch[], seed: number): Promise<TrainStepResult> {
    return this.update(await this.gradientsAsync(microBatches, seed));
  }

  /** Clipping and Adam on the host mirror, and the new values uploaded. */
  private update(g: Gradients): TrainStepResult {
    checkFinite(g, this.optimizer.updates);
    const scales = clipScales(g.gradNorm, this.clipNorm);
    const lr = this.optimizer.lr;
    for (const [name, v] of this.vars) {
      const p = this.host.get(name)!;
      this.optimizer.updateParam(name, p, g.grads.get(name), scales[moduleOf(name)]);
      assignValues(v, p);
    }
    this.optimizer.finishUpdate();
    return { loss: g.loss, tokens: g.tokens, gradNorm: g.gradNorm, lr, updates: this.optimizer.updates };
  }

  /**
   * Loss and gradient of the update (no parameter change): micro-batch gradients combined weighted
   * by their predicted tokens, and the per-module L2 norms of the result.
   */
  gradients(microBatches: Seq2SeqBatch[], seed: number): Gradients {
    if (readsAsync()) throw new Error(`the ${tf.getBackend()} backend reads results only asynchronously: use Trainer.create and stepAsync / gradientsAsync`);
    const sum = new GradientSum(microBatches);
    microBatches.forEach((batch, i) => {
      if (sum.counts[i] === 0) return;
      const perVar = new Map<string, Float32Array>();
      const loss = gradientPass(this.model, this.vars, batch, mixSeed(seed, i), (name, g) => perVar.set(name, g.dataSync() as Float32Array));
      sum.add(i, loss, perVar);
    });
    return sum.result();
  }

  /** {@link gradients} with each micro-batch's gradients downloaded asynchronously. */
  async gradientsAsync(microBatches: Seq2SeqBatch[], seed: number): Promise<Gradients> {
    const sum = new GradientSum(microBatches);
    for (let i = 0; i < microBatches.length; i++) {
      if (sum.counts[i] === 0) continue;
      const { loss, perVar } = await gradientPassAsync(this.model, this.vars, microBatches[i], mixSeed(seed, i));
      sum.add(i, loss, perVar);
    }
    return sum.result();
  }
}

/** A {@link Trainer} as the training loop's stepper, stepping with asynchronous read-back. */
export function asyncStepper(t: Trainer): Stepper {
  return {
    model: t.model,
    optimizer: t.optimizer,
    step: (microBatches, seed) => t.stepAsync(microBatches, seed),
    syncFromModel: () => t.syncFromModel(),
    dispose: () => t.dispose(),
  };
}

/** Micro-batch gradients combined weighted by predicted tokens, and the per-module norms of the sum. */
class GradientSum {
  readonly counts: number[];
  private readonly total: number;
  private readonly grads = new Map<string, Float32Array>();
  private lossSum = 0;

  constructor(microBatches: Seq2SeqBatch[]) {
    if (microBatches.length === 0) throw new Error('trainStep: no micro-batch');
    this.counts = microBatches.map(targetTokenCount);
    this.total = this.counts.reduce((a, b) => a + b, 0);
    if (this.total === 0) throw new Error('trainStep: the micro-batches predict no token');
  }

  add(i: number, loss: number, perVar: Map<string, Float32Array>): void {
    const weight = this.counts[i] / this.total;
    this.lossSum += loss * this.counts[i];
    for (const [name, g] of perVar) {
      const acc = this.grads.get(name);
      if (!acc) {
        // Scaled into a fresh array: a backend may hand out its own (possibly shared) storage.
        this.grads.set(name, weight === 1 ? g : g.map((x) => x * weight));
      } else {
        for (let j = 0; j < g.length; j++) acc[j] += weight * g[j];
      }
    }
  }

  result(): Gradients {
    const sq = { encoder: 0, decoder: 0 };
    for (const [name, g] of this.grads) {
      let s = 0;
      for (let j = 0; j < g.length; j++) s += g[j] * g[j];
      sq[moduleOf(name)] += s;
    }
    const gradNorm = { encoder: Math.sqrt(sq.encoder), decoder: Math.sqrt(sq.decoder) };
    return { loss: this.lossSum / this.total, tokens: this.total, grads: this.grads, gradNorm };
  }
}

/** Running out of memory on a training batch: the message names the batch's size. */
export class BatchOutOfMemoryError extends UserError {
  constructor(batch: Pick<Seq2SeqBatch, 'bs' | 'srcLen' | 'tgtLen'>) {
    super(
      `out of memory on the wasm backend (4 GB heap) with a batch of ${batch.bs} sentences × ${batch.srcLen} source tokens ` +
        `(${batch.bs * batch.srcLen}) and ${batch.bs} × ${batch.tgtLen} target tokens: use smaller batches ` +
        `(fewer tokens per batch) or gradient accumulation`,
    );
  }
}

/**
 * Forward and backward pass of one micro-batch with dropout stream `seed`: `visit` sees each gradient
 * tensor (by canonical parameter name; parameters the loss does not reach are skipped) before it is
 * disposed, and the mean loss is returned. Running out of wasm memory is a UserError naming the batch.
 */
export function gradientPass(
  model: MassModel,
  vars: readonly [string, Variable][],
  batch: Seq2SeqBatch,
  seed: number,
  visit: (name: string, grad: Tensor) => void,
): number {
  const byTfName = new Map(vars.map(([name, v]) => [v.name, name]));
  let value: Tensor | undefined;
  let grads: Record<string, Tensor> = {};
  try {
    ({ value, grads } = lossGradients(model, vars, batch, seed));
    for (const [tfName, g] of Object.entries(grads)) visit(byTfName.get(tfName)!, g);
    return value.dataSync()[0];
  } catch (e) {
    throw passFailure(e, batch);
  } finally {
    value?.dispose();
    for (const g of Object.values(grads)) g.dispose();
  }
}

/** {@link gradientPass} with the loss and gradients downloaded asynchronously (webgpu). */
export async function gradientPassAsync(
  model: MassModel,
  vars: readonly [string, Variable][],
  batch: Seq2SeqBatch,
  seed: number,
): Promise<{ loss: number; perVar: Map<string, Float32Array> }> {
  const byTfName = new Map(vars.map(([name, v]) => [v.name, name]));
  let value: Tensor | undefined;
  let grads: Record<string, Tensor> = {};
  try {
    ({ value, grads } = lossGradients(model, vars, batch, seed));
    const entries = Object.entries(grads);
    const [loss, ...values] = await download([value, ...entries.map(([, g]) => g)]);
    const perVar = new Map(entries.map(([tfName], i) => [byTfName.get(tfName)!, values[i] as Float32Array]));
    return { loss: loss[0], perVar };
  } catch (e) {
    throw passFailure(e, batch);
  } finally {
    value?.dispose();
    for (const g of Object.values(grads)) g.dispose();
  }
}

function lossGradients(model: MassModel, vars: readonly [string, Variable][], batch: Seq2SeqBatch, seed: number) {
  return tf.variableGrads(
    () => seq2seqLoss(model, batch, { dropout: new Dropout(seed) }),
    vars.map(([, v]) => v),
  );
}

/** The error to throw for a failed pass, after freeing what the tape kept. */
function passFailure(e: unknown, batch: Seq2SeqBatch): unknown {
  releaseAbandonedTape();
  return isWasmOutOfMemory(e) ? new BatchOutOfMemoryError(batch) : e;
}
