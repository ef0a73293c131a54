import { stat } from 'node:fs/promises';
import { UserError } from '../engine/errors.js';
import { expandGlob } from '../engine/util/glob.js';
import type { PreprocessSpec, S2sSource } from '../engine/data/preprocess.js';
import { parseLanguages } from './steps.js';
import { resolvePath, type LoadedConfig } from './loadConfig.js';

async function mustExist(path: string, field: string): Promise<string> {
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new UserError(`${field}: ${path} is not a file`);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${field}: ${path}: no such file`);
  }
  return path;
}

/** The preprocessing job a config describes: corpora globs expanded against the config's folder, files checked. */
export async function preprocessSpecFromConfig(cfg: LoadedConfig, log: (m: string) => void): Promise<PreprocessSpec> {
  const c = cfg.corpora;
  const mono: Record<string, string[]> = {};
  for (const [lang, patterns] of Object.entries(c.mono ?? {})) {
    const files: string[] = [];
    for (const p of patterns) {
      const found = await expandGlob(p, cfg.baseDir);
      if (found.length === 0) throw new UserError(`corpora.mono.${lang}: '${p}' matches no file`);
      for (const f of found) files.push(await mustExist(f, `corpora.mono.${lang}`));
    }
    mono[lang] = files;
  }
  const pairs = async (group: 'para' | 'valid') => {
    const out: Record<string, Record<string, string>> = {};
    for (const [pair, sides] of Object.entries(c[group] ?? {})) {
      out[pair] = {};
      for (const [lang, file] of Object.entries(sides)) out[pair]![lang] = await mustExist(resolvePath(cfg, file), `corpora.${group}.${pair}.${lang}`);
    }
    return out;
  };
  const s2s: Record<string, S2sSource> = {};
  for (const [task, entry] of Object.entries(c.s2s ?? {})) {
    const resolved: Record<string, string> = {};
    for (const [k, v] of Object.entries(entry)) {
      resolved[k] = ['source', 'target', 'valid_source', 'valid_target', 'jsonl', 'valid_jsonl'].includes(k) ? await mustExist(resolvePath(cfg, v), `corpora.s2s.${task}.${k}`) : v;
    }
    s2s[task] = resolved as S2sSource;
  }
  const bpe = cfg.bpe;
  return {
    outDir: resolvePath(cfg, cfg.settings.data_path),
    langs: parseLanguages(cfg.settings.lgs),
    mono,
    para: await pairs('para'),
    valid: await pairs('valid'),
    s2s,
    tokenized: c.tokenized ?? false,
    codes: bpe.codes ?? 10000,
    reloadCodes: bpe.reload_codes ? await mustExist(resolvePath(cfg, bpe.reload_codes), 'bpe.reload_codes') : undefined,
    reloadVocab: bpe.reload_vocab ? await mustExist(resolvePath(cfg, bpe.reload_vocab), 'bpe.reload_vocab') : undefined,
    maxLearnLines: bpe.max_lines ?? 0,
    validSize: c.valid_size ?? 1000,
    maxLineBytes: 1 << 20,
    log,
  };
}
