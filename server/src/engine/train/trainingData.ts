import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { Dictionary } from '../text/dictionary.js';
import { readBinarized, type BinarizedData } from '../data/binarized.js';
import { BatchStream, type BatchingOptions } from '../data/batching.js';
import { filterByLength, monoCosts, pairCosts } from '../data/datasets.js';
import type { StepLists } from '../../config/steps.js';

export interface PairData {
  src: BinarizedData;
  tgt: BinarizedData;
  /** Language of each side ('en', 'fr'; for s2s tasks both are the task's language). */
  srcLang: string;
  tgtLang: string;
}

/** What a training run reads from data_path, checked before training starts. */
export interface TrainingData {
  dataPath: string;
  dictionary: Dictionary;
  codes: string;
  vocab: string;
  monoTrain: Map<string, BinarizedData>;
  monoValid: Map<string, BinarizedData>;
  /** Keyed 'l1-l2' as stored (the order preprocess wrote). */
  paraTrain: Map<string, PairData>;
  paraValid: Map<string, PairData>;
  s2sTrain: Map<string, PairData>;
  s2sValid: Map<string, PairData>;
  /** Raw and tokenized references of valid sets, for BLEU/ROUGE: key 'valid.l1-l2.l2' or 'valid.task.tgt'. */
  references: Map<string, { tokenized?: string[]; raw?: string[] }>;
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

async function lines(p: string): Promise<string[] | undefined> {
  if (!(await exists(p))) return undefined;
  const text = await readFile(p, 'utf8');
  return text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
}

/** The stored name of a pair: preprocess writes the pair as given in the config ('en-fr'), either order may be asked. */
export function pairKey(available: Iterable<string>, a: string, b: string): string | undefined {
  for (const k of available) if (k === `${a}-${b}` || k === `${b}-${a}`) return k;
  return undefined;
}

/**
 * Loads and checks everything the configured steps need, failing before training starts with a
 * message that names the setting and the missing file.
 */
export async function loadTrainingData(
  dataPath: string,
  langs: string[],
  steps: StepLists,
  opts: { maxVocab: number; minCount: number; /** Also load these validation directions when present. */ validPairs?: [string, string][] },
): Promise<TrainingData> {
  const manifestPath = join(dataPath, 'preprocess.json');
  if (!(await exists(manifestPath)))
    throw new UserError(`data_path: ${dataPath} holds no preprocessed data (preprocess.json missing); run 'mass preprocess' first`);
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { splits: { file: string }[] };
  const files = new Set(manifest.splits.map((s) => s.file));
  const vocabPath = join(dataPath, 'vocab');
  const codesPath = join(dataPath, 'codes');
  let { dictionary } = await Dictionary.readVocab(vocabPath);
  const fingerprint = dictionary.fingerprint();
  if (opts.maxVocab > 0) dictionary = dictionary.limitSize(opts.maxVocab);
  if (opts.minCount > 0) dictionary = dictionary.withMinCount(opts.minCount);

  const load = async (field: string, name: string): Promise<BinarizedData> => {
    const file = `${name}.mbin`;
    if (!files.has(file)) throw new UserError(`${field}: ${join(dataPath, file)} is missing: add the corpus to the config and run 'mass preprocess'`);
    const data = await readBinarized(join(dataPath, file));
    if (data.header.dictionary !== fingerprint)
      throw new UserError(`${join(dataPath, file)}: built with another vocabulary than ${vocabPath}; run 'mass preprocess' again`);
    if (dictionary.size < fingerprintSize(fingerprint)) clampIds(data, dictionary.size);
    return data;
  };
  const data: TrainingData = {
    dataPath,
    dictionary,
    codes: (await readFile(codesPath, 'utf8').catch(() => '')) as string,
    vocab: await readFile(vocabPath, 'utf8'),
    monoTrain: new Map(),
    monoValid: new Map(),
    paraTrain: new Map(),
    paraValid: new Map(),
    s2sTrain: new Map(),
    s2sValid: new Map(),
    references: new Map(),
  };
  const monoLangs = new Set([...steps.mass, ...steps.bt.map(([a]) => a)]);
  for (const lang of monoLangs) {
    const field = steps.mass.includes(lang) ? 'mass_steps' : 'bt_steps';
    data.monoTrain.set(lang, await load(field, `train.${lang}`));
    if (files.has(`valid.${lang}.mbin`)) data.monoValid.set(lang, await load(field, `valid.${lang}`));
  }
  const pairNames = [...files].filter((f) => /^train\.[a-z]{2,3}-[a-z]{2,3}\.[a-z]{2,3}\.mbin$/.test(f)).map((f) => f.split('.')[1]!);
  const validPairNames = [...files].filter((f) => /^valid\.[a-z]{2,3}-[a-z]{2,3}\.[a-z]{2,3}\.mbin$/.test(f)).map((f) => f.split('.')[1]!);
  for (const [a, b] of steps.mt) {
    const key = pairKey(pairNames, a, b);
    if (!key) throw new UserError(`mt_steps: no parallel training data for ${a}-${b} in ${dataPath} (add corpora.para.${a}-${b} and run 'mass preprocess')`);
    if (!data.paraTrain.has(key)) {
      const [l1, l2] = key.split('-') as [string, string];
      data.paraTrain.set(key, {
        src: await load('mt_steps', `train.${key}.${l1}`),
        tgt: await load('mt_steps', `train.${key}.${l2}`),
        srcLang: l1,
        tgtLang: l2,
      });
    }
  }
  // Validation pairs: every direction the steps translate (as the reference evaluates mt, bt and mass pairs).
  const evalPairs = new Set<string>();
  for (const [a, b] of steps.mt) evalPairs.add(`${a}-${b}`);
  for (const [, b, c] of steps.bt) evalPairs.add(`${b}-${c}`);
  for (const a of steps.mass) for (const b of steps.mass) if (a !== b) evalPairs.add(`${a}-${b}`);
  for (const [a, b] of opts.validPairs ?? []) evalPairs.add(`${a}-${b}`);
  for (const p of evalPairs) {
    const [a, b] = p.split('-') as [string, string];
    const key = pairKey(validPairNames, a, b);
    if (!key || data.paraValid.has(key)) continue;
    const [l1, l2] = key.split('-') as [string, string];
    data.paraValid.set(key, {
      src: await load('corpora.valid', `valid.${key}.${l1}`),
      tgt: await load('corpora.valid', `valid.${key}.${l2}`),
      srcLang: l1,
      tgtLang: l2,
    });
    for (const l of [l1, l2]) {
      data.references.set(`valid.${key}.${l}`, {
        tokenized: await lines(join(dataPath, `valid.${key}.${l}.ref`)),
        raw: await lines(join(dataPath, `valid.${key}.${l}.raw`)),
      });
    }
  }
  for (const task of steps.s2s) {
    const lang = langs[0]!;
    data.s2sTrain.set(task, {
      src: await load('s2s_steps', `train.${task}.src`),
      tgt: await load('s2s_steps', `train.${task}.tgt`),
      srcLang: lang,
      tgtLang: lang,
    });
    if (files.has(`valid.${task}.src.mbin`)) {
      data.s2sValid.set(task, {
        src: await load('s2s_steps', `valid.${task}.src`),
        tgt: await load('s2s_steps', `valid.${task}.tgt`),
        srcLang: lang,
        tgtLang: lang,
      });
      data.references.set(`valid.${task}.tgt`, {
        tokenized: await lines(join(dataPath, `valid.${task}.tgt.ref`)),
        raw: await lines(join(dataPath, `valid.${task}.tgt.raw`)),
      });
    }
  }
  return data;
}

function fingerprintSize(fp: string): number {
  return Number(fp.split('-')[0]);
}

/** After max_vocab/min_count shrink the dictionary, ids past its end become <unk> (XLM process_binarized). */
function clampIds(data: BinarizedData, size: number): void {
  const t = data.tokens;
  for (let i = 0; i < t.length; i++) if (t[i]! >= size) t[i] = 3;
}

/** The endless batch streams of a run, one per step source; their positions go into checkpoints. */
export function monoStream(
  name: string,
  data: BinarizedData,
  batching: BatchingOptions,
  lengths: { maxLen: number; minLen: number },
  seed: number,
): BatchStream {
  const ids = filterByLength(data, lengths);
  if (ids.length === 0) throw new UserError(`${name}: no training sentence is between min_len (${lengths.minLen}) and max_len (${lengths.maxLen}) tokens`);
  return new BatchStream(name, ids, monoCosts(data), batching, seed);
}

export function pairStream(name: string, pair: PairData, batching: BatchingOptions, maxLen: number, seed: number, truncateSource = false): BatchStream {
  const n = pair.src.header.nSentences;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const ls = pair.src.offsets[i + 1]! - pair.src.offsets[i]!;
    const lt = pair.tgt.offsets[i + 1]! - pair.tgt.offsets[i]!;
    if (ls === 0 || lt === 0) continue;
    // s2s sources (articles) are truncated at batching time instead of dropped
    if (maxLen > 0 && ((!truncateSource && ls > maxLen) || lt > maxLen)) continue;
    keep.push(i);
  }
  if (keep.length === 0) throw new UserError(`${name}: no training pair fits max_len (${maxLen})`);
  const costs = pairCosts(pair.src, pair.tgt);
  if (truncateSource && maxLen > 0) {
    for (let i = 0; i < n; i++)
      costs[i] = Math.min(pair.src.offsets[i + 1]! - pair.src.offsets[i]!, maxLen) + (pair.tgt.offsets[i + 1]! - pair.tgt.offsets[i]!) + 4;
  }
  return new BatchStream(name, Int32Array.from(keep), costs, batching, seed);
}
