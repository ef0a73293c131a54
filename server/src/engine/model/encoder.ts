import { tf, type Tensor2D, type Tensor3D } from '../backend/tf.js';
import { drop, type ForwardOptions } from './dropout.js';
import { embed } from './embeddings.js';
import type { TokenInput } from './inputs.js';
import { attend, ffn, addLayerNorm, projectKeysValues } from './layers.js';
import { keyBias, lengthMask } from './masks.js';
import type { MassModel } from './model.js';

/**
 * The encoder (XLM TransformerModel.fwd with causal=False): (bs, len, dim), padding rows exactly 0.
 * Post-LN blocks: x = LN1(x + attn(x)); x = LN2(x + ffn(x)); x *= mask.
 */
export function encode(model: MassModel, input: TokenInput, opts: ForwardOptions = {}): Tensor3D {
  const c = model.config;
  const { bs, len } = input;
  const mask = lengthMask(bs, len, input.lengths);
  const bias = keyBias(bs, len, input.lengths);
  let x: Tensor2D = embed(model, 'encoder', input, mask, opts);
  for (let i = 0; i < c.n_layers; i++) {
    const p = `encoder.attentions.${i}`;
    const kv = projectKeysValues(model, `${p}.k_lin`, `${p}.v_lin`, x, bs, len);
    const a = drop(attend(model, `${p}.q_lin`, `${p}.out_lin`, x, bs, len, kv, bias, opts), c.dropout, opts);
    x = addLayerNorm(model, `encoder.layer_norm1.${i}`, x, a);
    x = addLayerNorm(model, `encoder.layer_norm2.${i}`, x, ffn(model, `encoder.ffns.${i}`, x, opts));
    x = tf.mul(x, mask);
  }
  return tf.reshape(x, [bs, len, c.emb_dim]);
}
