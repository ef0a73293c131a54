/**
 * `mass import` and `mass export` as functions: a reference .pth (either torch format) → one of our
 * safetensors checkpoints with vocabulary and BPE codes inside, and back. TensorFlow-free.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { modelConfigFromJson } from '../model/config.js';
import { readSafetensors, toFloat32 } from '../model/safetensors.js';
import { writeSafetensorsStreaming } from '../model/safetensorsWriter.js';
import { writeFileAtomic } from '../text/atomicFile.js';
import { CHECKPOINT_FORMAT } from './format.js';
import { exportReference, importReference, type ImportedReference } from './referenceCheckpoint.js';
import { checkpointGlobals } from './torchTensors.js';
import { readTorchFile, writeTorchFile } from './torchFile.js';

/**
 * Reads a reference checkpoint (weights, config, vocabulary) from a .pth file. Tensor values are read
 * from the file as they are asked for: call `close` when done with them.
 */
export async function readReferenceCheckpoint(path: string): Promise<ImportedReference & { format: 'legacy' | 'zip'; close: () => void }> {
  const read = await readTorchFile(path, checkpointGlobals());
  const close = () => read.close?.();
  try {
    return { ...importReference(read.value, path), format: read.format, close };
  } catch (e) {
    close();
    throw e;
  }
}

/** Words of a `word count` vocabulary in file order (as XLM's read_vocab keeps them). */
function vocabWords(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 2 || seen.has(f[0]!)) continue;
    seen.add(f[0]!);
    out.push(f[0]!);
  }
  return out;
}

export interface ImportSummary {
  tensors: number;
  words: number;
  langs: string[];
  format: 'legacy' | 'zip';
}

/** How errors name the codes and vocabulary inputs: the CLI's flags, or the daemon's params fields. */
export interface ImportLabels {
  codes: string;
  vocab: string;
}
const CLI_LABELS: ImportLabels = { codes: '--codes', vocab: '--vocab' };

export async function importCheckpoint(
  pth: string,
  codesPath: string,
  out: string,
  vocabPath?: string,
  labels: ImportLabels = CLI_LABELS,
): Promise<ImportSummary> {
  const codes = await readFile(codesPath, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UserError(`${labels.codes} ${codesPath}: cannot read (${e.code ?? e.message})`);
  });
  if (codes.trim() === '') throw new UserError(`${labels.codes} ${codesPath}: empty`);
  const ref = await readReferenceCheckpoint(pth);
  try {
    return await writeImported(ref, pth, out, codes, vocabPath, labels);
  } finally {
    ref.close();
  }
}

async function writeImported(
  ref: ImportedReference & { format: 'legacy' | 'zip' },
  pth: string,
  out: string,
  codes: string,
  vocabPath: string | undefined,
  labels: ImportLabels,
): Promise<ImportSummary> {
  let vocab = ref.vocab;
  if (vocabPath !== undefined) {
    // The vocabulary file the model was trained with: its words must be the checkpoint's, in order;
    // its counts (used by BPE application) are kept.
    const text = await readFile(vocabPath, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new UserError(`${labels.vocab} ${vocabPath}: cannot read (${e.code ?? e.message})`);
    });
    const a = vocabWords(text);
    const b = vocabWords(ref.vocab);
    const n = Math.min(a.length, b.length);
    const i = a.findIndex((w, k) => k < n && w !== b[k]);
    if (i >= 0)
      throw new UserError(
        `${labels.vocab} ${vocabPath}: word ${i + 1} is '${a[i]}' but the checkpoint's is '${b[i]}'; give the vocabulary the model was trained with`,
      );
    if (a.length < b.length) throw new UserError(`${labels.vocab} ${vocabPath}: ${a.length} words, the checkpoint has ${b.length}`);
    vocab = text;
  }
  const meta = {
    kind: 'imported',
    experiment: ref.experiment,
    model: ref.config,
    settings: ref.settings,
    langs: ref.langs,
    tasks: ref.tasks,
    epoch: ref.epoch,
    updates: 0,
    scores: {},
    savedAt: new Date().toISOString(),
    importedFrom: { path: pth, format: ref.format },
  };
  await writeSafetensorsStreaming(out, ref.tensors, { format: CHECKPOINT_FORMAT, meta: JSON.stringify(meta), vocab, codes });
  await writeFileAtomic(`${out}.json`, JSON.stringify(meta, null, 2) + '\n');
  return { tensors: ref.tensors.length, words: ref.config.n_words, langs: ref.langs, format: ref.format };
}

export async function exportCheckpoint(model: string, out: string, format: 'zip' | 'legacy'): Promise<{ tensors: number; words: number }> {
  const file = await readSafetensors(model);
  if (file.metadata.format !== CHECKPOINT_FORMAT || !file.metadata.meta)
    throw new UserError(`${model}: not a MASS checkpoint written by this tool (no '${CHECKPOINT_FORMAT}' metadata)`);
  const meta = JSON.parse(file.metadata.meta) as { model: Record<string, unknown>; settings?: Record<string, unknown> };
  const config = modelConfigFromJson(meta.model, `${model} (metadata)`);
  const cache = new Map<string, Float32Array>();
  const value = exportReference(
    {
      config,
      get(name) {
        const t = file.tensors.get(name);
        if (!t) return undefined;
        if (!cache.has(name)) cache.set(name, toFloat32(t));
        return cache.get(name);
      },
      vocab: file.metadata.vocab ?? '',
      settings: meta.settings ?? {},
    },
    model,
  );
  await writeTorchFile(out, value, format);
  const enc = value.get('encoder') as Map<unknown, unknown>;
  const dec = value.get('decoder') as Map<unknown, unknown>;
  return { tensors: enc.size + dec.size, words: config.n_words };
}
