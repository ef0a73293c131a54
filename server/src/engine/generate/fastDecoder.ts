import { tf, type Tensor, type Tensor2D, type Tensor3D } from '../backend/tf.js';
import { asWasm, f32View } from '../backend/wasmInternals.js';
import type { EncoderMemory } from '../model/decoder.js';
import type { MassModel } from '../model/model.js';
import { addLayerNormStep, crossAttendStep, embedRows, geluStep, rowLogSumExp, selfAttendStep } from './decodeKernels.js';
import { SelfKvCache } from './selfKvCache.js';
import { project, type InferenceWeights } from './inferenceWeights.js';
import { isIdentity, type StepDecoder, type StepOutput } from './stepDecoder.js';

/**
 * Incremental decoding for the wasm and cpu backends: the same arithmetic as decoder.ts `decodeStep`
 * (post-LN self-attention, cross-attention, FFN; eval mode), as 12 kernels per layer instead of ~50.
 * Matrix products use pre-transposed weights ({@link InferenceWeights}); the self-attention keys/values
 * live in a {@link SelfKvCache}, filled in place and reordered through its slot table; the cross-attention
 * keys/values are computed once per sentence and shared by all of its beams (rows map to sentences).
 */
export class FastDecoder implements StepDecoder {
  /** Per layer: (sentences, slen, 2d) encoder keys/values. */
  private readonly crossKv: Tensor3D[] = [];
  /** Self-attention keys/values of every layer. */
  private selfKv: SelfKvCache;
  /** Sentence (row of the encoder memory) each decoder row belongs to. */
  private source: Int32Array;
  private readonly srcLengths: Int32Array;
  /** Positions fed so far. */
  private fed = 0;
  /** The last step's outputs, whose memory the returned arrays view (freed at the next call). */
  private last: Tensor[] = [];

  constructor(
    private readonly model: MassModel,
    memory: EncoderMemory,
    lang: number,
    private readonly capacity: number,
    private readonly weights: InferenceWeights,
    /** Dispose `weights` with the decoder. */
    private readonly ownsWeights: boolean,
  ) {
    if (memory.encMask) throw new Error('FastDecoder: masked encoder memory (encMask) is not supported');
    if (this.weights.lang !== lang) throw new Error(`FastDecoder: weights for language ${this.weights.lang}, decoding into ${lang}`);
    const [bs, slen, d] = memory.out.shape;
    this.source = Int32Array.from({ length: bs }, (_, i) => i);
    this.srcLengths = Int32Array.from(memory.lengths);
    this.selfKv = new SelfKvCache(this.weights.layers.length, capacity, 2 * d, bs);
    try {
      tf.tidy(() => {
        const flat = tf.reshape(memory.out, [bs * slen, d]) as Tensor2D;
        for (const l of this.weights.layers) {
          this.crossKv.push(tf.keep(tf.reshape(project(flat, l.crossKv), [bs, slen, 2 * d])));
        }
      });
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  get rows(): number {
    return this.source.length;
  }

  step(tokens: Int32Array, position: number, withLse = false): StepOutput {
    if (tokens.length !== this.rows) throw new Error(`FastDecoder: ${tokens.length} tokens for ${this.rows} rows`);
    if (position !== this.fed) throw new Error(`FastDecoder: position ${position} fed after ${this.fed} positions`);
    if (position >= this.capacity) throw new Error(`FastDecoder: position ${position} beyond the capacity ${this.capacity}`);
    const w = this.weights;
    const heads = w.heads;
    this.selfKv.startStep(tokens.length, position);
    const logits = tf.tidy(() => {
      let x = embedRows(w.embed, tokens, new Int32Array(tokens.length).fill(position), new Int32Array(tokens.length).fill(w.lang));
      w.layers.forEach((l, i) => {
        const self = selfAttendStep(project(x, l.qkv), this.selfKv, i, position, heads);
        x = addLayerNormStep(x, project(self, l.selfOut), l.ln1[0], l.ln1[1]);
        const cross = crossAttendStep(project(x, l.crossQ), this.crossKv[i], this.source, this.srcLengths, heads);
        x = addLayerNormStep(x, project(cross, l.crossOut), l.ln15[0], l.ln15[1]);
        x = addLayerNormStep(x, project(geluOrRelu(this.model, project(x, l.ffn1)), l.ffn2), l.ln2[0], l.ln2[1]);
      });
      const logits = project(x, w.output);
      return withLse ? [logits, rowLogSumExp(logits)] : [logits];
    });
    this.fed++;
    this.releaseLast();
    this.last = logits;
    return { logits: hostView(logits[0]), lse: logits[1] && hostView(logits[1]) };
  }

  private releaseLast(): void {
    for (const t of this.last) t.dispose();
    this.last = [];
  }

  select(indices: Int32Array): void {
    this.releaseLast();
    if (isIdentity(indices, this.rows)) return;
    this.selfKv.select(indices, this.fed);
    this.source = Int32Array.from(indices, (i) => this.source[i]);
  }

  dispose(): void {
    this.releaseLast();
    for (const t of this.crossKv) t.dispose();
    this.crossKv.length = 0;
    this.selfKv.dispose();
    if (this.ownsWeights) this.weights.dispose();
  }
}

/**
 * The values of a float32 tensor on the host without a copy where the backend allows it (wasm: a view
 * of its heap, valid until the next allocation; cpu: its own array), else a downloaded copy.
 */
function hostView(t: Tensor): Float32Array {
  const backend = tf.backend();
  if (tf.getBackend() === 'wasm') return f32View(asWasm(backend), t);
  return t.dataSync() as Float32Array;
}

function geluOrRelu(model: MassModel, h: Tensor2D): Tensor2D {
  return model.config.gelu_activation ? geluStep(h) : tf.relu(h);
}
