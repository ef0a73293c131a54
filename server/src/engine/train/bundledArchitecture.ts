/**
 * Starting from a bundled model (`reload_model: "bundled:pretrained"`), its architecture is the only one
 * that can load it: the settings take it from the file instead of asking the user to copy emb_dim,
 * layers and heads into the config. Used by training and by the config's memory estimate.
 */
import { UserError } from '../errors.js';
import { bundledName, resolveBundled } from '../checkpoint/bundledModels.js';
import { readCheckpointHeader } from '../checkpoint/safetensorsCheckpoint.js';
import type { ModelConfig } from '../model/config.js';
import type { TrainSettings } from '../../config/schema.js';

/** Architecture fields that must match when weights are reloaded; names are the config's. */
export const ARCHITECTURE: (keyof ModelConfig & keyof TrainSettings)[] = [
  'emb_dim',
  'n_heads',
  'n_layers',
  'n_dec_layers',
  'gelu_activation',
  'attention_setting',
  'n_max_positions',
];

/**
 * The settings with a bundled reload_model's architecture, what changed (`emb_dim 512 → 256`) and the
 * model's vocabulary size; the settings unchanged when reload_model names no bundled model.
 */
export async function withBundledArchitecture(s: TrainSettings): Promise<{ settings: TrainSettings; changed: string[]; words?: number }> {
  const name = s.reload_model.trim();
  if (bundledName(name) === undefined) return { settings: s, changed: [] };
  const meta = await readCheckpointHeader(resolveBundled(name, 'reload_model'));
  if (!meta) throw new UserError(`reload_model: ${name}: the bundled file has no checkpoint header (reinstall the package)`);
  const out: Record<string, unknown> = { ...s };
  const changed: string[] = [];
  for (const k of ARCHITECTURE) {
    const v = meta.model[k];
    if (out[k] !== v) changed.push(`${k} ${String(out[k])} → ${String(v)}`);
    out[k] = v;
  }
  return { settings: out as unknown as TrainSettings, changed, words: meta.model.n_words };
}
