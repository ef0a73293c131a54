import { tf, type Tensor, type Tensor2D, type Tensor3D } from '../backend/tf.js';
import { drop, type ForwardOptions } from './dropout.js';
import { embed } from './embeddings.js';
import { maxLang, type TokenInput } from './inputs.js';
import { attend, ffn, addLayerNorm, projectKeysValues, type KeysValues } from './layers.js';
import { causalBias, keyBias, lengthMask } from './masks.js';
import type { MassModel } from './model.js';
import { crossAttentionNames } from './parameters.js';

/** What the decoder attends to. */
export interface EncoderMemory {
  /** Encoder output (bs, slen, dim). */
  out: Tensor3D;
  /** Source lengths (keys at j >= length are hidden). */
  lengths: Int32Array;
  /** bs·slen, 0 where cross-attention may not look (MASS hides `[MASK]` positions); absent = all visible. */
  encMask?: Uint8Array;
}

function crossKeysValues(model: MassModel, memory: EncoderMemory, layer: number, lang: number): KeysValues {
  const [bs, slen, d] = memory.out.shape;
  const names = crossAttentionNames(model.config, layer, lang);
  return projectKeysValues(model, names.k, names.v, tf.reshape(memory.out, [bs * slen, d]), bs, slen);
}

/**
 * The decoder over a whole target (XLM TransformerModel.fwd with causal=True, src_enc given):
 * x = LN1(x + self_attn(x)); x = LN15(x + cross_attn(x, enc)); x = LN2(x + ffn(x)); x *= mask.
 * `input.positions` should be given (MASS: the fragment's original positions). The cross-attention
 * output projection is chosen by the largest language id in `input.langs` (attention_setting v1).
 */
export function decode(model: MassModel, input: TokenInput, memory: EncoderMemory, opts: ForwardOptions = {}): Tensor3D {
  const c = model.config;
  const { bs, len } = input;
  const slen = memory.out.shape[1];
  const lang = maxLang(input.langs);
  const mask = lengthMask(bs, len, input.lengths);
  const selfBias = causalBias(len);
  const srcBias = keyBias(bs, slen, memory.lengths, memory.encMask);
  let x: Tensor2D = embed(model, 'decoder', input, mask, opts);
  for (let i = 0; i < c.n_dec_layers; i++) {
    const p = `decoder.attentions.${i}`;
    const kv = projectKeysValues(model, `${p}.k_lin`, `${p}.v_lin`, x, bs, len);
    let a = drop(attend(model, `${p}.q_lin`, `${p}.out_lin`, x, bs, len, kv, selfBias, opts), c.dropout, opts);
    x = addLayerNorm(model, `decoder.layer_norm1.${i}`, x, a);
    const names = crossAttentionNames(c, i, lang);
    a = drop(attend(model, names.q, names.out, x, bs, len, crossKeysValues(model, memory, i, lang), srcBias, opts), c.dropout, opts);
    x = addLayerNorm(model, `decoder.layer_norm15.${i}`, x, a);
    x = addLayerNorm(model, `decoder.layer_norm2.${i}`, x, ffn(model, `decoder.ffns.${i}`, x, opts));
    x = tf.mul(x, mask);
  }
  return tf.reshape(x, [bs, len, c.emb_dim]);
}

/**
 * Key/value cache for incremental decoding (one new token per row per step, eval mode), as XLM's
 * `cache` in `generate`: cross-attention keys/values are projected once, self-attention ones grow.
 * Owns its tensors: call {@link dispose}.
 */
export class DecoderState {
  step = 0;
  self: (KeysValues | undefined)[];

  constructor(
    public bs: number,
    readonly lang: number,
    public cross: KeysValues[],
    public srcBias: Tensor,
  ) {
    this.self = cross.map(() => undefined);
  }

  private tensors(): Tensor[] {
    const out: Tensor[] = [this.srcBias];
    for (const kv of [...this.cross, ...this.self]) if (kv) out.push(kv.kT, kv.v);
    return out;
  }

