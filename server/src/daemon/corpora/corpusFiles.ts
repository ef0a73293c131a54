/**
 * Finding the workspace's corpora: the files the configs' `corpora` sections name (globs expanded),
 * and by default files named like corpora (`train.en`, `mono.fr`, `news.2017.de.txt`, `valid.txt`).
 * Each gets the language it should be in (declared by a config, or its name's suffix) and its
 * line-aligned partners (parallel files: `train.en` ↔ `train.fr`, a config's para/valid pairs, s2s
 * source ↔ target). Only paths inside the workspace roots are returned.
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { LoadedConfig } from '../../config/loadConfig.js';
import { expandGlob } from '../../engine/util/glob.js';
import { isConfigPath } from '../configs/configFiles.js';

export interface CorpusFile {
  path: string;
  /** The language the text should be in, when known. */
  lang?: string;
  /** Why that language: "corpora.mono.en in mass.config.json", "its name ends in .en". */
  langSource?: string;
  /** Line-aligned partner files, with why they are partners. */
  partners: { path: string; source: string }[];
  origin: 'config' | 'name';
}

export interface ConfigSource {
  file: string;
  cfg: LoadedConfig;
}

/** ISO 639-1/3 codes used as file suffixes for corpora. */
const LANGS = new Set(
  'en fr de ro es it pt nl ru zh ja ko ar tr fi sv da no nb nn et lv lt hu bg uk hi bn ur fa he vi th id ms sw gu ta te mr ne si km my ka sq sr hr bs sl sk el ca eu gl cy ga is af am az be kk ky mn uz ha ig yo zu xh so lo lb mt tl jv'.split(
    ' ',
  ),
);
/** Codes that are also common file extensions (Polish .pl = Perl, Czech .cs = C#, ...): only with a corpus-like prefix. */
const AMBIGUOUS = new Set('pl cs ts sh ml mk ps as hy'.split(' '));
const CORPUS_PREFIX = /^(mono|train|valid|dev|test|para|corpus|news|europarl|wiki|newstest|newsdev)([._-]|$)/i;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'out', 'build', 'dumped', '__pycache__', 'target', 'venv']);

const MAX_DEPTH = 6;
const MAX_ENTRIES = 20000;

/** `train.en` → en, `news.2017.de.txt` → de, `train.pl` → pl, `script.pl` → undefined. */
export function languageFromName(name: string): string | undefined {
  const base = name.replace(/\.txt$/i, '');
  const m = /\.([a-z]{2,3})$/.exec(base);
  if (!m) return undefined;
  const code = m[1]!;
  if (LANGS.has(code)) return code;
  if (AMBIGUOUS.has(code) && CORPUS_PREFIX.test(name)) return code;
  return undefined;
}

/** A file whose name says it is a corpus (with or without a language suffix). */
export function looksLikeCorpus(name: string): boolean {
  if (name.endsWith('.gz') || name.startsWith('.')) return false;
  if (languageFromName(name)) return true;
  return (
    CORPUS_PREFIX.test(name) &&
    /^[^.]+(\.[^.]+)?(\.txt)?$/.test(name) &&
    !/\.(json|jsonl|py|sh|ts|js|md|csv|tsv|mbin|safetensors|log|yaml|yml|toml)$/i.test(name)
  );
}

/** `dir/train.en.txt` → `dir/train|.txt`: files sharing it (in different languages) are parallel. */
function pairKey(path: string, lang: string): string | undefined {
  const name = basename(path);
  const txt = name.endsWith('.txt') ? '.txt' : '';
  const stem = name.slice(0, name.length - txt.length - lang.length - 1);
  // mono.en / mono.fr are separate monolingual corpora, not translations of each other
  if (/^mono([._-]|$)/i.test(stem)) return undefined;
  return `${dirname(path)}/${stem}|${txt}`;
}

export interface Discovery {
  corpora: CorpusFile[];
  configFiles: string[];
}

