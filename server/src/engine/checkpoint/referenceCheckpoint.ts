/**
 * The reference's checkpoint dict (MASS-unsupNMT trainer.save_model: {'encoder', 'decoder':
 * state_dicts, 'dico_id2word', 'dico_word2id', 'dico_counts', 'params'}) ⇄ our checkpoint contents
 * (state_dict names under 'encoder.' / 'decoder.', the model config, the vocabulary, the BPE codes).
 * The same mapping as scripts/convert_checkpoint.py, without Python. TensorFlow-free.
 */
import { UserError } from '../errors.js';
import { modelConfigFromJson, type ModelConfig } from '../model/config.js';
import { parameterSpecs, stateDictKeys, tiedAliases } from '../model/parameters.js';
import type { LazyF32Entry } from '../model/safetensorsWriter.js';
import { BOS_WORD, EOS_WORD, FIRST_WORD_INDEX, PAD_WORD, UNK_WORD, specialWord } from '../text/dictionary.js';
import { attributesOf, scalarToJson, type PyDict } from './pyValues.js';
import { HostTensor, TorchTensor, tensorFloat32 } from './torchTensors.js';

/** Model fields read from the reference's params (hidden_dim, n_max_positions and id2lang are derived). */
const MODEL_KEYS = [
  'emb_dim',
  'n_heads',
  'n_layers',
  'n_dec_layers',
  'n_words',
  'n_langs',
  'bos_index',
  'eos_index',
  'pad_index',
  'unk_index',
  'mask_index',
  'dropout',
  'attention_dropout',
  'gelu_activation',
  'attention_setting',
  'share_inout_emb',
] as const;

const SPECIALS = [BOS_WORD, EOS_WORD, PAD_WORD, UNK_WORD, ...Array.from({ length: FIRST_WORD_INDEX - 4 }, (_, i) => specialWord(i))];

export interface ImportedReference {
  config: ModelConfig;
  /**
   * state_dict entries in reference order, tied copies included. Values are converted from the storage
   * bytes when asked for, one tensor at a time: a full-size model's float32 copies are never all held.
   */
  tensors: [string, LazyF32Entry][];
  /** `word count` lines of the words after the specials, in id order. */
  vocab: string;
  langs: string[];
  /** Scalar params (train.py flags) for the checkpoint's settings. */
  settings: Record<string, unknown>;
  tasks: string[];
  epoch: number;
  experiment: string;
}

