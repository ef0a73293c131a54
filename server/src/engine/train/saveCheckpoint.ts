/** Writing a checkpoint and reading back the optimizer state: the training side of checkpoint files. */
import type { MassModel } from '../model/model.js';
import { toFloat32, writeSafetensors, type F32Entry } from '../model/safetensors.js';
import { writeFileAtomic } from '../text/atomicFile.js';
import { UserError } from '../errors.js';
import { CHECKPOINT_FORMAT, OPT_M, OPT_V, sidecarText, type CheckpointContents, type CheckpointMeta } from '../checkpoint/safetensorsCheckpoint.js';
import type { AdamState } from './adamInverseSqrt.js';

/**
 * Writes weights (reference state_dict names and shapes, tied copies included so the reference can
 * load them) — and, for a resumable checkpoint, the Adam moments and the training state — as one
 * safetensors file, atomically (temp file + rename): a process killed while saving leaves the previous
 * file intact. A `<file>.json` beside it repeats the metadata for people.
 */
export async function saveCheckpoint(path: string, model: MassModel, meta: CheckpointMeta, optimizer?: AdamState): Promise<void> {
  const tensors: [string, F32Entry][] = await model.stateDictValues();
  if (optimizer) {
    for (const [name, s] of optimizer.params) {
      const shape = model.p(name).shape;
      tensors.push([OPT_M + name, { shape, data: s.m }], [OPT_V + name, { shape, data: s.v }]);
    }
  }
  const { vocab, codes, ...rest } = meta;
  await writeSafetensors(path, tensors, {
    format: CHECKPOINT_FORMAT,
    meta: JSON.stringify(rest),
    vocab,
    codes,
  });
  await writeFileAtomic(`${path}.json`, sidecarText(rest));
}

/** The Adam state stored in a resumable checkpoint. */
export function optimizerFromCheckpoint(ck: CheckpointContents): AdamState {
  const st = ck.meta.state;
  if (!st)
    throw new UserError(`${ck.path}: holds weights only (kind '${ck.meta.kind}'), not a resumable checkpoint; use --reload_model to start from its weights`);
  const params = new Map<string, { step: number; m: Float32Array; v: Float32Array }>();
  for (const [name, step] of Object.entries(st.optimizerSteps)) {
    const m = ck.file.tensors.get(OPT_M + name);
    const v = ck.file.tensors.get(OPT_V + name);
    if (!m || !v) throw new UserError(`${ck.path}: optimizer state for '${name}' is missing`);
    params.set(name, { step, m: toFloat32(m), v: toFloat32(v) });
  }
  return { updates: st.optimizerUpdates, params };
}
