/**
 * Model weights as safetensors, laid out exactly like the reference's `state_dict()` (tied entries
 * stored twice), with the config as JSON in `__metadata__.config`, so a file moves between this
 * project and PyTorch (`load_state_dict(safetensors.torch.load_file(path))`) unchanged.
 */
import { UserError } from '../errors.js';
import { modelConfigFromJson, type ModelConfig } from './config.js';
import { MassModel } from './model.js';
import { tiedAliases } from './parameters.js';
import { readSafetensors, toFloat32, writeSafetensors } from './safetensors.js';

export async function saveModel(model: MassModel, path: string, metadata: Record<string, string> = {}): Promise<void> {
  await writeSafetensors(path, await model.stateDictValues(), {
    ...metadata,
    format: 'pt',
    config: JSON.stringify(model.config),
    tied_weights: JSON.stringify(tiedAliases()),
  });
}

/** Loads weights; the config comes from `config` or else the file's metadata. */
export async function loadModel(path: string, config?: ModelConfig): Promise<MassModel> {
  const file = await readSafetensors(path);
  let cfg = config;
  if (!cfg) {
    const raw = file.metadata.config;
    if (!raw) throw new UserError(`${path}: no model config in the file's metadata; pass one`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new UserError(`${path}: metadata 'config' is not JSON`);
    }
    cfg = modelConfigFromJson(parsed as Record<string, unknown>, `${path} (metadata config)`);
  }
  return MassModel.fromStateDict(
    cfg,
    (name) => {
      const t = file.tensors.get(name);
      return t && { shape: t.shape, data: toFloat32(t) };
    },
    path,
  );
}
