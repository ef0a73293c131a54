/**
 * Raw text in, raw text out: a checkpoint (or live model) with its dictionary, BPE codes and
 * vocabulary. Lines go through TextCodec, are batched by length under a token budget, decoded (greedy
 * or beam search) and come back in input order, one output line per input line.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { currentBackend, initBackend } from '../backend/selectBackend.js';
import { UserError } from '../errors.js';
import type { MassModel } from '../model/model.js';
import { batchIdLists } from '../data/datasets.js';
import type { BpeCodes } from '../text/bpe/codes.js';
import type { BpeVocab } from '../text/bpe/vocab.js';
import type { Dictionary } from '../text/dictionary.js';
import { openCheckpointModel, type CheckpointMeta } from '../checkpoint/safetensorsCheckpoint.js';
import { beamSearchAsync } from './beamSearch.js';
import { generateGreedyAsync } from './greedy.js';
import { InferenceWeights } from './inferenceWeights.js';
import { lengthBatches } from './lengthBatches.js';
import type { SourceBatch } from './source.js';
import { resolveDecoderKind, type DecoderKind } from './startDecoder.js';
import { TextCodec, codesFromText, vocabularyFromText } from './textCodec.js';

export interface TranslateOptions {
  /** Beam size; 1 (default) decodes greedily. */
  beam?: number;
  /** Beam scores are logprob / len^lengthPenalty (default 1). */
  lengthPenalty?: number;
  /** Stop a sentence's beam search once it has `beam` finished hypotheses (default false). */
  earlyStopping?: boolean;
  /** At least this many subword tokens before `</s>` (default 0). */
  minLen?: number;
  /** Never repeat an n-gram of this many subword tokens (default 0: off). */
  noRepeatNgram?: number;
  /** Output limit per sentence: maxLenA · source tokens (both `</s>` included) + maxLenB; defaults 1.5 and 10 (XLM's evaluation). */
  maxLenA?: number;
  maxLenB?: number;
  /** Token budget per batch: sentences × padded source length × beam (default 2500). */
  batchTokens?: number;
  signal?: AbortSignal;
  decoder?: DecoderKind;
  /** Called with a message for a line that could not be used as it is (index into `lines`), or for the whole call (index -1). */
  onWarning?: (message: string, index: number) => void;
  /** Called after each batch with the number of lines done. */
  onProgress?: (done: number, total: number) => void;
}

export interface SummarizeOptions extends TranslateOptions {
  /** Language of articles and summaries (default: the checkpoint's first language). */
  lang?: string;
}

export interface TranslatorInfo {
  path?: string;
  kind?: string;
  experiment?: string;
  epoch?: number;
  updates?: number;
  scores?: Record<string, number>;
  langs: string[];
  tasks: string[];
  model: { emb_dim: number; n_heads: number; n_layers: number; n_dec_layers: number; n_words: number; n_max_positions: number; parameters: number };
  vocabulary: number;
  codes: number;
  backend?: string;
}

const DEFAULT_BATCH_TOKENS = 2500;
const TRAINING_STEPS = new Set(['mass', 'bt', 'mt']);

export class Translator {
  private readonly codec: TextCodec;
  /** Fast-decoder weights per target language, when the weights cannot change (a loaded checkpoint). */
  private readonly weights = new Map<number, InferenceWeights>();

  private constructor(
    readonly model: MassModel,
    dictionary: Dictionary,
    codes: BpeCodes,
    vocab: BpeVocab,
    readonly langs: string[],
    private readonly ownsModel: boolean,
    private readonly meta?: Omit<CheckpointMeta, 'vocab' | 'codes'>,
    private readonly path?: string,
  ) {
    if (dictionary.size !== model.config.n_words) {
      throw new UserError(`${path ?? 'translator'}: the vocabulary has ${dictionary.size} words but the model ${model.config.n_words}`);
    }
    if (langs.length !== model.config.n_langs) {
      throw new UserError(`${path ?? 'translator'}: ${langs.length} language codes (${langs.join(', ')}) for a model of ${model.config.n_langs} languages`);
    }
    this.codec = new TextCodec(dictionary, codes, vocab);
  }

