/**
 * The models that ship with the package under `models/` (see docs/model-card.md): what answers when
 * the user has no model of their own — `mass translate` without --model, the daemon's translate
 * requests before any training — and the MASS pre-trained starting point for fine-tuning. Each file is
 * a packed checkpoint (`mass pack`) with its `.json` sidecar.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';

export type BundledKind = 'translation' | 'pretrained' | 'summarization';

/** Where each kind lives inside the package. */
const FILES: Record<BundledKind, string> = {
  translation: 'models/en-fr/translation.safetensors',
  pretrained: 'models/en-fr/pretrained.safetensors',
  summarization: 'models/en/summarization.safetensors',
};

export interface BundledModel {
  kind: BundledKind;
  /** Absolute path of the .safetensors file. */
  path: string;
  /** Languages in id order, the tasks it was trained for, its update count and validation scores. */
  langs: string[];
  tasks: string[];
  updates: number;
  scores: Record<string, number>;
  savedAt: string;
}

let root: string | null | undefined;

/** The package's root folder (holding package.json and models/), from this module's location. */
export function packageRoot(): string | undefined {
  if (root === undefined) {
    root = null;
    // Bundled: dist/cli.js; from source: server/src/engine/checkpoint/. Walk up to our package.json.
    for (let dir = __dirname, i = 0; i < 8; dir = dirname(dir), i++) {
      const pkg = join(dir, 'package.json');
      if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'mass-vscode') {
        root = dir;
        break;
      }
    }
  }
  return root ?? undefined;
}

/** The bundled model of a kind, when this installation has it. */
export function bundledModel(kind: BundledKind): BundledModel | undefined {
  const base = packageRoot();
  if (!base) return undefined;
  const path = join(base, FILES[kind]);
  if (!existsSync(path)) return undefined;
  let meta: { langs?: string[]; tasks?: string[]; updates?: number; scores?: Record<string, number>; savedAt?: string } = {};
  try {
    meta = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as typeof meta;
  } catch {
    // The sidecar is a description only; the .safetensors file carries everything needed to run.
  }
  return { kind, path, langs: meta.langs ?? [], tasks: meta.tasks ?? [], updates: meta.updates ?? 0, scores: meta.scores ?? {}, savedAt: meta.savedAt ?? '' };
}

/**
 * A bundled model named where a path is expected (`reload_model: "bundled:pretrained"`, the daemon's
 * fine-tune starting point): the name says which shipped file, so configs stay valid wherever the
 * package is installed.
 */
export const BUNDLED_PREFIX = 'bundled:';
export const BUNDLED_KINDS: readonly BundledKind[] = ['pretrained', 'translation', 'summarization'];

/** The kind a `bundled:KIND` value names; undefined for an ordinary path. */
export function bundledName(value: string): BundledKind | undefined {
  const v = value.trim();
  if (!v.startsWith(BUNDLED_PREFIX)) return undefined;
  return v.slice(BUNDLED_PREFIX.length) as BundledKind;
}

/**
 * The file a `bundled:KIND` value stands for; a UserError naming `field` when the kind is unknown or
 * this installation does not carry it.
 */
export function resolveBundled(value: string, field: string): string {
  const kind = bundledName(value);
  if (kind === undefined) throw new Error(`resolveBundled: '${value}' is not a bundled model name`);
  if (!BUNDLED_KINDS.includes(kind))
    throw new UserError(`${field}: '${value}' names no bundled model; the package ships ${BUNDLED_KINDS.map((k) => BUNDLED_PREFIX + k).join(', ')}`);
  const m = bundledModel(kind);
  if (!m) throw new UserError(`${field}: '${value}': this installation has no ${FILES[kind]} (docs/model-card.md says what each bundled model is)`);
  return m.path;
}

/** Whether an absolute path is one of the package's own model files (read-only, outside any workspace). */
export function isBundledModelFile(path: string): boolean {
  const base = packageRoot();
  return !!base && Object.values(FILES).some((f) => join(base, f) === path);
}

/** The bundled translation model if it knows both languages. */
export function bundledTranslator(src: string, tgt: string): BundledModel | undefined {
  const m = bundledModel('translation');
  return m && m.langs.includes(src) && m.langs.includes(tgt) && src !== tgt ? m : undefined;
}
