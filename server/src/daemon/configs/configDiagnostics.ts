/**
 * Diagnostics for a config file, run on every edit: the schema and semantic problems of
 * config/analyseConfig (the same checks the CLI runs), then what needs the filesystem — paths that
 * leave the workspace, files that do not exist, globs that match nothing —, corpora that do not fit
 * the steps, and the memory estimate against the backend's limit.
 */
import { bundledName, resolveBundled } from '../../engine/checkpoint/bundledModels.js';
import { readFile, stat } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { getNodeValue, type Node } from 'jsonc-parser';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyseConfig, resolvePath, type LoadedConfig } from '../../config/loadConfig.js';
import { parseLanguages, parseSteps } from '../../config/steps.js';
import type { ConfigProblem } from '../../config/problems.js';
import { expandGlob } from '../../engine/util/glob.js';
import { keyNodeOf, nodeAt, nodeRange, parseConfigTree, rangeOf } from './configFiles.js';
import { estimateTrainingMemory, formatBytes } from '../../engine/train/memoryEstimate.js';
import { backendMemoryLimit } from '../../engine/train/memoryLimits.js';
import { withBundledArchitecture } from '../../engine/train/bundledArchitecture.js';
import type { WorkspaceRoots } from '../connection/workspaceRoots.js';

export const CONFIG_SOURCE = 'mass';

const severity: Record<ConfigProblem['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export interface ConfigCheckContext {
  roots: WorkspaceRoots;
  signal?: AbortSignal;
  /** The daemon's memory budget (MB); the memory estimate is checked against it too. */
  memoryLimitMB?: number;
}

type Place = (string | number)[];
interface PathCheck {
  place: Place;
  value: string;
  kind: 'file' | 'dir' | 'glob';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const S2S_FILE_KEYS = ['source', 'target', 'valid_source', 'valid_target', 'jsonl', 'valid_jsonl'];

/** Every path-valued setting present in the file, with where it is. */
function pathChecks(value: Record<string, unknown>): PathCheck[] {
  const out: PathCheck[] = [];
  const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  for (const f of ['dump_path', 'data_path'] as const) if (str(value[f])) out.push({ place: [f], value: value[f], kind: 'dir' });
  if (str(value.reload_checkpoint)) out.push({ place: ['reload_checkpoint'], value: value.reload_checkpoint, kind: 'file' });
  if (str(value.reload_model)) for (const p of value.reload_model.split(',').filter(Boolean)) out.push({ place: ['reload_model'], value: p, kind: 'file' });
  const corpora = value.corpora;
  if (isRecord(corpora)) {
    if (isRecord(corpora.mono)) {
      for (const [lang, list] of Object.entries(corpora.mono)) {
        if (Array.isArray(list)) list.forEach((p, i) => str(p) && out.push({ place: ['corpora', 'mono', lang, i], value: p, kind: 'glob' }));
      }
    }
    for (const group of ['para', 'valid'] as const) {
      const g = corpora[group];
      if (!isRecord(g)) continue;
      for (const [pair, sides] of Object.entries(g)) {
        if (!isRecord(sides)) continue;
        for (const [lang, p] of Object.entries(sides)) if (str(p)) out.push({ place: ['corpora', group, pair, lang], value: p, kind: 'file' });
      }
    }
    if (isRecord(corpora.s2s)) {
      for (const [task, entry] of Object.entries(corpora.s2s)) {
        if (!isRecord(entry)) continue;
        for (const k of S2S_FILE_KEYS) if (str(entry[k])) out.push({ place: ['corpora', 's2s', task, k], value: entry[k], kind: 'file' });
      }
    }
  }
  const bpe = value.bpe;
  if (isRecord(bpe)) for (const k of ['reload_codes', 'reload_vocab']) if (str(bpe[k])) out.push({ place: ['bpe', k], value: bpe[k], kind: 'file' });
  return out;
}

/** The folder part of a glob before its first wildcard. */
function globBase(abs: string): string {
  const i = abs.search(/[*?]/);
  return i < 0 ? abs : dirname(abs.slice(0, i) + 'x');
}

async function checkPaths(
  cfg: LoadedConfig,
  value: Record<string, unknown>,
  root: Node | undefined,
  doc: TextDocument,
  ctx: ConfigCheckContext,
): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const roots = ctx.roots;
  const add = (place: Place, sev: DiagnosticSeverity, message: string) =>
    out.push({ range: nodeRange(doc, nodeAt(root, place)), severity: sev, source: CONFIG_SOURCE, code: place.join('.'), message });
  for (const c of pathChecks(value)) {
    const field = c.place.join('.');
    if (field === 'reload_model' && bundledName(c.value) !== undefined) {
      // a model the package ships: not in the workspace, and present only if this installation has it
      try {
        resolveBundled(c.value, field);
      } catch (e) {
        add(c.place, DiagnosticSeverity.Error, (e as Error).message);
      }
      continue;
    }
    const abs = resolvePath(cfg, c.value);
    const checked = c.kind === 'glob' ? globBase(abs) : abs;
    if (!roots.contains(checked)) {
      add(
        c.place,
        DiagnosticSeverity.Error,
        `${field}: '${c.value}' resolves to ${abs}, outside the workspace (${roots.describe()}); the daemon reads and writes only inside the workspace folders`,
      );
      continue;
    }
    if (c.kind === 'glob') {
      const found = await expandGlob(c.value, cfg.baseDir);
      const existing: string[] = [];
      for (const f of found)
        if (
          await stat(f).then(
            (s) => s.isFile(),
            () => false,
          )
        )
          existing.push(f);
      if (existing.length === 0) add(c.place, DiagnosticSeverity.Error, `${field}: '${c.value}' matches no file`);
      const outside = existing.filter((f) => !roots.contains(f));
      if (outside.length > 0) add(c.place, DiagnosticSeverity.Error, `${field}: '${c.value}' matches ${outside[0]}, outside the workspace (a link?)`);
    } else if (c.kind === 'file') {
      const st = await stat(abs).catch(() => undefined);
      if (!st) add(c.place, DiagnosticSeverity.Error, `${field}: ${relative(cfg.baseDir, abs) || abs}: no such file`);
      else if (!st.isFile()) add(c.place, DiagnosticSeverity.Error, `${field}: ${abs} is not a file`);
    } else {
      const st = await stat(abs).catch(() => undefined);
      if (st && !st.isDirectory()) add(c.place, DiagnosticSeverity.Error, `${field}: ${abs} exists and is not a folder`);
    }
  }
  return out;
}

