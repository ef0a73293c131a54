import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UserError } from '../errors.js';
import { AtomicFileWriter, writeFileAtomic } from '../text/atomicFile.js';
import { readLines, emptyStats, describeSkips, type ReadStats, type SkipReason } from '../text/corpusReader.js';
import { Dictionary } from '../text/dictionary.js';
import { mosesPreprocess } from '../text/moses/pipeline.js';
import { BpeCodes } from '../text/bpe/codes.js';
import { BpeVocab, getVocab, formatVocab } from '../text/bpe/vocab.js';
import { learnBpe, formatCodes } from '../text/bpe/learnBpe.js';
import { applyBpeFile } from '../text/bpe/applyBpe.js';
import { packSentences, writeBinarized, readBinarizedHeader, type BinarizedHeader } from './binarized.js';
import { cachedStage, hashFile } from './stageCache.js';
import { countLines } from './countLines.js';
import { readCheckpointVocabulary } from '../checkpoint/safetensorsCheckpoint.js';

/** Bump when tokenization/BPE/binarization output changes, so old caches are rebuilt. */
const PIPELINE_VERSION = 1;

export interface S2sSource {
  /** Plain text files, line-aligned… */
  source?: string;
  target?: string;
  valid_source?: string;
  valid_target?: string;
  /** …or JSONL files with two fields. */
  jsonl?: string;
  valid_jsonl?: string;
  source_field?: string;
  target_field?: string;
  /** Language of both sides (default: the first of langs). */
  lang?: string;
}

export interface PreprocessSpec {
  outDir: string;
  langs: string[];
  /** Raw monolingual files per language (already resolved, globs expanded). */
  mono: Record<string, string[]>;
  /** Parallel train files per pair 'l1-l2' → { l1: file, l2: file }. */
  para: Record<string, Record<string, string>>;
  /** Parallel validation files, same form. */
  valid: Record<string, Record<string, string>>;
  s2s: Record<string, S2sSource>;
  /** Inputs are already Moses-tokenized. */
  tokenized: boolean;
  /** Merges to learn, unless reloadCodes is set. */
  codes: number;
  reloadCodes?: string;
  reloadVocab?: string;
  /**
   * A checkpoint whose BPE codes and vocabulary the data must use instead (the bundled model a
   * fine-tuning starts from: its embeddings only fit its own subwords). `field` names the setting.
   */
  vocabularyFrom?: { path: string; field: string };
  /** Learn BPE on at most this many lines per file (0 = all). */
  maxLearnLines: number;
  /** Monolingual sentences held out per language for validation perplexity. */
  validSize: number;
  /** Lines longer than this many bytes are skipped. */
  maxLineBytes: number;
  log: (message: string) => void;
}

export interface SplitSummary {
  file: string;
  sentences: number;
  tokens: number;
  unknown: number;
  skipped: Partial<Record<SkipReason | 'empty-pair' | 'special-words', number>>;
  rebuilt: boolean;
}

export interface PreprocessSummary {
  outDir: string;
  vocabSize: number;
  codes: number;
  splits: SplitSummary[];
}

interface TextFile {
  /** A stable short name for intermediates, e.g. 'mono.en.0'. */
  id: string;
  path: string;
  lang: string;
  hash?: string;
}

