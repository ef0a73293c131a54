/**
 * The checkpoint file of this project (one safetensors file: weights, and for a resumable one the Adam
 * moments, with the metadata in its header): reading it, listing a folder of them, repairing sidecars.
 * Neutral ground: decoding (engine/generate) and training (engine/train, which also writes them in
 * train/saveCheckpoint.ts) both read checkpoints through here.
 */
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { removeStaleTempFiles, writeFileAtomic } from '../text/atomicFile.js';
import { basename, join } from 'node:path';
import { UserError } from '../errors.js';
import { readSafetensors, toFloat32, type SafetensorsFile } from '../model/safetensors.js';
import { MassModel } from '../model/model.js';
import { SafetensorsReader } from '../model/safetensorsReader.js';
import { modelConfigFromJson, type ModelConfig } from '../model/config.js';
import type { BatchStreamState } from '../data/batching.js';
import type { RngState } from '../util/rng.js';

import { CHECKPOINT_FORMAT } from './format.js';
export { CHECKPOINT_FORMAT };
/** Tensor-name prefixes of the Adam moments in a resumable checkpoint. */
export const OPT_M = 'optimizer.exp_avg.';
export const OPT_V = 'optimizer.exp_avg_sq.';

/** Everything besides tensors that a resumed run needs to continue exactly. */
export interface TrainingState {
  epoch: number;
  /** Loop iterations (each runs every configured step once). */
  iteration: number;
  /** Sentences processed in the current epoch. */
  epochSentences: number;
  streams: Record<string, BatchStreamState>;
  rng: RngState;
  bestMetrics: Record<string, number>;
  bestStopping?: number;
  decreaseCounts: number;
  /** Per-parameter Adam step counts (moments are stored as tensors). */
  optimizerSteps: Record<string, number>;
  optimizerUpdates: number;
}

export interface CheckpointMeta {
  format: string;
  /** 'last' (resumable) | 'best-<metric>' | 'periodic-<epoch>' | 'stopped'. */
  kind: string;
  experiment: string;
  model: ModelConfig;
  /** The training settings (train.py flags) of the run that wrote it. */
  settings: Record<string, unknown>;
  langs: string[];
  /** Step kinds the weights have been trained with: 'mass', 'bt', 'mt', s2s task names. */
  tasks: string[];
  epoch: number;
  updates: number;
  scores: Record<string, number>;
  savedAt: string;
  /** The vocabulary (fastBPE `word count` lines) and BPE codes, so the file translates raw text alone. */
  vocab: string;
  codes: string;
  state?: TrainingState;
}

export interface CheckpointContents {
  meta: CheckpointMeta;
  file: SafetensorsFile;
  path: string;
}