  /** A checkpoint written by `mass train` (weights, vocabulary and BPE codes in one file). */
  static async load(path: string): Promise<Translator> {
    const st = await stat(path).catch(() => undefined);
    if (!st) throw new UserError(`${path}: no such checkpoint file`);
    if (st.isDirectory()) throw new UserError(`${path}: is a folder; give a checkpoint file in it (e.g. ${join(path, 'checkpoint.safetensors')})`);
    if (!currentBackend()) await initBackend('auto');
    // Weights are read as they are first used: a loaded translator builds its decoding layout from the
    // file without a second copy of the model (see openCheckpointModel).
    const { meta: full, model } = openCheckpointModel(path);
    const { vocab, codes, ...meta } = full;
    const settings = meta.settings ?? {};
    const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
    let dictionary: Dictionary, bpeVocab: BpeVocab, bpeCodes: BpeCodes;
    try {
      ({ dictionary, bpeVocab } = vocabularyFromText(vocab, `${path} (vocabulary)`, {
        maxVocab: num(settings.max_vocab),
        minCount: num(settings.min_count),
      }));
      bpeCodes = codesFromText(codes, `${path} (BPE codes)`);
    } catch (e) {
      model.dispose();
      throw e;
    }
    const id2lang = model.config.id2lang;
    const langs = Array.from({ length: model.config.n_langs }, (_, i) => id2lang[String(i)] ?? meta.langs?.[i] ?? `lang${i}`);
    try {
      return new Translator(model, dictionary, bpeCodes, bpeVocab, langs, true, meta, path);
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  /**
   * A translator over a live model (the trainer's, the daemon's): its current weights are read at every
   * call. `langs[i]` is the code of language id i.
   */
  static fromModel(model: MassModel, dictionary: Dictionary, codes: BpeCodes, vocab: BpeVocab, langs: string[]): Translator {
    return new Translator(model, dictionary, codes, vocab, langs, false);
  }

  info(): TranslatorInfo {
    const c = this.model.config;
    return {
      path: this.path,
      kind: this.meta?.kind,
      experiment: this.meta?.experiment,
      epoch: this.meta?.epoch,
      updates: this.meta?.updates,
      scores: this.meta?.scores,
      langs: [...this.langs],
      tasks: [...(this.meta?.tasks ?? [])],
      model: {
        emb_dim: c.emb_dim,
        n_heads: c.n_heads,
        n_layers: c.n_layers,
        n_dec_layers: c.n_dec_layers,
        n_words: c.n_words,
        n_max_positions: c.n_max_positions,
        parameters: this.model.parameterCount(),
      },
      vocabulary: this.codec.dictionary.size,
      codes: this.codec.codes.size,
      backend: currentBackend()?.name,
    };
  }

  /** The model's index of language `code` (its row in the language embeddings); a UserError naming the known languages when it has none. */
  languageIndex(code: string, role = 'the'): number {
    const i = this.langs.indexOf(code);
    if (i < 0) throw new UserError(`unknown ${role} language '${code}': ${this.path ?? 'the model'} knows ${this.langs.join(', ')}`);
    return i;
  }

  /** Translates raw lines from `src` into `tgt`; output line i is the translation of line i ('' for a blank line). */
  async translate(lines: string[], src: string, tgt: string, opts: TranslateOptions = {}): Promise<string[]> {
    return this.run(lines, src, tgt, this.languageIndex(src, 'source'), this.languageIndex(tgt, 'target'), opts);
  }

  /** Summarizes raw lines (articles), source and summary in one language (the s2s fine-tuning's). */
  async summarize(lines: string[], opts: SummarizeOptions = {}): Promise<string[]> {
    const lang = opts.lang ?? this.langs[0]!;
    const id = this.languageIndex(lang, 'summarization');
    const tasks = this.meta?.tasks;
    if (tasks && !tasks.some((t) => !TRAINING_STEPS.has(t))) {
      opts.onWarning?.(`${this.path ?? 'the model'} was not fine-tuned for summarization (it was trained with: ${tasks.join(', ') || 'nothing'})`, -1);
    }
    return this.run(lines, lang, lang, id, id, opts);
  }

  private async run(lines: string[], src: string, tgt: string, srcId: number, tgtId: number, opts: TranslateOptions): Promise<string[]> {
    const c = this.model.config;
    const beam = opts.beam ?? 1;
    const a = opts.maxLenA ?? 1.5;
    const b = opts.maxLenB ?? 10;
    const budget = opts.batchTokens ?? DEFAULT_BATCH_TOKENS;
    if (!Number.isInteger(beam) || beam < 1) throw new UserError(`beam must be a positive integer, got ${beam}`);
    if (!(a >= 0) || !Number.isFinite(b)) throw new UserError(`max_len_a must be >= 0 and max_len_b a number, got ${a} and ${b}`);
    if (!Number.isInteger(budget) || budget < 1) throw new UserError(`batch_tokens must be a positive integer, got ${budget}`);
    const maxWords = c.n_max_positions - 2;
    const ids = lines.map((line, i) => {
      const words = this.codec.encode(line, src);
      if (words.length > maxWords) {
        opts.onWarning?.(`${words.length} subword tokens, more than the model's ${maxWords} (n_max_positions - 2): translating the first ${maxWords}`, i);
        return words.slice(0, maxWords);
      }
      return words;
    });
    const out = lines.map(() => '');
    const todo = ids.map((_, i) => i).filter((i) => ids[i].length > 0);
    const kind = resolveDecoderKind(opts.decoder);
    const live = !this.ownsModel;
    let weights = kind === 'fast' ? this.weights.get(tgtId) : undefined;
    if (kind === 'fast' && !weights) {
      weights = InferenceWeights.build(this.model, tgtId);
      if (!live) this.weights.set(tgtId, weights);
    }
    try {
      let done = lines.length - todo.length;
      const batches = lengthBatches(
        todo.map((i) => ids[i].length + 2),
        Math.max(1, Math.floor(budget / beam)),
      );
      for (const batch of batches) {
        opts.signal?.throwIfAborted();
        const rows = batch.map((k) => todo[k]);
        const sb = batchIdLists(rows.map((i) => ids[i]));
        const source: SourceBatch = { bs: sb.bs, len: sb.slen, tokens: sb.x, lengths: sb.lengths, langs: new Int32Array(sb.x.length).fill(srcId) };
        const maxLen = Int32Array.from(sb.lengths, (n) => Math.max(2, Math.floor(a * n + b)));
        const common = { minLen: opts.minLen, noRepeatNgram: opts.noRepeatNgram, decoder: kind, weights, signal: opts.signal };
        const result =
          beam > 1
            ? await beamSearchAsync(this.model, source, tgtId, maxLen, {
                ...common,
                beamSize: beam,
                lengthPenalty: opts.lengthPenalty,
                earlyStopping: opts.earlyStopping,
              })
            : await generateGreedyAsync(this.model, source, tgtId, maxLen, common);
        rows.forEach((i, r) => (out[i] = this.codec.decode(result.ids[r], tgt)));
        done += rows.length;
        opts.onProgress?.(done, lines.length);
      }
    } finally {
      if (live) weights?.dispose();
    }
    return out;
  }

  /** Frees the model (when loaded from a checkpoint) and cached weights. */
  dispose(): void {
    for (const w of this.weights.values()) w.dispose();
    this.weights.clear();
    if (this.ownsModel) this.model.dispose();
  }
}