/** Reads the reference's checkpoint dict; `source` names the file in errors. */
export function importReference(value: unknown, source: string): ImportedReference {
  if (!(value instanceof Map)) throw new UserError(`${source}: not a MASS-unsupNMT checkpoint (the file holds no dict)`);
  const ck = value as PyDict;
  for (const k of ['encoder', 'decoder', 'dico_id2word', 'dico_counts', 'params']) {
    if (!ck.has(k)) throw new UserError(`${source}: not a MASS-unsupNMT checkpoint (no '${k}'; it has ${[...ck.keys()].map(String).sort().join(', ')})`);
  }
  const p = attributesOf(ck.get('params'));
  if (!p) throw new UserError(`${source}: 'params' is neither a dict nor an argparse.Namespace`);
  const param = (k: string) => p.get(k);

  // Weights: strip DistributedDataParallel's 'module.' prefix, as the reference's reload_model does.
  const raw = new Map<string, TorchTensor>();
  for (const side of ['encoder', 'decoder']) {
    const sd = ck.get(side);
    if (!(sd instanceof Map)) throw new UserError(`${source}: '${side}' is not a state_dict`);
    for (const [k, v] of sd) {
      if (typeof k !== 'string' || !(v instanceof TorchTensor)) throw new UserError(`${source}: '${side}' holds a non-tensor entry ${String(k)}`);
      raw.set(`${side}.${k.startsWith('module.') ? k.slice(7) : k}`, v);
    }
  }

  // Vocabulary: ids 0..13 must be XLM's specials; the rest become `word count` lines in id order.
  const id2word = ck.get('dico_id2word');
  const counts = ck.get('dico_counts');
  if (!(id2word instanceof Map) || !(counts instanceof Map)) throw new UserError(`${source}: dico_id2word / dico_counts are not dicts`);
  const words: string[] = [];
  for (let i = 0; i < id2word.size; i++) {
    const w = id2word.get(i);
    if (typeof w !== 'string') throw new UserError(`${source}: dico_id2word has no word for id ${i}`);
    if (i < SPECIALS.length && w !== SPECIALS[i]) throw new UserError(`${source}: dico_id2word[${i}] is '${w}', XLM's dictionary has '${SPECIALS[i]}' there`);
    if (/\s/.test(w)) throw new UserError(`${source}: word ${i} ('${w}') contains whitespace`);
    words.push(w);
  }
  const vocab = words
    .slice(SPECIALS.length)
    .map((w) => `${w} ${Number(scalarToJson(counts.get(w)) ?? 0)}\n`)
    .join('');

  const model: Record<string, unknown> = {};
  for (const k of MODEL_KEYS) {
    const v = scalarToJson(param(k));
    if (v !== undefined && v !== null) model[k] = v;
  }
  if (model.n_words === undefined) model.n_words = words.length;
  if (model.n_words !== words.length) throw new UserError(`${source}: params.n_words is ${String(model.n_words)} but the dictionary has ${words.length} words`);
  const emb = Number(model.emb_dim);
  model.hidden_dim = 4 * emb;
  const pos = raw.get('encoder.position_embeddings.weight');
  if (!pos) throw new UserError(`${source}: encoder.position_embeddings.weight missing (sinusoidal embeddings are not supported)`);
  model.n_max_positions = pos.shape[0];
  // Languages: id2lang, else lang2id inverted, else lgs sorted (the reference's own rule).
  let id2lang: Record<string, string> | undefined;
  const i2l = param('id2lang');
  const l2i = param('lang2id');
  if (i2l instanceof Map) id2lang = Object.fromEntries([...i2l].map(([k, v]) => [String(k), String(v)]));
  else if (l2i instanceof Map) id2lang = Object.fromEntries([...l2i].map(([k, v]) => [String(v), String(k)]));
  else if (typeof param('lgs') === 'string')
    id2lang = Object.fromEntries(
      (param('lgs') as string)
        .split('-')
        .sort()
        .map((l, i) => [String(i), l]),
    );
  if (!id2lang) throw new UserError(`${source}: params name no languages (id2lang, lang2id or lgs)`);
  model.id2lang = id2lang;
  if (model.n_langs === undefined) model.n_langs = Object.keys(id2lang).length;
  // Old MASS releases predate these flags: their behaviour is the later defaults.
  if (model.attention_setting === undefined) model.attention_setting = 'v1';
  if (model.share_inout_emb === undefined) model.share_inout_emb = true;
  if (param('sinusoidal_embeddings') === true || param('asm') === true) throw new UserError(`${source}: sinusoidal_embeddings / asm models are not supported`);
  const config = modelConfigFromJson(model, `${source} (params)`);

  // Every parameter the config implies, with its shape; nothing else (as load_state_dict(strict=True)).
  const expected = stateDictKeys(config);
  const shapes = new Map(parameterSpecs(config).map((s) => [s.name, s.shape]));
  const aliases = tiedAliases();
  const unexpected = [...raw.keys()].filter((k) => !expected.includes(k));
  if (unexpected.length)
    throw new UserError(`${source}: unexpected parameters ${unexpected.slice(0, 5).join(', ')}${unexpected.length > 5 ? ', …' : ''} for this config`);
  const tensors: [string, LazyF32Entry][] = [];
  for (const name of expected) {
    const t = raw.get(name) ?? raw.get(aliases[name] ?? '');
    if (!t) throw new UserError(`${source}: parameter '${name}' missing`);
    const shape = shapes.get(aliases[name] ?? name)!;
    if (t.shape.join('x') !== shape.join('x')) throw new UserError(`${source}: parameter '${name}' has shape [${t.shape}], the params need [${shape}]`);
    tensors.push([name, { shape, values: () => tensorFloat32(t, `${source}: '${name}'`) }]);
  }

  const langs = Array.from({ length: config.n_langs }, (_, i) => id2lang![String(i)] ?? `lang${i}`);
  const settings: Record<string, unknown> = {};
  for (const [k, v] of p) {
    const j = scalarToJson(v);
    if (typeof k === 'string' && j !== undefined && j !== null) settings[k] = j;
  }
  const stepNames: [string, string][] = [
    ['mass_steps', 'mass'],
    ['bt_steps', 'bt'],
    ['mt_steps', 'mt'],
  ];
  const tasks = stepNames
    .filter(([k]) => {
      const v = param(k);
      return (Array.isArray(v) && v.length > 0) || (typeof v === 'string' && v !== '');
    })
    .map(([, t]) => t);
  const epoch = Number(scalarToJson(param('epoch')) ?? 0) || 0;
  return { config, tensors, vocab, langs, settings, tasks, epoch, experiment: String(scalarToJson(param('exp_name')) ?? 'reference') };
}

