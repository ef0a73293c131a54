import { tf } from '../backend/tf.js';
import { decodeStep, startDecoding, type DecoderState, type EncoderMemory } from '../model/decoder.js';
import type { MassModel } from '../model/model.js';
import { predictLogits } from '../model/output.js';
import { isIdentity, readStepOutput, type StepDecoder, type StepOutput } from './stepDecoder.js';

/**
 * Incremental decoding with the model's own key/value cache (decoder.ts `decodeStep`), as XLM's
 * `generate` with `cache`. Works on every backend.
 */
export class CachedDecoder implements StepDecoder {
  private readonly state: DecoderState;

  constructor(
    private readonly model: MassModel,
    memory: EncoderMemory,
    lang: number,
  ) {
    this.state = startDecoding(model, memory, lang);
  }

  get rows(): number {
    return this.state.bs;
  }

  step(tokens: Int32Array, position: number, withLse = false): StepOutput | Promise<StepOutput> {
    const positions = new Int32Array(this.rows).fill(position);
    const logits = tf.tidy(() => {
      const l = predictLogits(this.model, 'decoder', decodeStep(this.model, this.state, tokens, positions));
      return withLse ? [l, tf.logSumExp(l, 1)] : [l];
    });
    return readStepOutput(logits);
  }

  select(indices: Int32Array): void {
    if (!isIdentity(indices, this.rows)) this.state.select(indices);
  }

  dispose(): void {
    this.state.dispose();
  }
}
