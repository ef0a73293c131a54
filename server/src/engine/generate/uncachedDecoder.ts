import { tf, type Tensor3D } from '../backend/tf.js';
import { decode, type EncoderMemory } from '../model/decoder.js';
import type { MassModel } from '../model/model.js';
import { gatherRows, predictLogits } from '../model/output.js';
import { isIdentity, readStepOutput, type StepDecoder, type StepOutput } from './stepDecoder.js';

/**
 * Decoding without a cache: every step runs the decoder over the whole prefix (XLM's `generate`
 * without `cache`) and keeps the last position. Slow; it is the reference the cached decoders are
 * tested against.
 */
export class UncachedDecoder implements StepDecoder {
  /** Tokens fed so far, per row. */
  private prefixes: number[][];
  private out: Tensor3D;
  private lengths: Int32Array;
  private encMask: Uint8Array | undefined;

  constructor(
    private readonly model: MassModel,
    memory: EncoderMemory,
    private readonly lang: number,
  ) {
    this.out = tf.keep(tf.clone(memory.out));
    this.lengths = Int32Array.from(memory.lengths);
    this.encMask = memory.encMask && Uint8Array.from(memory.encMask);
    this.prefixes = Array.from({ length: memory.out.shape[0] }, () => []);
  }

  get rows(): number {
    return this.prefixes.length;
  }

  step(tokens: Int32Array, position: number, withLse = false): StepOutput | Promise<StepOutput> {
    const bs = this.rows;
    this.prefixes.forEach((p, r) => {
      if (p.length !== position) throw new Error(`UncachedDecoder: row ${r} has ${p.length} tokens, position ${position}`);
      p.push(tokens[r]);
    });
    const len = position + 1;
    const flat = Int32Array.from(this.prefixes.flat());
    const positions = new Int32Array(bs * len);
    for (let b = 0; b < bs; b++) for (let t = 0; t < len; t++) positions[b * len + t] = t;
    const last = Int32Array.from({ length: bs }, (_, b) => b * len + len - 1);
    const logits = tf.tidy(() => {
      const h = decode(
        this.model,
        { bs, len, tokens: flat, lengths: new Int32Array(bs).fill(len), langs: new Int32Array(bs * len).fill(this.lang), positions },
        { out: this.out, lengths: this.lengths, encMask: this.encMask },
      );
      const l = predictLogits(this.model, 'decoder', gatherRows(h, last));
      return withLse ? [l, tf.logSumExp(l, 1)] : [l];
    });
    return readStepOutput(logits);
  }

  select(indices: Int32Array): void {
    if (isIdentity(indices, this.rows)) return;
    const old = this.out;
    this.out = tf.tidy(() => tf.gather(old, tf.tensor1d(indices, 'int32'), 0));
    old.dispose();
    const [, slen] = this.out.shape;
    this.lengths = Int32Array.from(indices, (i) => this.lengths[i]);
    if (this.encMask) {
      const m = this.encMask;
      const next = new Uint8Array(indices.length * slen);
      indices.forEach((i, r) => next.set(m.subarray(i * slen, (i + 1) * slen), r * slen));
      this.encMask = next;
    }
    this.prefixes = Array.from(indices, (i) => [...this.prefixes[i]]);
  }

  dispose(): void {
    this.out.dispose();
  }
}
