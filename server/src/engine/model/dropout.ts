/**
 * Dropout whose masks come from an explicit seed: site k of a forward pass draws from stream
 * (seed, k), so the same step seed replays the same masks (exact resume) on any backend.
 * Inverted dropout as torch's F.dropout: kept values are scaled by 1/(1-p). Each element draws 16
 * random bits (two per generator output), so p is applied as round(p·65536)/65536.
 */
import { tf, type Tensor } from '../backend/tf.js';
import { SeededRandom, mixSeed } from './random.js';

/** n mask values: 0 with probability ≈p, else 1/(1-p). */
export function dropoutMask(n: number, p: number, seed: number): Float32Array {
  const mask = new Float32Array(n);
  const rng = new SeededRandom(seed);
  const threshold = Math.round(p * 65536);
  const scale = 1 / (1 - p);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r = rng.nextU32();
    mask[i] = (r & 0xffff) < threshold ? 0 : scale;
    mask[i + 1] = r >>> 16 < threshold ? 0 : scale;
  }
  if (i < n) mask[i] = (rng.nextU32() & 0xffff) < threshold ? 0 : scale;
  return mask;
}

export class Dropout {
  private site = 0;

  constructor(readonly seed: number) {}

  /** x with elements zeroed with probability p (p = 0 returns x itself). */
  apply<T extends Tensor>(x: T, p: number): T {
    if (p <= 0) return x;
    const mask = dropoutMask(x.size, p, mixSeed(this.seed, this.site++));
    return tf.mul(x, tf.tensor(mask, x.shape, 'float32')) as T;
  }
}

/** Forward-pass options: `dropout` present = training mode. */
export interface ForwardOptions {
  dropout?: Dropout;
  /** Evaluation: plain cross-entropy even for a batch that asks for label smoothing. */
  plainLoss?: boolean;
}

export function drop<T extends Tensor>(x: T, p: number, opts: ForwardOptions): T {
  return opts.dropout ? opts.dropout.apply(x, p) : x;
}
