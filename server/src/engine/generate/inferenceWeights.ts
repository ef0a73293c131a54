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
    const wasm = tf.getBackend() === 'wasm';
    // A model read lazily from its file hands out fresh tensors (`owned`): each is packed or kept as it
    // is and never copied, so the model's weights exist once, in this layout only.
    const weight = (name: string) => model.weight(name);
    const release = (w: { tensor: Tensor; owned: boolean }) => {
      if (w.owned) w.tensor.dispose();
    };
    // On wasm a lone Linear (out, in) is packed as its transpose straight from torch's layout.
    const packedT = (name: string, bias: string): Projection => {
      const w = weight(`${name}.weight`);
      try {
        const [outDim, inDim] = w.tensor.shape as [number, number];
        const packed = keep(tf.engine().runKernel(PACK_MATRIX, { b: w.tensor }, { transposed: true }) as Tensor1D);
        return { packed, b: snap(bias), inDim, outDim };
      } finally {
        release(w);
      }
    };
    const withPacked = ({ w, b }: { w: Tensor2D; b: Tensor1D }): Projection => {
      const [inDim, outDim] = w.shape;
      if (!wasm) return { w, b, inDim, outDim };
      const packed = keep(tf.engine().runKernel(PACK_MATRIX, { b: w }) as Tensor1D);
      owned.splice(owned.indexOf(w), 1);
      w.dispose();
      return { packed, b, inDim, outDim };
    };
    const proj = (...names: string[]): Projection => {
      if (wasm && names.length === 1) return packedT(names[0]!, `${names[0]}.bias`);
      return withPacked(
        tf.tidy(() => ({
          w: keep(
            tf.concat(
              names.map((n) => {
                const w = weight(`${n}.weight`);
                return tf.transpose(w.tensor); // a fresh tensor made in this tidy is disposed with it
              }),
              1,
            ) as Tensor2D,
          ),
          b: keep(
            tf.concat(
              names.map((n) => weight(`${n}.bias`).tensor),
              0,
            ) as Tensor1D,
          ),
        })),
      );
    };
    // Parameters used as they are are cloned too (on wasm a clone shares the data): the snapshot must
    // not change when a trainer assigns new values while a translation is under way. A fresh tensor
    // from a lazily read model is already a snapshot: kept as it is.
    function snap<T extends Tensor>(name: string): T {
      const w = weight(name);
      return keep((w.owned ? w.tensor : tf.clone(w.tensor)) as T);
    }
    const ln = (name: string): [Tensor, Tensor] => [snap(`${name}.weight`), snap(`${name}.bias`)];
    const embedOf = (side: 'encoder' | 'decoder'): EmbedWeights => ({
      tokEmb: snap<Tensor2D>(`${side}.embeddings.weight`),
      posEmb: snap<Tensor2D>(`${side}.position_embeddings.weight`),
      langEmb: c.n_langs > 1 ? snap<Tensor2D>(`${side}.lang_embeddings.weight`) : undefined,
      gamma: snap(`${side}.layer_norm_emb.weight`),
      beta: snap(`${side}.layer_norm_emb.bias`),
    });
    try {
      const encoderEmbed = embedOf('encoder');
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
      // The output projection is the decoder's token embedding (tied): packed from the copy kept above.
      const decoderEmbed = embedOf('decoder');
      const outBias = snap<Tensor1D>('decoder.pred_layer.proj.bias');
      const output: Projection = wasm
        ? {
            packed: keep(tf.engine().runKernel(PACK_MATRIX, { b: decoderEmbed.tokEmb }, { transposed: true }) as Tensor1D),
            b: outBias,
            inDim: c.emb_dim,
            outDim: c.n_words,
          }
        : { w: keep(tf.transpose(decoderEmbed.tokEmb)), b: outBias, inDim: c.emb_dim, outDim: c.n_words };
      return new InferenceWeights(lang, c.n_heads, encoderEmbed, encoderLayers, decoderEmbed, layers, output, owned);
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