/** Words of a vocabulary text (`word count` lines), in order. */
function vocabEntries(text: string): [string, number][] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [w, c] = l.trim().split(/\s+/);
      return [w!, Number(c ?? 0)];
    });
}

export interface ExportInput {
  config: ModelConfig;
  /** state_dict values by name (tied aliases may be absent). */
  get(name: string): Float32Array | undefined;
  vocab: string;
  settings: Record<string, unknown>;
}

/**
 * The dict the reference's trainer saves, for torch.save: state_dicts as OrderedDicts (tied copies
 * sharing one storage), the dictionary as id2word / word2id / counts, and params as a dict.
 */
export function exportReference(input: ExportInput, source: string): Map<unknown, unknown> {
  const { config } = input;
  const aliases = tiedAliases();
  const shapes = new Map(parameterSpecs(config).map((s) => [s.name, s.shape]));
  const sides = { encoder: new Map<unknown, unknown>(), decoder: new Map<unknown, unknown>() };
  const tensors = new Map<string, HostTensor>();
  for (const name of stateDictKeys(config)) {
    const canonical = aliases[name] ?? name;
    let t = tensors.get(canonical);
    if (!t) {
      const data = input.get(canonical);
      if (!data) throw new UserError(`${source}: parameter '${canonical}' missing`);
      t = new HostTensor('float32', shapes.get(canonical)!, data);
      tensors.set(canonical, t);
    }
    const side = name.startsWith('encoder.') ? 'encoder' : 'decoder';
    sides[side].set(name.slice(side.length + 1), t);
  }
  const words = [...SPECIALS];
  const counts = new Map<unknown, unknown>(SPECIALS.map((w) => [w, 0]));
  for (const [w, c] of vocabEntries(input.vocab)) {
    if (counts.has(w)) continue;
    words.push(w);
    counts.set(w, c);
  }
  if (words.length !== config.n_words) throw new UserError(`${source}: the vocabulary has ${words.length} words but the model ${config.n_words}`);
  const params = new Map<unknown, unknown>();
  for (const [k, v] of Object.entries(input.settings)) if (scalarToJson(v) !== undefined) params.set(k, v);
  for (const [k, v] of Object.entries(config)) if (k !== 'id2lang') params.set(k, v);
  const id2lang = new Map<unknown, unknown>(Object.entries(config.id2lang).map(([i, l]) => [Number(i), l]));
  params.set('id2lang', id2lang);
  params.set('lang2id', new Map([...id2lang].map(([i, l]) => [l, i])));
  params.set('langs', [...id2lang.values()]);
  params.set('lgs', [...id2lang.values()].join('-'));
  return new Map<unknown, unknown>([
    ['encoder', sides.encoder],
    ['decoder', sides.decoder],
    ['dico_id2word', new Map(words.map((w, i) => [i, w]))],
    ['dico_word2id', new Map(words.map((w, i) => [w, i]))],
    ['dico_counts', counts],
    ['params', params],
  ]);
}
