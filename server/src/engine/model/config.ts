/**
 * Model hyper-parameters, named as MASS-unsupNMT's `params` so checkpoints and fixture configs can be
 * read as they are (src/model/transformer.py, train.py).
 */
import { UserError } from '../errors.js';

export interface ModelConfig {
  emb_dim: number;
  n_heads: number;
  /** Encoder layers. */
  n_layers: number;
  n_dec_layers: number;
  /** FFN inner size; the reference always uses 4 * emb_dim. */
  hidden_dim: number;
  n_words: number;
  n_langs: number;
  id2lang: Record<string, string>;
  bos_index: number;
  eos_index: number;
  pad_index: number;
  unk_index: number;
  mask_index: number;
  dropout: number;
  attention_dropout: number;
  /** true: exact erf GELU; false: ReLU (the reference's default). */
  gelu_activation: boolean;
  /** 'v1': per-language out_lin inside decoder cross-attention; 'v2': a whole cross-attention per language. */
  attention_setting: 'v1' | 'v2';
  n_max_positions: number;
  share_inout_emb: boolean;
}

/** LayerNorm epsilon of every LayerNorm in the reference model. */
export const LAYER_NORM_EPS = 1e-12;

/**
 * A full config from the fields given; the rest take MASS-unsupNMT's values: train.py's defaults
 * (n_layers 4 and n_dec_layers 6 independently, dropout 0) except gelu_activation, which the README's
 * commands turn on; XLM's dictionary indices.
 */
export function makeModelConfig(c: Partial<ModelConfig> & Pick<ModelConfig, 'n_words'>): ModelConfig {
  const emb = c.emb_dim ?? 512;
  const nLangs = c.n_langs ?? 2;
  const cfg: ModelConfig = {
    emb_dim: emb,
    n_heads: c.n_heads ?? 8,
    n_layers: c.n_layers ?? 4,
    n_dec_layers: c.n_dec_layers ?? 6,
    hidden_dim: c.hidden_dim ?? 4 * emb,
    n_words: c.n_words,
    n_langs: nLangs,
    id2lang: c.id2lang ?? Object.fromEntries(Array.from({ length: nLangs }, (_, i) => [String(i), `lang${i}`])),
    bos_index: c.bos_index ?? 0,
    eos_index: c.eos_index ?? 1,
    pad_index: c.pad_index ?? 2,
    unk_index: c.unk_index ?? 3,
    // XLM's dictionary: <s> </s> <pad> <unk> then <special0>..<special9>; MASS's mask_index is <special0>.
    mask_index: c.mask_index ?? 5,
    dropout: c.dropout ?? 0,
    attention_dropout: c.attention_dropout ?? 0,
    gelu_activation: c.gelu_activation ?? true,
    attention_setting: c.attention_setting ?? 'v1',
    n_max_positions: c.n_max_positions ?? 512,
    share_inout_emb: c.share_inout_emb ?? true,
  };
  validateModelConfig(cfg, 'model config');
  return cfg;
}

/** Throws a UserError naming `where` and the field when a config is unusable. */
export function validateModelConfig(c: ModelConfig, where: string): void {
  const bad = (field: string, why: string): never => {
    throw new UserError(`${where}: ${field} ${why}`);
  };
  const posInt = (field: keyof ModelConfig) => {
    const v = c[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) bad(field, `must be a positive integer, got ${JSON.stringify(v)}`);
  };
  for (const f of ['emb_dim', 'n_heads', 'n_layers', 'n_dec_layers', 'hidden_dim', 'n_words', 'n_langs', 'n_max_positions'] as const) posInt(f);
  if (c.emb_dim % c.n_heads !== 0) bad('emb_dim', `(${c.emb_dim}) must be a multiple of n_heads (${c.n_heads})`);
  for (const f of ['bos_index', 'eos_index', 'pad_index', 'unk_index', 'mask_index'] as const) {
    const v = c[f];
    if (!Number.isInteger(v) || v < 0 || v >= c.n_words) bad(f, `must be an id in [0, ${c.n_words}), got ${JSON.stringify(v)}`);
  }
  for (const f of ['dropout', 'attention_dropout'] as const) {
    const v = c[f];
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) bad(f, `must be in [0, 1), got ${JSON.stringify(v)}`);
  }
  if (c.attention_setting !== 'v1' && c.attention_setting !== 'v2')
    bad('attention_setting', `must be 'v1' or 'v2', got ${JSON.stringify(c.attention_setting)}`);
  if (!c.share_inout_emb) bad('share_inout_emb', 'false is not supported (MASS always ties input and output embeddings)');
  if (Object.keys(c.id2lang).length !== c.n_langs) bad('id2lang', `must name ${c.n_langs} languages`);
}

/** Reads a config from parsed JSON (a fixture's, a checkpoint's metadata), filling reference defaults. */
export function modelConfigFromJson(j: Record<string, unknown>, where: string): ModelConfig {
  if (typeof j.n_words !== 'number') throw new UserError(`${where}: n_words missing`);
  if (j.sinusoidal_embeddings === true) throw new UserError(`${where}: sinusoidal_embeddings is not supported`);
  if (j.asm === true) throw new UserError(`${where}: asm (adaptive softmax) is not supported`);
  if (j.english_only === true) throw new UserError(`${where}: english_only is not supported`);
  if (j.layer_norm_eps !== undefined && j.layer_norm_eps !== LAYER_NORM_EPS) throw new UserError(`${where}: layer_norm_eps must be ${LAYER_NORM_EPS}`);
  const pick: Partial<ModelConfig> = {};
  const keys: (keyof ModelConfig)[] = [
    'emb_dim',
    'n_heads',
    'n_layers',
    'n_dec_layers',
    'hidden_dim',
    'n_words',
    'n_langs',
    'id2lang',
    'bos_index',
    'eos_index',
    'pad_index',
    'unk_index',
    'mask_index',
    'dropout',
    'attention_dropout',
    'gelu_activation',
    'attention_setting',
    'n_max_positions',
    'share_inout_emb',
  ];
  for (const k of keys) if (j[k] !== undefined) (pick as Record<string, unknown>)[k] = j[k];
  return makeModelConfig(pick as Partial<ModelConfig> & Pick<ModelConfig, 'n_words'>);
}
