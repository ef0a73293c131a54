import { bundledName, resolveBundled } from '../engine/checkpoint/bundledModels.js';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UserError } from '../engine/errors.js';
import { defaultSettings, fields, type TrainSettings } from './schema.js';
import { parseAndValidate, locate } from './validateConfig.js';
import { semanticChecks } from './semanticChecks.js';
import { formatProblem, type ConfigProblem } from './problems.js';

export interface CorporaConfig {
  mono?: Record<string, string[]>;
  para?: Record<string, Record<string, string>>;
  valid?: Record<string, Record<string, string>>;
  s2s?: Record<string, Record<string, string>>;
  tokenized?: boolean;
  valid_size?: number;
}

export interface BpeConfig {
  codes?: number;
  reload_codes?: string;
  reload_vocab?: string;
  max_lines?: number;
}

export interface LoadedConfig {
  settings: TrainSettings;
  corpora: CorporaConfig;
  bpe: BpeConfig;
  /** Folder that relative paths in the config resolve against (the config's folder, or the cwd). */
  baseDir: string;
  file?: string;
  text?: string;
  problems: ConfigProblem[];
  /** Settings given in the config text or as flags (the rest are defaults). */
  explicit: ReadonlySet<string>;
}

/**
 * Settings = defaults < config text < flags. Schema problems come with their place in the text;
 * semantic problems point at the field in the text unless a flag set it. No filesystem access, so
 * the daemon runs this on every keystroke.
 */
export function analyseConfig(text: string | undefined, baseDir: string, flags: Partial<TrainSettings> = {}, file?: string): LoadedConfig {
  const parsed = text === undefined ? { value: {}, root: undefined, problems: [] } : parseAndValidate(text);
  const settings = defaultSettings();
  const explicit = new Set<string>(Object.keys(flags));
  for (const k of Object.keys(fields) as (keyof TrainSettings)[]) {
    const v = (parsed.value as Record<string, unknown>)[k];
    if (v !== undefined) {
      (settings as Record<string, unknown>)[k] = v;
      explicit.add(k);
    }
  }
  Object.assign(settings, flags);
  const problems = parsed.problems.filter((p) => !(p.field in flags));
  const schemaBroken = problems.some((p) => p.severity === 'error');
  if (!schemaBroken) {
    problems.push(...semanticChecks(settings, (f) => (f in flags ? {} : locate(parsed.root, [f]))));
  }
  const value = parsed.value as Record<string, unknown>;
  return {
    settings,
    corpora: (value.corpora as CorporaConfig | undefined) ?? {},
    bpe: (value.bpe as BpeConfig | undefined) ?? {},
    baseDir,
    file,
    text,
    problems,
    explicit,
  };
}

/** Path flags are typed relative to the current folder, config paths relative to the config's folder. */
function absolutePathFlags(flags: Partial<TrainSettings>): Partial<TrainSettings> {
  const out: Record<string, unknown> = { ...flags };
  for (const [k, v] of Object.entries(flags)) {
    const f = (fields as Record<string, { path?: string }>)[k];
    if (f?.path && typeof v === 'string' && v !== '')
      out[k] = v
        .split(',')
        .map((p) => (bundledName(p) !== undefined ? p.trim() : resolve(p.trim())))
        .join(',');
  }
  return out as Partial<TrainSettings>;
}

export async function loadConfig(configPath: string | undefined, rawFlags: Partial<TrainSettings> = {}): Promise<LoadedConfig> {
  const flags = absolutePathFlags(rawFlags);
  if (!configPath) return analyseConfig(undefined, process.cwd(), flags);
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch {
    throw new UserError(`${configPath}: cannot read config file`);
  }
  return analyseConfig(text, dirname(resolve(configPath)), flags, configPath);
}

/** `file:line:col: field: message`, or `--field: message` for a value that came from a flag. */
export function describeProblem(cfg: LoadedConfig, p: ConfigProblem): string {
  if (p.offset === undefined && p.field in fields) return `--${p.field}: ${p.message}`;
  return formatProblem(p, cfg.file, cfg.text);
}

/** Resolves a path setting against the config's folder. */
export function resolvePath(cfg: LoadedConfig, p: string): string {
  return resolve(cfg.baseDir, p);
}

/**
 * A model setting (reload_model, a fine-tune's starting weights): `bundled:KIND` is the package's own
 * file (engine/checkpoint/bundledModels.ts), anything else a path against the config's folder.
 */
export function resolveModelPath(cfg: LoadedConfig, p: string, field = 'reload_model'): string {
  return bundledName(p) !== undefined ? resolveBundled(p, field) : resolvePath(cfg, p.trim());
}
