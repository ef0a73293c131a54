import { UserError } from '../engine/errors.js';

export interface OptimizerSpec {
  name: 'adam' | 'adam_inverse_sqrt' | 'sgd';
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** adam_inverse_sqrt only. */
  warmupUpdates: number;
  warmupInitLr: number;
}

const KEYS: Record<string, keyof OptimizerSpec> = {
  lr: 'lr',
  beta1: 'beta1',
  beta2: 'beta2',
  eps: 'eps',
  weight_decay: 'weightDecay',
  warmup_updates: 'warmupUpdates',
  warmup_init_lr: 'warmupInitLr',
};

/**
 * Parses the reference's optimizer string (XLM `get_optimizer`): 'adam_inverse_sqrt,beta1=0.9,
 * beta2=0.98,lr=0.0001'. Defaults as XLM's AdamInverseSqrtWithWarmup: warmup_updates 4000,
 * warmup_init_lr 1e-7, eps 1e-8.
 */
export function parseOptimizer(s: string): OptimizerSpec {
  const [name, ...pairs] = s.split(',').map((x) => x.trim());
  if (name !== 'adam' && name !== 'adam_inverse_sqrt' && name !== 'sgd') {
    throw new UserError(`optimizer: unknown optimizer '${name}' (use adam, adam_inverse_sqrt or sgd)`);
  }
  const spec: OptimizerSpec = {
    name,
    lr: name === 'sgd' ? 0.01 : 1e-3,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 0,
    warmupUpdates: 4000,
    warmupInitLr: 1e-7,
  };
  for (const p of pairs) {
    const m = /^([a-z_0-9]+)=([-+0-9.eE]+)$/.exec(p);
    if (!m) throw new UserError(`optimizer: '${p}' is not key=value`);
    const key = KEYS[m[1]!];
    if (!key || (name !== 'adam_inverse_sqrt' && (key === 'warmupUpdates' || key === 'warmupInitLr'))) {
      throw new UserError(`optimizer: unknown setting '${m[1]}' for ${name}`);
    }
    const v = Number(m[2]);
    if (!Number.isFinite(v) || v < 0) throw new UserError(`optimizer: ${m[1]}=${m[2]} is not a non-negative number`);
    (spec[key] as number) = v;
  }
  if (spec.beta1 >= 1 || spec.beta2 >= 1) throw new UserError('optimizer: beta1 and beta2 must be below 1');
  if (spec.lr <= 0) throw new UserError('optimizer: lr must be positive');
  return spec;
}

/**
 * Learning rate used by the next update, given how many updates were already done. adam_inverse_sqrt
 * is XLM's AdamInverseSqrtWithWarmup: the first update runs at warmup_init_lr, the rate then rises
 * linearly to lr at update warmup_updates and decays as lr * sqrt(warmup_updates / n) after.
 */
export function learningRate(spec: OptimizerSpec, updatesDone: number): number {
  if (spec.name !== 'adam_inverse_sqrt') return spec.lr;
  const warm = spec.warmupUpdates;
  if (updatesDone < warm) return spec.warmupInitLr + (updatesDone * (spec.lr - spec.warmupInitLr)) / warm;
  return (spec.lr * Math.sqrt(warm)) / Math.sqrt(updatesDone);
}
