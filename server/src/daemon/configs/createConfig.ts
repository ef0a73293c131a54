/**
 * `mass/createConfig`: a first mass.config.json for a folder of corpora. Files named like corpora
 * are grouped by name — `train.en` + `train.fr` are parallel, `valid.*`/`dev.*`/`test.*` pairs are
 * validation data, everything else is monolingual —; a file without a language suffix gets the
 * language most of its first lines are in. The settings are a small MASS model that trains on a
 * laptop; the generated file passes the config checks (asserted before writing).
 */
import { access } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { analyseConfig } from '../../config/loadConfig.js';
import { UserError } from '../../engine/errors.js';
import { readLines } from '../../engine/text/corpusReader.js';
import { writeFileAtomic } from '../../engine/text/atomicFile.js';
import type { CreateConfigResult } from '../../protocol.js';
import { languageFromName, walkWorkspace } from '../corpora/corpusFiles.js';
import { identifyLanguage } from '../corpora/detectLanguage.js';

const VALID_STEM = /^(valid|dev|test|newstest|newsdev)/i;
const DETECT_LINES = 2000;

/** The language most of a file's first lines are in (undefined when unclear). */
export async function detectFileLanguage(path: string, signal?: AbortSignal): Promise<string | undefined> {
  const counts = new Map<string, number>();
  let identified = 0;
  let n = 0;
  try {
    for await (const { text } of readLines(path, { onBadLine: 'skip', skipEmpty: true, allowEmptyFile: true })) {
      if (signal?.aborted || ++n > DETECT_LINES) break;
      const g = identifyLanguage(text);
      if (!g) continue;
      identified++;
      counts.set(g.lang, (counts.get(g.lang) ?? 0) + 1);
    }
  } catch {
    return undefined;
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  return best && identified >= 10 && best[1] >= 0.6 * identified ? best[0] : undefined;
}

function rel(folder: string, path: string): string {
  return `./${relative(folder, path).split(sep).join('/')}`;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export interface ScaffoldResult extends CreateConfigResult {
  text: string;
}

export async function scaffoldConfig(folder: string, opts: { signal?: AbortSignal; report?: (message: string) => void } = {}): Promise<ScaffoldResult> {
  const walked = await walkWorkspace([folder], new Set([join(folder, 'dumped'), join(folder, 'data', 'processed')]), opts.signal);
  const langOf = new Map<string, string>();
  for (const f of walked.corpora) {
    if (opts.signal?.aborted) throw new UserError('cancelled');
    const lang = languageFromName(basename(f)) ?? (opts.report?.(`detecting the language of ${basename(f)}`), await detectFileLanguage(f, opts.signal));
    if (lang) langOf.set(f, lang);
  }
  // group by folder + name without the language part
  const groups = new Map<string, Map<string, string>>();
  for (const [f, lang] of langOf) {
    const name = basename(f);
    const suffix = languageFromName(name) ? name.replace(/\.txt$/i, '').slice(0, -(lang.length + 1)) : name;
    const key = `${f.slice(0, f.length - name.length)}${suffix}`;
    const g = groups.get(key) ?? new Map<string, string>();
    if (!g.has(lang)) g.set(lang, f);
    groups.set(key, g);
  }
  const mono: Record<string, string[]> = {};
  const para: Record<string, Record<string, string>> = {};
  const valid: Record<string, Record<string, string>> = {};
  for (const [key, g] of groups) {
    const stem = basename(key);
    const langs = [...g.keys()].sort();
    if (langs.length >= 2 && !/^mono([._-]|$)/i.test(stem)) {
      const target = VALID_STEM.test(stem) ? valid : para;
      for (let i = 0; i < langs.length; i++) {
        for (let j = i + 1; j < langs.length; j++) {
          const pair = `${langs[i]}-${langs[j]}`;
          if (!target[pair]) target[pair] = { [langs[i]!]: rel(folder, g.get(langs[i]!)!), [langs[j]!]: rel(folder, g.get(langs[j]!)!) };
        }
      }
    } else if (!VALID_STEM.test(stem)) {
      for (const [lang, f] of g) (mono[lang] ??= []).push(rel(folder, f));
    }
  }
  const languages = [...new Set([...Object.keys(mono), ...Object.keys(para).flatMap((p) => p.split('-'))])].sort();
  if (languages.length === 0) {
    throw new UserError(`${folder}: no corpora found (expected files named like train.en, mono.fr, news.2017.de.txt)`);
  }
  const massLangs = Object.keys(mono).sort();
  const config: Record<string, unknown> = {
    exp_name: 'mass',
    lgs: languages.join('-'),
    data_path: './data/processed',
    dump_path: './dumped',
    corpora: {
      ...(Object.keys(mono).length ? { mono } : {}),
      ...(Object.keys(para).length ? { para } : {}),
      ...(Object.keys(valid).length ? { valid } : {}),
    },
    bpe: { codes: 10000 },
    mass_steps: massLangs.join(','),
    ...(massLangs.length === 0 && Object.keys(para).length
      ? {
          mt_steps: Object.keys(para)
            .flatMap((p) => [p, p.split('-').reverse().join('-')])
            .join(','),
        }
      : {}),
    encoder_only: false,
    emb_dim: 256,
    n_layers: 4,
    n_dec_layers: 4,
    n_heads: 8,
    dropout: 0.1,
    attention_dropout: 0.1,
    gelu_activation: true,
    tokens_per_batch: 2000,
    optimizer: 'adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.0001,warmup_updates=4000',
    word_mass: 0.5,
    min_len: 5,
    max_len: 100,
    epoch_size: 20000,
    max_epoch: 10,
    ...(Object.keys(valid).length ? { eval_bleu: true } : {}),
  };
  const text = JSON.stringify(config, null, 2) + '\n';
  let path = join(folder, 'mass.config.json');
  for (let i = 2; await exists(path); i++) path = join(folder, `mass${i}.mass.json`);
  const check = analyseConfig(text, folder, {}, path);
  const errors = check.problems.filter((p) => p.severity === 'error');
  // a bug here, not the user's: the scaffold must always be a valid config
  if (errors.length) throw new Error(`generated config is invalid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  return { path, text, found: { mono, para, valid } };
}

export async function writeScaffold(result: ScaffoldResult): Promise<void> {
  await writeFileAtomic(result.path, result.text);
}