/** Corpora that the steps need but the config does not give, and corpora in languages not in lgs. */
function corporaVersusSteps(cfg: LoadedConfig, value: Record<string, unknown>, root: Node | undefined, doc: TextDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!isRecord(value.corpora)) return out;
  const warn = (node: Node | undefined, field: string, message: string, sev: DiagnosticSeverity = DiagnosticSeverity.Warning) =>
    out.push({ range: nodeRange(doc, node), severity: sev, source: CONFIG_SOURCE, code: field, message });
  const langs = parseLanguages(cfg.settings.lgs);
  const mono = cfg.corpora.mono ?? {};
  const para = cfg.corpora.para ?? {};
  for (const lang of Object.keys(mono)) {
    if (!langs.includes(lang))
      warn(
        keyNodeOf(nodeAt(root, ['corpora', 'mono', lang])),
        `corpora.mono.${lang}`,
        `corpora.mono.${lang}: language '${lang}' is not in lgs ('${cfg.settings.lgs}')`,
      );
  }
  for (const group of ['para', 'valid'] as const) {
    for (const [pair, sides] of Object.entries(cfg.corpora[group] ?? {})) {
      const keyNode = keyNodeOf(nodeAt(root, ['corpora', group, pair]));
      const [a, b, ...rest] = pair.split('-');
      if (!a || !b || rest.length > 0) {
        warn(keyNode, `corpora.${group}.${pair}`, `corpora.${group}: '${pair}' is not a language pair like 'en-fr'`, DiagnosticSeverity.Error);
        continue;
      }
      const sideLangs = Object.keys(sides);
      if (sideLangs.length !== 2 || !sideLangs.includes(a) || !sideLangs.includes(b)) {
        warn(
          keyNode,
          `corpora.${group}.${pair}`,
          `corpora.${group}.${pair}: expected one file for '${a}' and one for '${b}', got ${sideLangs.map((l) => `'${l}'`).join(', ') || 'none'}`,
          DiagnosticSeverity.Error,
        );
      }
      for (const l of [a, b])
        if (!langs.includes(l)) warn(keyNode, `corpora.${group}.${pair}`, `corpora.${group}.${pair}: language '${l}' is not in lgs ('${cfg.settings.lgs}')`);
    }
  }
  const steps = parseSteps(cfg.settings);
  const hasPara = (x: string, y: string) => `${x}-${y}` in para || `${y}-${x}` in para;
  for (const l of steps.mass) {
    if (!(l in mono))
      warn(nodeAt(root, ['mass_steps']), 'mass_steps', `mass_steps: MASS on '${l}' needs monolingual '${l}' text, but corpora.mono has no '${l}'`);
  }
  for (const [x, y] of steps.mt) {
    if (!hasPara(x, y))
      warn(nodeAt(root, ['mt_steps']), 'mt_steps', `mt_steps: '${x}-${y}' needs parallel text, but corpora.para has no '${x}-${y}' (or '${y}-${x}')`);
  }
  for (const [x] of steps.bt) {
    if (!(x in mono))
      warn(nodeAt(root, ['bt_steps']), 'bt_steps', `bt_steps: back-translation from '${x}' needs monolingual '${x}' text, but corpora.mono has no '${x}'`);
  }
  return out;
}