export async function readCheckpoint(path: string): Promise<CheckpointContents> {
  let file: SafetensorsFile;
  try {
    file = await readSafetensors(path);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${path}: cannot read checkpoint (${(e as Error).message})`);
  }
  return { meta: checkpointMeta(file.metadata, path), file, path };
}

function checkpointMeta(md: Record<string, string> | undefined, path: string): CheckpointMeta {
  if (md?.format !== CHECKPOINT_FORMAT || !md.meta) {
    throw new UserError(
      `${path}: not a MASS checkpoint written by this tool (no '${CHECKPOINT_FORMAT}' metadata); to use a reference MASS checkpoint (.pth), import it with 'mass import REF.pth --codes CODES --out MODEL.safetensors'`,
    );
  }
  const rest = JSON.parse(md.meta) as Omit<CheckpointMeta, 'vocab' | 'codes'>;
  return { ...rest, vocab: md.vocab ?? '', codes: md.codes ?? '' };
}

/**
 * A checkpoint for inference: its metadata, and a model whose weights are read from the file as they
 * are used (MassModel.fromSource), so a full-size model is never held twice while its inference
 * layout is built. The model keeps the file open until disposed.
 */
export function openCheckpointModel(path: string): { meta: CheckpointMeta; model: MassModel } {
  const reader = SafetensorsReader.open(path);
  let meta: CheckpointMeta;
  let config: ModelConfig;
  try {
    meta = checkpointMeta(reader.metadata, path);
    config = modelConfigFromJson(meta.model as unknown as Record<string, unknown>, path);
  } catch (e) {
    reader.close();
    throw e;
  }
  const model = MassModel.fromSource(
    config,
    {
      shape: (name) => reader.places.get(name)?.shape,
      values: (name) => {
        const t = reader.read(name);
        return t && toFloat32(t);
      },
      sameValues: (a, b) => reader.sameBytes(a, b),
      close: () => reader.close(),
    },
    path,
  );
  return { meta, model };
}

/** Builds the model stored in a checkpoint. */
export function modelFromCheckpoint(ck: CheckpointContents): MassModel {
  const config = modelConfigFromJson(ck.meta.model as unknown as Record<string, unknown>, ck.path);
  return MassModel.fromStateDict(
    config,
    (name) => {
      const t = ck.file.tensors.get(name);
      return t ? { shape: t.shape, data: toFloat32(t) } : undefined;
    },
    ck.path,
  );
}

export interface CheckpointSummary {
  /** Absolute path of the .safetensors file. */
  path: string;
  /** 'last' (resumable), 'best-<metric>', 'periodic-<epoch>'. */
  kind: string;
  experiment: string;
  epoch: number;
  step: number;
  /** Languages the model knows, in id order. */
  langs: string[];
  /** What it was trained for ('mass', 'bt', 'mt', s2s task names). */
  tasks: string[];
  scores: Record<string, number>;
  savedAt: string;
}

/**
 * The metadata of a checkpoint read from its own safetensors header (the first 8 + N bytes, not the
 * tensors): the truth about the file, whatever its `.json` sidecar says (a process killed between
 * the two renames leaves the sidecar one save behind). Undefined when it is not one of our checkpoints
 * or its header is unreadable.
 */
export async function readCheckpointHeader(path: string): Promise<Omit<CheckpointMeta, 'vocab' | 'codes'> | undefined> {
  const md = await headerMetadata(path);
  return md?.meta ? (JSON.parse(md.meta) as Omit<CheckpointMeta, 'vocab' | 'codes'>) : undefined;
}

/**
 * The BPE codes and vocabulary a checkpoint carries in its header (fine-tuning data must be split into
 * the same subwords the model was trained on); a UserError naming `field` when the file has none.
 */
export async function readCheckpointVocabulary(path: string, field: string): Promise<{ codes: string; vocab: string }> {
  const md = await headerMetadata(path);
  if (!md) throw new UserError(`${field}: ${path} is not a MASS checkpoint written by this tool`);
  if (!md.codes || !md.vocab) throw new UserError(`${field}: ${path} carries no BPE codes or vocabulary; give bpe.reload_codes and bpe.reload_vocab`);
  return { codes: md.codes, vocab: md.vocab };
}

/** Our checkpoint's header metadata (format checked), reading only the header; undefined otherwise. */
async function headerMetadata(path: string): Promise<Record<string, string> | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
    const head = Buffer.alloc(8);
    if ((await fh.read(head, 0, 8, 0)).bytesRead < 8) return undefined;
    const n = Number(head.readBigUInt64LE(0));
    const size = (await fh.stat()).size;
    if (n <= 0 || n > 100 * 1024 * 1024 || 8 + n > size) return undefined;
    const buf = Buffer.alloc(n);
    if ((await fh.read(buf, 0, n, 8)).bytesRead < n) return undefined;
    const md = (JSON.parse(buf.toString('utf8')) as { __metadata__?: Record<string, string> }).__metadata__;
    if (md?.format !== CHECKPOINT_FORMAT || !md.meta) return undefined;
    return md;
  } catch {
    return undefined;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** The `.json` sidecar beside a checkpoint: its metadata for people (no training state). */
export function sidecarText(meta: Omit<CheckpointMeta, 'vocab' | 'codes'>): string {
  return JSON.stringify({ ...meta, state: undefined }, null, 2) + '\n';
}

/** Rewrites the `.json` sidecars of a folder's checkpoints that disagree with the checkpoint's header. */
export async function repairSidecars(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let fixed = 0;
  for (const name of names.filter((n) => n.endsWith('.safetensors'))) {
    const p = join(dir, name);
    const meta = await readCheckpointHeader(p);
    if (!meta) continue;
    const want = sidecarText(meta);
    const have = await readFile(`${p}.json`, 'utf8').catch(() => undefined);
    if (have === want) continue;
    await writeFileAtomic(`${p}.json`, want).catch(() => undefined);
    fixed++;
  }
  return fixed;
}

/**
 * Every checkpoint under a dump folder (any depth ≤ 3), newest first. What each says comes from its
 * own header, not from the `.json` sidecar (which the next training start in that folder repairs);
 * temporary files of interrupted saves (their process gone) are removed.
 */
export async function listCheckpoints(dumpPath: string): Promise<CheckpointSummary[]> {
  const out: CheckpointSummary[] = [];
  async function walk(dir: string, depth: number): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.isFile() && e.name.includes('.tmp-'))) await removeStaleTempFiles(dir);
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory() && depth < 3 && !e.name.startsWith('.')) await walk(p, depth + 1);
      else if (e.isFile() && e.name.endsWith('.safetensors')) {
        const meta = await readCheckpointHeader(p);
        if (meta) {
          out.push({
            path: p,
            kind: meta.kind,
            experiment: meta.experiment,
            epoch: meta.epoch,
            step: meta.updates,
            langs: meta.langs,
            tasks: meta.tasks,
            scores: meta.scores,
            savedAt: meta.savedAt,
          });
        } else {
          const st = await stat(p);
          out.push({
            path: p,
            kind: basename(p, '.safetensors'),
            experiment: basename(dir),
            epoch: -1,
            step: -1,
            langs: [],
            tasks: [],
            scores: {},
            savedAt: st.mtime.toISOString(),
          });
        }
      }
    }
  }
  await walk(dumpPath, 0);
  return out.sort((a, b) => (a.savedAt < b.savedAt ? 1 : -1));
}
