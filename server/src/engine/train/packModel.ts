/**
 * A model file to ship or hand on: the weights of one checkpoint, or the average of several of the
 * same run (checkpoint averaging: the mean of the last few checkpoints usually scores higher than any
 * one of them), without the optimizer state and training position, tied copies stored once, in
 * float16 by default (half the size; decoding runs in float32 after loading). The file stays a
 * regular checkpoint: `mass translate --model`, `--reload_model` and the daemon read it.
 */
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import { writeSafetensors, toFloat32, type F32Entry } from '../model/safetensors.js';
import { writeFileAtomic } from '../text/atomicFile.js';
import { parameterSpecs } from '../model/parameters.js';
import { modelConfigFromJson } from '../model/config.js';
import { CHECKPOINT_FORMAT, readCheckpoint, type CheckpointContents, type CheckpointMeta } from '../checkpoint/safetensorsCheckpoint.js';

export interface PackOptions {
  dtype: 'F16' | 'F32';
  /** Free text saved in the metadata (e.g. the recipe that made the model). */
  note?: string;
}

/** The settings that name files or folders of the machine the model was trained on. */
const PATH_SETTINGS = ['dump_path', 'data_path', 'reload_checkpoint', 'reload_model'] as const;

/**
 * A packed file is handed on (a repository ships it, a colleague receives it): an absolute path of the
 * machine it came from means nothing there and can name a private folder. Paths under the folder the
 * pack ran from become relative to it (`recipes/en-fr/dumped`); others keep only their last part.
 */
export function portablePath(p: string, from: string): string {
  if (!isAbsolute(p)) return p;
  const rel = relative(from, p);
  const under = rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  return under ? rel.split(sep).join('/') : basename(p);
}

function portableSettings(settings: Record<string, unknown>, from: string): Record<string, unknown> {
  const out = { ...settings };
  for (const k of PATH_SETTINGS) if (typeof out[k] === 'string') out[k] = portablePath(out[k] as string, from);
  return out;
}

export interface PackSummary {
  parameters: number;
  averaged: number;
  bytes: number;
}

export async function packModel(inputs: string[], out: string, opts: PackOptions): Promise<PackSummary> {
  if (inputs.length === 0) throw new UserError('pack: give at least one checkpoint');
  const cks: CheckpointContents[] = [];
  for (const p of inputs) cks.push(await readCheckpoint(p));
  const first = cks[0]!;
  for (const ck of cks.slice(1)) {
    // Averaging only makes sense along one run: same architecture, same vocabulary and BPE.
    if (JSON.stringify(ck.meta.model) !== JSON.stringify(first.meta.model)) throw new UserError(`pack: ${ck.path} has another architecture than ${first.path}`);
    if (ck.meta.vocab !== first.meta.vocab || ck.meta.codes !== first.meta.codes)
      throw new UserError(`pack: ${ck.path} has another vocabulary or BPE codes than ${first.path}`);
  }
  const config = modelConfigFromJson(first.meta.model as unknown as Record<string, unknown>, first.path);
  const tensors: [string, F32Entry][] = [];
  let parameters = 0;
  for (const spec of parameterSpecs(config)) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const sum = new Float64Array(n);
    for (const ck of cks) {
      const t = ck.file.tensors.get(spec.name);
      if (!t) throw new UserError(`pack: ${ck.path}: parameter '${spec.name}' missing`);
      const v = toFloat32(t);
      if (v.length !== n) throw new UserError(`pack: ${ck.path}: parameter '${spec.name}' has ${v.length} values, the model needs ${n}`);
      for (let i = 0; i < n; i++) sum[i] += v[i]!;
    }
    const mean = new Float32Array(n);
    for (let i = 0; i < n; i++) mean[i] = sum[i]! / cks.length;
    tensors.push([spec.name, { shape: spec.shape, data: mean, dtype: opts.dtype }]);
    parameters += n;
  }
  // The newest input gives the run's description; the others are named in `averaged`.
  const newest = cks.reduce((a, b) => (b.meta.updates > a.meta.updates ? b : a));
  const { vocab, codes, state: _state, ...rest } = newest.meta;
  const from = process.cwd();
  const meta: Omit<CheckpointMeta, 'vocab' | 'codes' | 'state'> & { averaged?: { path: string; updates: number }[]; note?: string; dtype: string } = {
    ...rest,
    settings: portableSettings(rest.settings, from),
    kind: cks.length > 1 ? `average-${cks.length}` : 'packed',
    savedAt: new Date().toISOString(),
    dtype: opts.dtype === 'F16' ? 'float16' : 'float32',
    ...(cks.length > 1 ? { averaged: cks.map((c) => ({ path: portablePath(resolve(c.path), from), updates: c.meta.updates })) } : {}),
    ...(opts.note ? { note: opts.note } : {}),
  };
  await writeSafetensors(out, tensors, { format: CHECKPOINT_FORMAT, meta: JSON.stringify(meta), vocab, codes });
  await writeFileAtomic(`${out}.json`, JSON.stringify(meta, null, 2) + '\n');
  const bytes = tensors.reduce((s, [, t]) => s + t.data.length * (opts.dtype === 'F16' ? 2 : 4), 0);
  return { parameters, averaged: cks.length, bytes };
}