  /** Reorders/duplicates rows (beam search): row r of the new state is row indices[r] of this one. */
  select(indices: Int32Array): void {
    const old = this.tensors();
    const pick = (t: Tensor) => tf.keep(tf.gather(t, tf.tensor1d(indices, 'int32'), 0));
    tf.tidy(() => {
      this.srcBias = pick(this.srcBias);
      this.cross = this.cross.map((kv) => ({ kT: pick(kv.kT), v: pick(kv.v) }) as KeysValues);
      this.self = this.self.map((kv) => (kv ? ({ kT: pick(kv.kT), v: pick(kv.v) } as KeysValues) : undefined));
    });
    this.bs = indices.length;
    for (const t of old) t.dispose();
  }

  dispose(): void {
    for (const t of this.tensors()) t.dispose();
  }
}

/** Starts incremental decoding into language `lang` over `memory`. */
export function startDecoding(model: MassModel, memory: EncoderMemory, lang: number): DecoderState {
  const [bs, slen] = memory.out.shape;
  const made = tf.tidy(() => ({
    cross: Array.from({ length: model.config.n_dec_layers }, (_, i) => crossKeysValues(model, memory, i, lang)) as unknown as tf.TensorContainer[],
    bias: keyBias(bs, slen, memory.lengths, memory.encMask),
  }));
  return new DecoderState(bs, lang, made.cross as unknown as KeysValues[], made.bias as Tensor);
}

/**
 * Feeds one token per row (at `positions`, default the step number) and returns the decoder output
 * for it, (bs, dim). Equals the matching rows of {@link decode} on the whole prefix. Rows that have
 * finished are computed like the others (the caller ignores them; the reference zeroes them).
 */
export function decodeStep(model: MassModel, state: DecoderState, tokens: Int32Array, positions?: Int32Array): Tensor2D {
  const c = model.config;
  const bs = state.bs;
  if (tokens.length !== bs) throw new Error(`decodeStep: ${tokens.length} tokens for ${bs} rows`);
  const newSelf: KeysValues[] = [];
  const out = tf.tidy(() => {
    const input: TokenInput = {
      bs,
      len: 1,
      tokens,
      lengths: new Int32Array(bs).fill(1),
      langs: new Int32Array(bs).fill(state.lang),
      positions: positions ?? new Int32Array(bs).fill(state.step),
    };
    let x: Tensor2D = embed(model, 'decoder', input, tf.ones([bs, 1]) as Tensor2D, {});
    for (let i = 0; i < c.n_dec_layers; i++) {
      const p = `decoder.attentions.${i}`;
      const fresh = projectKeysValues(model, `${p}.k_lin`, `${p}.v_lin`, x, bs, 1);
      const prev = state.self[i];
      const kv = prev ? { kT: tf.concat([prev.kT, fresh.kT], 3), v: tf.concat([prev.v, fresh.v], 2) } : fresh;
      newSelf.push({ kT: tf.keep(kv.kT), v: tf.keep(kv.v) } as KeysValues);
      x = addLayerNorm(model, `decoder.layer_norm1.${i}`, x, attend(model, `${p}.q_lin`, `${p}.out_lin`, x, bs, 1, kv as KeysValues, undefined, {}));
      const names = crossAttentionNames(c, i, state.lang);
      x = addLayerNorm(model, `decoder.layer_norm15.${i}`, x, attend(model, names.q, names.out, x, bs, 1, state.cross[i], state.srcBias, {}));
      x = addLayerNorm(model, `decoder.layer_norm2.${i}`, x, ffn(model, `decoder.ffns.${i}`, x, {}));
    }
    return x;
  });
  for (const kv of state.self) if (kv) (kv.kT.dispose(), kv.v.dispose());
  state.self = newSelf;
  state.step++;
  return out;
}