/** Walks the roots (bounded) for config files and corpus-like files. */
export async function walkWorkspace(roots: string[], skip: Set<string>, signal?: AbortSignal): Promise<{ configs: string[]; corpora: string[] }> {
  const configs: string[] = [];
  const corpora: string[] = [];
  let entries = 0;
  async function walk(dir: string, depth: number): Promise<void> {
    if (signal?.aborted || entries > MAX_ENTRIES || skip.has(dir)) return;
    let list;
    try {
      list = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of list) {
      if (++entries > MAX_ENTRIES) return;
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < MAX_DEPTH && !e.name.startsWith('.') && !SKIP_DIRS.has(e.name)) await walk(p, depth + 1);
      } else if (e.isFile()) {
        if (isConfigPath(p)) configs.push(p);
        else if (looksLikeCorpus(e.name)) corpora.push(p);
      }
    }
  }
  for (const r of roots) await walk(r, 0);
  return { configs: configs.sort(), corpora: corpora.sort() };
}

/**
 * The corpora of a workspace: configs first (their declarations win), then files found by name.
 * `contains` keeps everything inside the workspace.
 */
export async function discoverCorpora(namedFiles: string[], configs: ConfigSource[], contains: (p: string) => boolean): Promise<CorpusFile[]> {
  const byPath = new Map<string, CorpusFile>();
  const get = (path: string, origin: CorpusFile['origin']): CorpusFile => {
    let f = byPath.get(path);
    if (!f) {
      f = { path, partners: [], origin };
      byPath.set(path, f);
    }
    if (origin === 'config') f.origin = 'config';
    return f;
  };
  const link = (a: string, b: string, source: string, origin: CorpusFile['origin'] = 'config') => {
    const fa = get(a, origin);
    const fb = get(b, origin);
    if (!fa.partners.some((p) => p.path === b)) fa.partners.push({ path: b, source });
    if (!fb.partners.some((p) => p.path === a)) fb.partners.push({ path: a, source });
  };
  for (const { file, cfg } of configs) {
    const where = `in ${basename(file)}`;
    const abs = (p: string) => resolve(cfg.baseDir, p);
    for (const [lang, patterns] of Object.entries(cfg.corpora.mono ?? {})) {
      if (!Array.isArray(patterns)) continue;
      for (const pattern of patterns) {
        if (typeof pattern !== 'string') continue;
        for (const f of await expandGlob(pattern, cfg.baseDir).catch(() => [] as string[])) {
          if (!contains(f) || f.endsWith('.gz')) continue;
          const c = get(f, 'config');
          c.lang = lang;
          c.langSource = `corpora.mono.${lang} ${where}`;
        }
      }
    }
    for (const group of ['para', 'valid'] as const) {
      for (const [pair, sides] of Object.entries(cfg.corpora[group] ?? {})) {
        if (typeof sides !== 'object' || sides === null) continue;
        const files: string[] = [];
        for (const [lang, p] of Object.entries(sides)) {
          if (typeof p !== 'string') continue;
          const f = abs(p);
          if (!contains(f) || f.endsWith('.gz')) continue;
          const c = get(f, 'config');
          c.lang = lang;
          c.langSource = `corpora.${group}.${pair}.${lang} ${where}`;
          files.push(f);
        }
        for (let i = 1; i < files.length; i++) link(files[0]!, files[i]!, `corpora.${group}.${pair} ${where}`);
      }
    }
    for (const [task, entry] of Object.entries(cfg.corpora.s2s ?? {})) {
      if (typeof entry !== 'object' || entry === null) continue;
      for (const [a, b] of [
        ['source', 'target'],
        ['valid_source', 'valid_target'],
      ] as const) {
        const pa = entry[a];
        const pb = entry[b];
        if (typeof pa === 'string' && typeof pb === 'string' && contains(abs(pa)) && contains(abs(pb))) link(abs(pa), abs(pb), `corpora.s2s.${task} ${where}`);
      }
    }
  }
  const groups = new Map<string, string[]>();
  for (const path of namedFiles) {
    if (!contains(path)) continue;
    const f = get(path, 'name');
    const lang = languageFromName(basename(path));
    if (lang && !f.lang) {
      f.lang = lang;
      f.langSource = `its name ends in .${lang}`;
    }
    if (lang) {
      const key = pairKey(path, lang);
      if (key) groups.set(key, [...(groups.get(key) ?? []), path]);
    }
  }
  for (const files of groups.values()) {
    for (let i = 1; i < files.length; i++) {
      const a = byPath.get(files[0]!)!;
      if (!a.partners.some((p) => p.path === files[i])) link(files[0]!, files[i]!, 'same name, another language', 'name');
    }
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}
