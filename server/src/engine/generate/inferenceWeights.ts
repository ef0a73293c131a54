import { tf, type Tensor, type Tensor1D, type Tensor2D } from '../backend/tf.js';
import type { MassModel } from '../model/model.js';
import { crossAttentionNames } from '../model/parameters.js';
import type { EmbedWeights } from './decodeKernels.js';
import { PACK_MATRIX, PACKED_MATMUL } from '../backend/wasmMatMul.js';

/**
 * A Linear as x·W + b: W stored (in, out) for a plain matrix product (no transpose at run time) or, on
 * wasm, `packed` once for our GEMM instead of on every product (and W itself dropped).
 */
export type Projection = { b: Tensor1D; inDim: number; outDim: number } & ({ w: Tensor2D; packed?: undefined } | { packed: Tensor1D; w?: undefined });

export interface EncoderLayerWeights {
  /** q, k, v in one product: (d, 3d). */
  qkv: Projection;
  out: Projection;
  ln1: [Tensor, Tensor];
  ffn1: Projection;
  ffn2: Projection;
  ln2: [Tensor, Tensor];
}

export interface DecoderLayerWeights {
  /** Self-attention q, k, v in one product: (d, 3d). */
  qkv: Projection;
  selfOut: Projection;
  ln1: [Tensor, Tensor];
  crossQ: Projection;
  /** Cross-attention k, v of the encoder output in one product: (d, 2d). */
  crossKv: Projection;
  crossOut: Projection;
  ln15: [Tensor, Tensor];
  ffn1: Projection;
  ffn2: Projection;
  ln2: [Tensor, Tensor];
}

/**
 * The model's parameters for inference into one target language, laid out for the host-kernel
 * encoder pass and single-row decoder steps: every
 * Linear pre-transposed to (in, out) and, on wasm, packed for our GEMM; q/k/v fused, and the tied
 * output embedding transposed once. A snapshot of the weights at build time. Owns its tensors.
 */
export class InferenceWeights {
  private constructor(
    readonly lang: number,
    readonly heads: number,
    readonly encoderEmbed: EmbedWeights,
    readonly encoderLayers: EncoderLayerWeights[],
    readonly embed: EmbedWeights,
    readonly layers: DecoderLayerWeights[],
    readonly output: Projection,
    private readonly owned: Tensor[],
  ) {}

  static build(model: MassModel, lang: number): InferenceWeights {
    const c = model.config;
    const owned: Tensor[] = [];
    const keep = <T extends Tensor>(t: T): T => (owned.push(tf.keep(t)), t);
    const p = (name: string) => model.p(name);
    const withPacked = ({ w, b }: { w: Tensor2D; b: Tensor1D }): Projection => {
      const [inDim, outDim] = w.shape;
      if (tf.getBackend() !== 'wasm') return { w, b, inDim, outDim };
      const packed = keep(tf.engine().runKernel(PACK_MATRIX, { b: w }) as Tensor1D);
      owned.splice(owned.indexOf(w), 1);
      w.dispose();
      return { packed, b, inDim, outDim };
    };
    const proj = (...names: string[]): Projection =>
      withPacked(
        tf.tidy(() => ({
          w: keep(
            tf.concat(
              names.map((n) => tf.transpose(p(`${n}.weight`))),
              1,
            ) as Tensor2D,
          ),
          b: keep(
            tf.concat(
              names.map((n) => p(`${n}.bias`)),
              0,
            ) as Tensor1D,
          ),
        })),
      );
    // Parameters used as they are are cloned too (on wasm a clone shares the data): the snapshot must
    // not change when a trainer assigns new values while a translation is under way.
    const snap = <T extends Tensor>(t: T): T => keep(tf.clone(t));
    const ln = (name: string): [Tensor, Tensor] => [snap(p(`${name}.weight`)), snap(p(`${name}.bias`))];
    const embedOf = (side: 'encoder' | 'decoder'): EmbedWeights => ({
      tokEmb: snap(p(`${side}.embeddings.weight`) as Tensor2D),
      posEmb: snap(p(`${side}.position_embeddings.weight`) as Tensor2D),
      langEmb: c.n_langs > 1 ? snap(p(`${side}.lang_embeddings.weight`) as Tensor2D) : undefined,
      gamma: snap(p(`${side}.layer_norm_emb.weight`)),
      beta: snap(p(`${side}.layer_norm_emb.bias`)),
    });
    try {
      const encoderLayers: EncoderLayerWeights[] = [];
      for (let i = 0; i < c.n_layers; i++) {
        const a = `encoder.attentions.${i}`;
        encoderLayers.push({
          qkv: proj(`${a}.q_lin`, `${a}.k_lin`, `${a}.v_lin`),
          out: proj(`${a}.out_lin`),
          ln1: ln(`encoder.layer_norm1.${i}`),
          ffn1: proj(`encoder.ffns.${i}.lin1`),
          ffn2: proj(`encoder.ffns.${i}.lin2`),
          ln2: ln(`encoder.layer_norm2.${i}`),
        });
      }
      const layers: DecoderLayerWeights[] = [];
      for (let i = 0; i < c.n_dec_layers; i++) {
        const a = `decoder.attentions.${i}`;
        const x = crossAttentionNames(c, i, lang);
        layers.push({
          qkv: proj(`${a}.q_lin`, `${a}.k_lin`, `${a}.v_lin`),
          selfOut: proj(`${a}.out_lin`),
          ln1: ln(`decoder.layer_norm1.${i}`),
          crossQ: proj(x.q),
          crossKv: proj(x.k, x.v),
          crossOut: proj(x.out),
          ln15: ln(`decoder.layer_norm15.${i}`),
          ffn1: proj(`decoder.ffns.${i}.lin1`),
          ffn2: proj(`decoder.ffns.${i}.lin2`),
          ln2: ln(`decoder.layer_norm2.${i}`),
        });
      }
      const output = withPacked(
        tf.tidy(() => ({
          w: keep(tf.transpose(p('decoder.embeddings.weight')) as Tensor2D),
          b: snap(p('decoder.pred_layer.proj.bias') as Tensor1D),
        })),
      );
      return new InferenceWeights(lang, c.n_heads, embedOf('encoder'), encoderLayers, embedOf('decoder'), layers, output, owned);
    } catch (e) {
      for (const t of owned) t.dispose();
      throw e;
    }
  }

  dispose(): void {
    for (const t of this.owned) t.dispose();
    this.owned.length = 0;
  }
}

/** x·W + b. */
export function project(x: Tensor2D, p: Projection): Tensor2D {
  if (p.packed) return tf.engine().runKernel(PACKED_MATMUL, { x, packed: p.packed, bias: p.b }, { k: p.inDim, n: p.outDim }) as Tensor2D;
  return tf.fused.matMul({ a: x, b: p.w, bias: p.b }) as Tensor2D;
}
