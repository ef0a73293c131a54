/**
 * Adam with the inverse-square-root schedule of MASS-unsupNMT (`--optimizer adam_inverse_sqrt`,
 * src/utils.py AdamInverseSqrtWithWarmup), on host Float32Arrays so its whole state (update count,
 * per-parameter step, m, v) can be checkpointed and restored exactly.
 *
 * Schedule: the update after `n` previous updates uses lr(n), where lr(n) = warmup_init_lr +
 * n·(lr − warmup_init_lr)/warmup_updates while n < warmup_updates, else lr·√warmup_updates/√n
 * (the reference sets the group lr after each step, starting from warmup_init_lr).
 *
 * Update: the Adam of the torch versions MASS was written for (and XLM's own Adam):
 * m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr·√(1−β2^t)/(1−β1^t) · m/(√v + ε),
 * t counted per parameter. Weight decay is 0 in the reference, and no other value is offered
 * (the optimizer string rejects weight_decay > 0).
 * Like torch 1.x after zero_grad(), a parameter that has had a gradient once keeps being updated with
 * a zero gradient when a later step does not reach it (e.g. the other language's out_lin); one that
 * never had a gradient is left alone.
 */
import { UserError } from '../errors.js';

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  warmupUpdates: number;
  warmupInitLr: number;
  /** 'constant': plain Adam at `lr` (the reference's `--optimizer adam,lr=...`); default inverse-sqrt. */
  schedule?: 'inverse_sqrt' | 'constant';
}

/** MASS README: `adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.0001`, warmup 4000 from 1e-7. */
export const MASS_ADAM: AdamOptions = { lr: 1e-4, beta1: 0.9, beta2: 0.98, eps: 1e-8, warmupUpdates: 4000, warmupInitLr: 1e-7 };

export interface AdamParamState {
  step: number;
  m: Float32Array;
  v: Float32Array;
}

export interface AdamState {
  updates: number;
  params: Map<string, AdamParamState>;
}

export class AdamInverseSqrt {
  readonly options: AdamOptions;
  /** Completed updates (the reference's param_group['num_updates']). */
  updates = 0;
  private readonly params = new Map<string, AdamParamState>();
  private allocate = (_name: string, size: number): { m: Float32Array; v: Float32Array } => ({ m: new Float32Array(size), v: new Float32Array(size) });

  constructor(options: Partial<AdamOptions> = {}) {
    this.options = { ...MASS_ADAM, ...options };
    const o = this.options;
    if (!(o.lr > 0) || !(o.warmupInitLr >= 0) || !(o.eps > 0)) throw new UserError(`optimizer: lr, warmup_init_lr and eps must be positive`);
    if (!(o.beta1 >= 0 && o.beta1 < 1 && o.beta2 >= 0 && o.beta2 < 1)) throw new UserError(`optimizer: beta1 and beta2 must be in [0, 1)`);
    if (!Number.isInteger(o.warmupUpdates) || o.warmupUpdates < 1) throw new UserError(`optimizer: warmup_updates must be a positive integer`);
  }

  /** Learning rate of the update that follows `n` completed updates. */
  lrAfter(n: number): number {
    const o = this.options;
    if (o.schedule === 'constant') return o.lr;
    if (n < o.warmupUpdates) return o.warmupInitLr + (n * (o.lr - o.warmupInitLr)) / o.warmupUpdates;
    return (o.lr * Math.sqrt(o.warmupUpdates)) / Math.sqrt(n);
  }

  /** Learning rate the next update will use. */
  get lr(): number {
    return this.lrAfter(this.updates);
  }

  /**
   * Applies this update to one parameter in place. `grad` undefined = no gradient this step;
   * `gradScale` multiplies the gradient (clipping). Call once per parameter, then {@link finishUpdate}.
   */
  updateParam(name: string, param: Float32Array, grad: Float32Array | undefined, gradScale = 1): void {
    const s = this.beginParam(name, param.length, grad !== undefined);
    if (s) adamKernel(param, grad, s.m, s.v, 0, param.length, s.stepSize, gradScale, this.options);
  }

  /**
   * The bookkeeping half of {@link updateParam} (state created on the first gradient, step counted):
   * what {@link adamKernel} needs to update the values, or undefined when the parameter is left alone.
   * For running the element loop elsewhere (worker threads).
   */
  beginParam(name: string, size: number, hasGrad: boolean): { m: Float32Array; v: Float32Array; stepSize: number } | undefined {
    let s = this.params.get(name);
    if (!s) {
      if (!hasGrad) return undefined;
      s = { step: 0, ...this.allocate(name, size) };
      this.params.set(name, s);
    }
    if (s.m.length !== size) throw new Error(`optimizer state for '${name}' has ${s.m.length} values, the parameter ${size}`);
    const { beta1: b1, beta2: b2 } = this.options;
    s.step++;
    return { m: s.m, v: s.v, stepSize: (this.lr * Math.sqrt(1 - b2 ** s.step)) / (1 - b1 ** s.step) };
  }

  /**
   * Where the moment arrays of a parameter are kept (default: fresh arrays). Existing state moves
   * into arrays from `allocate` (e.g. views of shared memory).
   */
  setStateAllocator(allocate: (name: string, size: number) => { m: Float32Array; v: Float32Array }): void {
    this.allocate = allocate;
    this.loadState({ updates: this.updates, params: new Map(this.params) });
  }

  finishUpdate(): void {
    this.updates++;
  }

  /** The live state (not a copy): serialise it for checkpoints. */
  state(): AdamState {
    return { updates: this.updates, params: this.params };
  }

  /** Replaces the state (from a checkpoint). */
  loadState(state: AdamState): void {
    this.updates = state.updates;
    this.params.clear();
    for (const [k, v] of state.params) {
      const s = this.allocate(k, v.m.length);
      s.m.set(v.m);
      s.v.set(v.v);
      this.params.set(k, { step: v.step, ...s });
    }
  }
}

/**
 * Elements [from, to) of one Adam update (see the header for the formula): m, v and param in place.
 * `grad` undefined: a zero gradient.
 */
export function adamKernel(
  param: Float32Array,
  grad: Float32Array | undefined,
  m: Float32Array,
  v: Float32Array,
  from: number,
  to: number,
  stepSize: number,
  gradScale: number,
  options: Pick<AdamOptions, 'beta1' | 'beta2' | 'eps'>,
): void {
  const { beta1: b1, beta2: b2, eps } = options;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  if (grad) {
    for (let i = from; i < to; i++) {
      const g = grad[i] * gradScale;
      const mi = (m[i] = b1 * m[i] + c1 * g);
      const vi = (v[i] = b2 * v[i] + c2 * g * g);
      param[i] -= (stepSize * mi) / (Math.sqrt(vi) + eps);
    }
  } else {
    for (let i = from; i < to; i++) {
      const mi = (m[i] = b1 * m[i]);
      const vi = (v[i] = b2 * v[i]);
      param[i] -= (stepSize * mi) / (Math.sqrt(vi) + eps);
    }
  }
}