function sanitize(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** Reads one JSONL field per line into a plain text file, so the rest of the pipeline is line-based. */
async function extractJsonlField(input: string, field: string, output: string, stats: ReadStats): Promise<void> {
  const out = new AtomicFileWriter(output);
  try {
    for await (const { text, lineNo } of readLines(input, { onBadLine: 'skip' }, stats)) {
      if (text.trim() === '') {
        await out.write('\n');
        continue;
      }
      let value: unknown;
      try {
        value = (JSON.parse(text) as Record<string, unknown>)[field];
      } catch {
        throw new UserError(`${input}:${lineNo}: not valid JSON`);
      }
      if (typeof value !== 'string') throw new UserError(`${input}:${lineNo}: field '${field}' is missing or not a string`);
      await out.write(value.replace(/[\r\n]+/g, ' ') + '\n');
    }
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
}

/**
 * Raw text → Moses-tokenized text, one output line per input line (bad lines become empty lines so
 * parallel files stay aligned; they are dropped, and counted, at binarization).
 */
async function tokenizeFile(file: TextFile, output: string, tokenized: boolean, maxLineBytes: number): Promise<ReadStats> {
  const stats = emptyStats();
  const out = new AtomicFileWriter(output);
  try {
    let buf = '';
    let expected = 0;
    for await (const { text, lineNo } of readLines(file.path, { onBadLine: 'skip', maxLineBytes }, stats)) {
      // keep alignment: a skipped line still produces an (empty) output line
      while (expected < lineNo - 1) {
        buf += '\n';
        expected++;
      }
      buf += (tokenized ? text : mosesPreprocess(text, file.lang)) + '\n';
      expected = lineNo;
      if (buf.length > 1 << 16) {
        await out.write(buf);
        buf = '';
      }
    }
    while (expected < stats.lines) {
      buf += '\n';
      expected++;
    }
    await out.write(buf);
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
  return stats;
}

async function indexFile(path: string, dictionary: Dictionary): Promise<{ ids: number[][]; unknown: number; special: number }> {
  const ids: number[][] = [];
  let unknown = 0;
  let special = 0;
  for await (const { text } of readLines(path, { allowEmptyFile: true })) {
    const r = dictionary.indexLine(text);
    ids.push(r.ids);
    unknown += r.unknown;
    special += r.droppedSpecial;
  }
  return { ids, unknown, special };
}

/**
 * From raw text files to the training layout in `outDir`:
 * `codes`, `vocab`, `train.L.mbin`, `valid.L.mbin`, `train.L1-L2.L.mbin`, `valid.L1-L2.L.mbin`,
 * `train.TASK.src.mbin`/`.tgt.mbin`, the tokenized validation references, and `preprocess.json`.
 * Every stage is cached by the hashes of its inputs; a failed run leaves no partial file.
 */
export async function preprocess(spec: PreprocessSpec): Promise<PreprocessSummary> {
  const { outDir, log } = spec;
  await mkdir(join(outDir, 'work'), { recursive: true });
  const work = (name: string) => join(outDir, 'work', name);

  // 1. Collect inputs and check them before any work.
  const monoFiles: TextFile[] = [];
  for (const lang of spec.langs) {
    (spec.mono[lang] ?? []).forEach((path, i) => monoFiles.push({ id: `mono.${lang}.${i}.${sanitize(basename(path))}`, path, lang }));
  }
  for (const lang of Object.keys(spec.mono)) {
    if (!spec.langs.includes(lang)) throw new UserError(`corpora.mono.${lang}: language '${lang}' is not in lgs (${spec.langs.join('-')})`);
  }
  const pairFiles = async (group: 'para' | 'valid') => {
    const out: { pair: string; files: [TextFile, TextFile] }[] = [];
    for (const [pair, sides] of Object.entries(spec[group])) {
      const [l1, l2] = pair.split('-');
      if (!l1 || !l2 || !spec.langs.includes(l1) || !spec.langs.includes(l2)) {
        throw new UserError(`corpora.${group}.${pair}: expected a pair of languages from lgs (${spec.langs.join('-')}), like '${spec.langs.join('-')}'`);
      }
      const f1 = sides[l1];
      const f2 = sides[l2];
      if (!f1 || !f2) throw new UserError(`corpora.${group}.${pair}: needs a file for '${l1}' and one for '${l2}'`);
      const [n1, n2] = await Promise.all([countLines(f1), countLines(f2)]);
      if (n1 !== n2) throw new UserError(`parallel files differ in length: ${f1} has ${n1} lines but ${f2} has ${n2} (corpora.${group}.${pair})`);
      out.push({ pair, files: [{ id: `${group}.${pair}.${l1}`, path: f1, lang: l1 }, { id: `${group}.${pair}.${l2}`, path: f2, lang: l2 }] });
    }
    return out;
  };
  const paraSets = await pairFiles('para');
  const validSets = await pairFiles('valid');

  const s2sSets: { task: string; split: 'train' | 'valid'; files: [TextFile, TextFile] }[] = [];
  for (const [task, src] of Object.entries(spec.s2s)) {
    const lang = src.lang ?? spec.langs[0]!;
    for (const split of ['train', 'valid'] as const) {
      let sPath: string | undefined;
      let tPath: string | undefined;
      const jsonl = split === 'train' ? src.jsonl : src.valid_jsonl;
      if (jsonl) {
        const sf = src.source_field ?? 'article';
        const tf = src.target_field ?? 'summary';
        sPath = work(`s2s.${task}.${split}.src.raw`);
        tPath = work(`s2s.${task}.${split}.tgt.raw`);
        const key = { v: PIPELINE_VERSION, input: await hashFile(jsonl), sf, tf };
        await cachedStage(sPath, key, async () => extractJsonlField(jsonl, sf, sPath!, emptyStats()));
        await cachedStage(tPath, key, async () => extractJsonlField(jsonl, tf, tPath!, emptyStats()));
      } else {
        sPath = split === 'train' ? src.source : src.valid_source;
        tPath = split === 'train' ? src.target : src.valid_target;
      }
      if (!sPath || !tPath) {
        if (split === 'train') throw new UserError(`corpora.s2s.${task}: give 'source' and 'target' files, or a 'jsonl' file`);
        continue;
      }
      const [n1, n2] = await Promise.all([countLines(sPath), countLines(tPath)]);
      if (n1 !== n2) throw new UserError(`paired files differ in length: ${sPath} has ${n1} lines but ${tPath} has ${n2} (corpora.s2s.${task})`);
      s2sSets.push({ task, split, files: [{ id: `s2s.${task}.${split}.src`, path: sPath, lang }, { id: `s2s.${task}.${split}.tgt`, path: tPath, lang }] });
    }
  }
  const all: TextFile[] = [...monoFiles, ...paraSets.flatMap((s) => s.files), ...validSets.flatMap((s) => s.files), ...s2sSets.flatMap((s) => s.files)];
  if (all.length === 0) throw new UserError('nothing to preprocess: no corpora given (corpora.mono / corpora.para / corpora.s2s)');

  // 2. Tokenize (cached per input file).
  const tokPath = (f: TextFile) => work(`${f.id}.tok`);
  const tokHash = new Map<string, string>();
  const tokStats = new Map<string, Record<string, unknown>>();
  for (const f of all) {
    const key = { v: PIPELINE_VERSION, input: await hashFile(f.path), lang: f.lang, tokenized: spec.tokenized, maxLineBytes: spec.maxLineBytes };
    const r = await cachedStage(tokPath(f), key, async () => {
      log(`tokenizing ${f.path} (${f.lang})`);
      const st = await tokenizeFile(f, tokPath(f), spec.tokenized, spec.maxLineBytes);
      if (st.lines - st.yielded > 0) log(`  ${f.path}: skipped ${describeSkips(st)}`);
      return { lines: st.lines, skipped: st.skipped, firstSkipped: st.firstSkipped };
    });
    tokHash.set(f.id, r.outputHash);
    tokStats.set(f.id, r.info);
  }

  // 3. BPE codes: reloaded (from files, or from the checkpoint the run starts from), or learned jointly
  // on the training text of every language.
  if (spec.vocabularyFrom) {
    const { codes, vocab } = await readCheckpointVocabulary(spec.vocabularyFrom.path, spec.vocabularyFrom.field);
    log(`using the BPE codes and vocabulary of ${spec.vocabularyFrom.path} (${spec.vocabularyFrom.field})`);
    // written only when they change, so the stages keyed on them are not rebuilt every run
    const adopt = async (name: string, text: string) => {
      const path = work(name);
      if ((await readFile(path, 'utf8').catch(() => undefined)) !== text) await writeFileAtomic(path, text);
      return path;
    };
    spec = { ...spec, reloadCodes: await adopt('model.codes', codes), reloadVocab: await adopt('model.vocab', vocab) };
  }
  const codesPath = join(outDir, 'codes');
  const learnFrom = [...monoFiles, ...paraSets.flatMap((s) => s.files)];
  if (spec.reloadCodes) {
    await cachedStage(codesPath, { v: PIPELINE_VERSION, reload: await hashFile(spec.reloadCodes) }, async () => {
      await BpeCodes.load(spec.reloadCodes!); // validates the file before we adopt it
      await copyFile(spec.reloadCodes!, codesPath);
    });
  } else {
    if (learnFrom.length === 0) throw new UserError('no monolingual or parallel training text to learn BPE codes from (give corpora.mono/para, or bpe.reload_codes)');
    const key = { v: PIPELINE_VERSION, inputs: learnFrom.map((f) => tokHash.get(f.id)), n: spec.codes, maxLines: spec.maxLearnLines };
    await cachedStage(codesPath, key, async () => {
      log(`learning ${spec.codes} BPE codes on ${learnFrom.length} file(s)`);
      const inputs = spec.maxLearnLines > 0 ? await Promise.all(learnFrom.map((f) => headFile(tokPath(f), work(`${f.id}.head`), spec.maxLearnLines))) : learnFrom.map(tokPath);
      const result = await learnBpe(inputs, spec.codes);
      await writeFileAtomic(codesPath, formatCodes(result.merges));
    });
  }
  const codesHash = await hashFile(codesPath);
  const codes = await BpeCodes.load(codesPath);

  // 4. Apply BPE: training text without a vocabulary, then the vocabulary from it, then held-out text
  // with the vocabulary (XLM's get-data scripts); with a reloaded vocabulary everything uses it.
  const bpePath = (f: TextFile) => work(`${f.id}.bpe`);
  const bpeHash = new Map<string, string>();
  const applyAll = async (files: TextFile[], vocab: BpeVocab | undefined, vocabHash: string) => {
    for (const f of files) {
      const r = await cachedStage(bpePath(f), { v: PIPELINE_VERSION, tok: tokHash.get(f.id), codes: codesHash, vocab: vocabHash }, async () => {
        log(`applying BPE to ${f.path}`);
        await applyBpeFile(bpePath(f), tokPath(f), codes, vocab, { allowEmptyFile: true });
      });
      bpeHash.set(f.id, r.outputHash);
    }
  };
  const vocabPath = join(outDir, 'vocab');
  const trainFiles = [...monoFiles, ...paraSets.flatMap((s) => s.files), ...s2sSets.filter((s) => s.split === 'train').flatMap((s) => s.files)];
  const heldOut = [...validSets.flatMap((s) => s.files), ...s2sSets.filter((s) => s.split === 'valid').flatMap((s) => s.files)];
  if (spec.reloadVocab) {
    await cachedStage(vocabPath, { v: PIPELINE_VERSION, reload: await hashFile(spec.reloadVocab) }, async () => {
      await Dictionary.readVocab(spec.reloadVocab!);
      await copyFile(spec.reloadVocab!, vocabPath);
    });
    const vh = await hashFile(vocabPath);
    const vocab = await BpeVocab.load(vocabPath);
    await applyAll([...trainFiles, ...heldOut], vocab, vh);
  } else {
    await applyAll(trainFiles, undefined, '');
    await cachedStage(vocabPath, { v: PIPELINE_VERSION, inputs: trainFiles.map((f) => bpeHash.get(f.id)) }, async () => {
      await writeFileAtomic(vocabPath, formatVocab(await getVocab(trainFiles.map(bpePath), { allowEmptyFile: true })));
    });
    const vh = await hashFile(vocabPath);
    await applyAll(heldOut, await BpeVocab.load(vocabPath), vh);
  }
  const { dictionary } = await Dictionary.readVocab(vocabPath);

  // 5. Binarize.
  const splits: SplitSummary[] = [];
  const binarize = async (name: string, files: TextFile[], select: (ids: number[][]) => number[][], extraKey: Record<string, unknown> = {}, reportSkips = true, extraSkips: SplitSummary['skipped'] = {}) => {
    const out = join(outDir, `${name}.mbin`);
    const source = { v: PIPELINE_VERSION, dict: dictionary.fingerprint(), inputs: files.map((f) => bpeHash.get(f.id)!).join(','), ...extraKey } as Record<string, string | number | boolean>;
    const existing = await readBinarizedHeader(out);
    if (existing && JSON.stringify(existing.source) === JSON.stringify(source)) {
      splits.push({ file: out, ...(existing.stats as Omit<SplitSummary, 'file' | 'rebuilt'>), rebuilt: false });
      return;
    }
    let all: number[][] = [];
    let unknown = 0;
    let special = 0;
    for (const f of files) {
      const r = await indexFile(bpePath(f), dictionary);
      for (const ids of r.ids) all.push(ids);
      unknown += r.unknown;
      special += r.special;
    }
    const emptyLines = all.filter((x) => x.length === 0).length;
    all = select(all);
    const { offsets, tokens } = packSentences(all, dictionary.size);
    const skipped: SplitSummary['skipped'] = {};
    if (reportSkips) {
      // Bad lines were emptied at tokenization (to keep files aligned): report them by cause.
      let bad = 0;
      for (const f of files) {
        const s = (tokStats.get(f.id)?.skipped ?? {}) as Record<string, number>;
        for (const [k, v] of Object.entries(s)) {
          if (v > 0) skipped[k as SkipReason] = (skipped[k as SkipReason] ?? 0) + v;
          bad += v;
        }
      }
      if (emptyLines - bad > 0) skipped.empty = emptyLines - bad;
      if (special > 0) skipped['special-words'] = special;
    }
    Object.assign(skipped, extraSkips);
    const stats = { sentences: all.length, tokens: tokens.length, unknown, skipped };
    const header: BinarizedHeader = { version: 1, dtype: tokens instanceof Uint16Array ? 'uint16' : 'int32', nSentences: all.length, nTokens: tokens.length, dictionary: dictionary.fingerprint(), source, stats };
    await writeBinarized(out, { header, offsets, tokens });
    splits.push({ file: out, ...stats, rebuilt: true });
  };
  const nonEmpty = (ids: number[][]) => ids.filter((s) => s.length > 0);
  for (const lang of spec.langs) {
    const files = monoFiles.filter((f) => f.lang === lang);
    if (files.length === 0) continue;
    const n = spec.validSize;
    await binarize(`train.${lang}`, files, (ids) => nonEmpty(ids).slice(0, Math.max(0, nonEmpty(ids).length - n)), { heldOut: n });
    await binarize(`valid.${lang}`, files, (ids) => nonEmpty(ids).slice(Math.max(0, nonEmpty(ids).length - n)), { heldOut: n }, false);
  }
  const pairSplit = async (prefix: string, files: [TextFile, TextFile], names: [string, string], refs: boolean) => {
    // Keep a pair only when both sides are non-empty (XLM's ParallelDataset.remove_empty_sentences).
    const [a, b] = await Promise.all(files.map((f) => indexFile(bpePath(f), dictionary)));
    const keep = a!.ids.map((s, i) => s.length > 0 && b!.ids[i]!.length > 0);
    const pick = <T,>(items: T[]) => items.filter((_, i) => keep[i]);
    const dropped = keep.filter((k) => !k).length;
    const extra = dropped > 0 ? { 'empty-pair': dropped } : {};
    await binarize(`${prefix}.${names[0]}`, [files[0]], pick, { pairedWith: bpeHash.get(files[1].id)! }, true, extra);
    await binarize(`${prefix}.${names[1]}`, [files[1]], pick, { pairedWith: bpeHash.get(files[0].id)! }, true, extra);
    if (!refs) return;
    // References for BLEU/ROUGE, aligned with the binarized pairs: tokenized (multi-bleu, as the
    // reference's ref files) and raw (sacreBLEU, ROUGE).
    for (const [i, f] of files.entries()) {
      await writeFileAtomic(join(outDir, `${prefix}.${names[i]!}.ref`), pick(await readAllLines(tokPath(f))).join('\n') + '\n');
      await writeFileAtomic(join(outDir, `${prefix}.${names[i]!}.raw`), pick(await readAllLines(f.path)).join('\n') + '\n');
    }
  };
  for (const { pair, files } of paraSets) await pairSplit(`train.${pair}`, files, [files[0].lang, files[1].lang], false);
  for (const { pair, files } of validSets) await pairSplit(`valid.${pair}`, files, [files[0].lang, files[1].lang], true);
  for (const { task, split, files } of s2sSets) await pairSplit(`${split}.${task}`, files, ['src', 'tgt'], split === 'valid');

  const summary: PreprocessSummary = { outDir, vocabSize: dictionary.size, codes: codes.size, splits };
  await writeFileAtomic(
    join(outDir, 'preprocess.json'),
    JSON.stringify({ version: PIPELINE_VERSION, langs: spec.langs, tokenized: spec.tokenized, codes: codes.size, vocab: dictionary.size, dictionary: dictionary.fingerprint(), splits: splits.map((s) => ({ ...s, file: basename(s.file) })) }, null, 2) + '\n',
  );
  return summary;
}

/** Every line of a small text file, a bad line read as '' so line numbers stay aligned. */
async function readAllLines(path: string): Promise<string[]> {
  const out: string[] = [];
  const stats = emptyStats();
  for await (const { text, lineNo } of readLines(path, { allowEmptyFile: true, onBadLine: 'skip' }, stats)) {
    while (out.length < lineNo - 1) out.push('');
    out.push(text);
  }
  while (out.length < stats.lines) out.push('');
  return out;
}

async function headFile(input: string, output: string, n: number): Promise<string> {
  const out = new AtomicFileWriter(output);
  let i = 0;
  try {
    for await (const { text } of readLines(input, { allowEmptyFile: true })) {
      if (i++ >= n) break;
      await out.write(text + '\n');
    }
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
  return output;
}

export async function readManifest(dataPath: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(join(dataPath, 'preprocess.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    throw new UserError(`${dataPath}: no preprocessed data here (preprocess.json missing); run 'mass preprocess' first`);
  }
}
