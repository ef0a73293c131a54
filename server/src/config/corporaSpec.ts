import { realpath, stat } from 'node:fs/promises';
import { UserError } from '../engine/errors.js';
import { expandGlob } from '../engine/util/glob.js';
import type { PreprocessSpec, S2sSource } from '../engine/data/preprocess.js';
import { parseLanguages } from './steps.js';
import { resolveModelPath, resolvePath, type LoadedConfig } from './loadConfig.js';
import { bundledName } from '../engine/checkpoint/bundledModels.js';

/**
 * Where a job may read and write (the daemon: its workspace). Called with the real path (symlinks
 * resolved, after globbing) before the file is read; throws a UserError naming the field to refuse it.
 */
export type Confine = (realPath: string, field: string) => void;

/** The error a confinement gives: it names the field and the path, never anything the file holds. */
export class OutsideWorkspace extends UserError {}

async function mustExist(path: string, field: string, confine?: Confine): Promise<string> {
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new UserError(`${field}: ${path} is not a file`);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${field}: ${path}: no such file`);
  }
  if (!confine) return path;
  // the file that will be read is the link's target: confine that, and read that
  const real = await realpath(path);
  confine(real, field);
  return real;
}

/**
 * The preprocessing job a config describes: corpora globs expanded against the config's folder, files
 * checked. `startFrom` is the model a fine-tuning starts from when it is not the config's reload_model
 * (the daemon's Fine-tune picks it): a bundled model brings its own BPE codes and vocabulary.
 */
export async function preprocessSpecFromConfig(
  cfg: LoadedConfig,
  log: (m: string) => void,
  confine?: Confine,
  startFrom?: { value: string; field: string },
): Promise<PreprocessSpec> {
  const c = cfg.corpora;
  const outDir = resolvePath(cfg, cfg.settings.data_path);
  confine?.(outDir, 'data_path');
  const mono: Record<string, string[]> = {};
  for (const [lang, patterns] of Object.entries(c.mono ?? {})) {
    const files: string[] = [];
    for (const p of patterns) {
      const found = await expandGlob(p, cfg.baseDir);
      if (found.length === 0) throw new UserError(`corpora.mono.${lang}: '${p}' matches no file`);
      for (const f of found) files.push(await mustExist(f, `corpora.mono.${lang}`, confine));
    }
    mono[lang] = files;
  }
  const pairs = async (group: 'para' | 'valid') => {
    const out: Record<string, Record<string, string>> = {};
    for (const [pair, sides] of Object.entries(c[group] ?? {})) {
      out[pair] = {};
      for (const [lang, file] of Object.entries(sides)) out[pair]![lang] = await mustExist(resolvePath(cfg, file), `corpora.${group}.${pair}.${lang}`, confine);
    }
    return out;
  };
  const s2s: Record<string, S2sSource> = {};
  for (const [task, entry] of Object.entries(c.s2s ?? {})) {
    const resolved: Record<string, string> = {};
    for (const [k, v] of Object.entries(entry)) {
      resolved[k] = ['source', 'target', 'valid_source', 'valid_target', 'jsonl', 'valid_jsonl'].includes(k)
        ? await mustExist(resolvePath(cfg, v), `corpora.s2s.${task}.${k}`, confine)
        : v;
    }
    s2s[task] = resolved as S2sSource;
  }
  const bpe = cfg.bpe;
  const from = startFrom ?? (cfg.settings.reload_model ? { value: cfg.settings.reload_model, field: 'reload_model' } : undefined);
  // A bundled starting model fixes the subwords, unless the config names codes and vocabulary itself.
  const vocabularyFrom =
    from && bundledName(from.value) !== undefined && !bpe.reload_codes && !bpe.reload_vocab
      ? { path: resolveModelPath(cfg, from.value, from.field), field: from.field }
      : undefined;
  return {
    vocabularyFrom,
    outDir,
    langs: parseLanguages(cfg.settings.lgs),
    mono,
    para: await pairs('para'),
    valid: await pairs('valid'),
    s2s,
    tokenized: c.tokenized ?? false,
    codes: bpe.codes ?? 10000,
    reloadCodes: bpe.reload_codes ? await mustExist(resolvePath(cfg, bpe.reload_codes), 'bpe.reload_codes', confine) : undefined,
    reloadVocab: bpe.reload_vocab ? await mustExist(resolvePath(cfg, bpe.reload_vocab), 'bpe.reload_vocab', confine) : undefined,
    maxLearnLines: bpe.max_lines ?? 0,
    validSize: c.valid_size ?? 1000,
    maxLineBytes: 1 << 20,
    log,
  };
}