const vocabCache = new Map<string, { mtimeMs: number; size: number }>();

/** Vocabulary size: from the preprocessed data_path/vocab when it exists, else guessed from the BPE settings. */
async function vocabularySize(cfg: LoadedConfig, roots: WorkspaceRoots): Promise<{ size: number; from: string }> {
  const vocabPath = resolvePath(cfg, `${cfg.settings.data_path}/vocab`);
  if (roots.contains(vocabPath)) {
    const st = await stat(vocabPath).catch(() => undefined);
    if (st?.isFile() && st.size < 64 * 1024 * 1024) {
      let cached = vocabCache.get(vocabPath);
      if (!cached || cached.mtimeMs !== st.mtimeMs) {
        const text = await readFile(vocabPath, 'utf8');
        let lines = 0;
        for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
        cached = { mtimeMs: st.mtimeMs, size: lines + 14 };
        vocabCache.set(vocabPath, cached);
      }
      const size = cfg.settings.max_vocab > 0 ? Math.min(cached.size, cfg.settings.max_vocab + 14) : cached.size;
      return { size, from: 'data_path/vocab' };
    }
  }
  const codes = cfg.bpe.codes ?? 10000;
  const size = cfg.settings.max_vocab > 0 ? cfg.settings.max_vocab + 14 : codes + 14;
  return { size, from: cfg.settings.max_vocab > 0 ? 'max_vocab' : 'bpe.codes, not preprocessed yet' };
}

async function memoryDiagnostic(
  cfg: LoadedConfig,
  root: Node | undefined,
  doc: TextDocument,
  roots: WorkspaceRoots,
  daemonLimitMB: number | undefined,
): Promise<Diagnostic | undefined> {
  const limit = backendMemoryLimit(cfg.settings.backend, daemonLimitMB);
  if (!limit) return undefined;
  // starting from a bundled model, its architecture and vocabulary are what trains
  const bundled = await withBundledArchitecture(cfg.settings).catch(() => undefined);
  const vocab = bundled?.words ? { size: bundled.words, from: cfg.settings.reload_model } : await vocabularySize(cfg, roots);
  const s = bundled?.settings ?? cfg.settings;
  const est = estimateTrainingMemory(s, vocab.size);
  if (!est || est.bytes.total <= limit.bytes) return undefined;
  const field = nodeAt(root, ['tokens_per_batch'])
    ? 'tokens_per_batch'
    : nodeAt(root, ['batch_size'])
      ? 'batch_size'
      : nodeAt(root, ['emb_dim'])
        ? 'emb_dim'
        : 'backend';
  const batch = s.tokens_per_batch > 0 ? `tokens_per_batch ${s.tokens_per_batch}` : `batch_size ${s.batch_size} × max_len ${s.max_len}`;
  return {
    range: nodeRange(doc, nodeAt(root, [field])),
    severity: DiagnosticSeverity.Warning,
    source: CONFIG_SOURCE,
    code: 'memory',
    message:
      `estimated peak memory of a training step: about ${formatBytes(est.bytes.total)} (${batch}; emb_dim ${s.emb_dim}, ${s.n_layers}+${s.n_dec_layers} layers, ` +
      `${(est.parameters / 1e6).toFixed(1)}M parameters, vocabulary ≈ ${vocab.size} from ${vocab.from}), more than ${limit.what}: ` +
      'lower tokens_per_batch/batch_size or max_len, use accumulate_gradients for the same effective batch, or a smaller model',
  };
}

/** All diagnostics of one config document. `file` is its path (relative paths resolve against its folder). */
export async function configDiagnostics(doc: TextDocument, file: string, ctx: ConfigCheckContext): Promise<Diagnostic[]> {
  const text = doc.getText();
  const cfg = analyseConfig(text, dirname(file), {}, file);
  const diags: Diagnostic[] = cfg.problems.map((p) => ({
    range: p.offset !== undefined ? rangeOf(doc, p.offset, p.length ?? 1) : rangeOf(doc, 0, 1),
    severity: severity[p.severity],
    source: CONFIG_SOURCE,
    code: p.field,
    message: p.field.startsWith('(') ? p.message : `${p.field}: ${p.message}`,
  }));
  if (cfg.problems.some((p) => p.field === '(json)' || p.field === '(root)')) return diags;
  const root = parseConfigTree(text);
  const raw: unknown = root ? getNodeValue(root) : {};
  const value = isRecord(raw) ? raw : {};
  if (ctx.signal?.aborted) return diags;
  diags.push(...(await checkPaths(cfg, value, root, doc, ctx)));
  if (!cfg.problems.some((p) => p.severity === 'error')) {
    diags.push(...corporaVersusSteps(cfg, value, root, doc));
    const mem = await memoryDiagnostic(cfg, root, doc, ctx.roots, ctx.memoryLimitMB);
    if (mem) diags.push(mem);
  }
  return diags;
}
