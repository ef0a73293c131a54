/**
 * The parameter list of the encoder-decoder, with exactly the names and shapes of MASS-unsupNMT's
 * `state_dict()` (prefixes `encoder.` / `decoder.`, Linear weights as (out, in)), in the same order,
 * and the reference initialisation.
 */
import type { ModelConfig } from './config.js';
import { SeededRandom, mixSeed } from './random.js';

export type Side = 'encoder' | 'decoder';

export type InitKind = { kind: 'normal'; std: number; zeroRow?: number } | { kind: 'uniform'; bound: number } | { kind: 'const'; value: number };

export interface ParamSpec {
  name: string;
  shape: number[];
  init: InitKind;
}

/** state_dict keys that are the same tensor as another key (share_inout_emb): alias → canonical. */
export function tiedAliases(): Record<string, string> {
  return {
    'encoder.pred_layer.proj.weight': 'encoder.embeddings.weight',
    'decoder.pred_layer.proj.weight': 'decoder.embeddings.weight',
  };
}

/** Names of the decoder cross-attention projections for layer i and target language id `lang`. */
export function crossAttentionNames(c: ModelConfig, i: number, lang: number): { q: string; k: string; v: string; out: string } {
  const base = `decoder.encoder_attn.${i}`;
  if (c.attention_setting === 'v1') {
    return { q: `${base}.q_lin`, k: `${base}.k_lin`, v: `${base}.v_lin`, out: `${base}.out_lin.${lang}` };
  }
  const b = `${base}.${lang}`;
  return { q: `${b}.q_lin`, k: `${b}.k_lin`, v: `${b}.v_lin`, out: `${b}.out_lin` };
}

/** Every parameter (tied aliases excluded), in state_dict order. */
export function parameterSpecs(c: ModelConfig): ParamSpec[] {
  const d = c.emb_dim;
  const specs: ParamSpec[] = [];
  const embStd = d ** -0.5;
  // XLM's Linear is torch.nn.Linear with its default init: kaiming_uniform(a=√5) = U(±1/√fan_in), bias likewise.
  const linear = (name: string, fanIn: number, fanOut: number) => {
    const bound = 1 / Math.sqrt(fanIn);
    specs.push({ name: `${name}.weight`, shape: [fanOut, fanIn], init: { kind: 'uniform', bound } });
    specs.push({ name: `${name}.bias`, shape: [fanOut], init: { kind: 'uniform', bound } });
  };
  const layerNorm = (name: string) => {
    specs.push({ name: `${name}.weight`, shape: [d], init: { kind: 'const', value: 1 } });
    specs.push({ name: `${name}.bias`, shape: [d], init: { kind: 'const', value: 0 } });
  };
  const attention = (name: string, outLins: string[]) => {
    linear(`${name}.q_lin`, d, d);
    linear(`${name}.k_lin`, d, d);
    linear(`${name}.v_lin`, d, d);
    for (const o of outLins) linear(`${name}.${o}`, d, d);
  };
  for (const side of ['encoder', 'decoder'] as const) {
    const p = side;
    const nLayers = side === 'encoder' ? c.n_layers : c.n_dec_layers;
    specs.push({ name: `${p}.position_embeddings.weight`, shape: [c.n_max_positions, d], init: { kind: 'normal', std: embStd } });
    if (c.n_langs > 1) specs.push({ name: `${p}.lang_embeddings.weight`, shape: [c.n_langs, d], init: { kind: 'normal', std: embStd } });
    specs.push({ name: `${p}.embeddings.weight`, shape: [c.n_words, d], init: { kind: 'normal', std: embStd, zeroRow: c.pad_index } });
    layerNorm(`${p}.layer_norm_emb`);
    for (let i = 0; i < nLayers; i++) attention(`${p}.attentions.${i}`, ['out_lin']);
    for (let i = 0; i < nLayers; i++) layerNorm(`${p}.layer_norm1.${i}`);
    for (let i = 0; i < nLayers; i++) {
      linear(`${p}.ffns.${i}.lin1`, d, c.hidden_dim);
      linear(`${p}.ffns.${i}.lin2`, c.hidden_dim, d);
    }
    for (let i = 0; i < nLayers; i++) layerNorm(`${p}.layer_norm2.${i}`);
    if (side === 'decoder') {
      for (let i = 0; i < nLayers; i++) layerNorm(`${p}.layer_norm15.${i}`);
      for (let i = 0; i < nLayers; i++) {
        if (c.attention_setting === 'v1') {
          attention(
            `${p}.encoder_attn.${i}`,
            Array.from({ length: c.n_langs }, (_, l) => `out_lin.${l}`),
          );
        } else {
          for (let l = 0; l < c.n_langs; l++) attention(`${p}.encoder_attn.${i}.${l}`, ['out_lin']);
        }
      }
    }
    // pred_layer.proj is Linear(emb_dim, n_words); its weight is replaced by the tied embeddings.
    specs.push({ name: `${p}.pred_layer.proj.bias`, shape: [c.n_words], init: { kind: 'uniform', bound: 1 / Math.sqrt(d) } });
  }
  return specs;
}

/** state_dict keys in reference order, tied aliases included (where torch lists them). */
export function stateDictKeys(c: ModelConfig): string[] {
  const keys: string[] = [];
  const alias = Object.fromEntries(Object.entries(tiedAliases()).map(([a]) => [a.replace('.weight', '.bias'), a]));
  for (const s of parameterSpecs(c)) {
    if (alias[s.name]) keys.push(alias[s.name]);
    keys.push(s.name);
  }
  return keys;
}

/** Initial values of one parameter; each parameter draws from its own stream of `seed`. */
export function initialValues(spec: ParamSpec, seed: number, index: number): Float32Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const init = spec.init;
  if (init.kind === 'const') {
    out.fill(init.value);
    return out;
  }
  const rng = new SeededRandom(mixSeed(seed, index));
  if (init.kind === 'uniform') {
    for (let i = 0; i < n; i++) out[i] = rng.uniform(-init.bound, init.bound);
  } else {
    for (let i = 0; i < n; i++) out[i] = rng.normal() * init.std;
    if (init.zeroRow !== undefined) {
      const cols = spec.shape[1];
      out.fill(0, init.zeroRow * cols, (init.zeroRow + 1) * cols);
    }
  }
  return out;
}
