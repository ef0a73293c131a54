import { readReferenceCheckpoint } from '../checkpoint/convert.js';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { removeStaleTempFiles, writeError } from '../text/atomicFile.js';
import { UserError } from '../errors.js';
import { describeProblem, resolveModelPath, resolvePath, type LoadedConfig } from '../../config/loadConfig.js';
import { bundledName } from '../checkpoint/bundledModels.js';
import type { TrainSettings } from '../../config/schema.js';
import { parseLanguages, parseSteps, type StepLists } from '../../config/steps.js';
import { parseOptimizer } from '../../config/optimizerSpec.js';
import { describeBackend, initBackend, type BackendChoice } from '../backend/selectBackend.js';
import { webgpuLimits } from '../backend/webgpuDevice.js';
import { makeModelConfig, type ModelConfig } from '../model/config.js';
import { MassModel } from '../model/model.js';
import { readSafetensors, toFloat32 } from '../model/safetensors.js';
import { Rng } from '../util/rng.js';
import { AdamInverseSqrt } from './adamInverseSqrt.js';
import { Trainer, asyncStepper, type Stepper } from './trainStep.js';
import { readsAsync } from '../backend/readback.js';
import { ParallelTrainer, workerCount } from './parallelTrainer.js';
import {
  CHECKPOINT_FORMAT,
  modelFromCheckpoint,
  readCheckpoint,
  readCheckpointVocabulary,
  repairSidecars,
  type CheckpointContents,
  type TrainingState,
} from '../checkpoint/safetensorsCheckpoint.js';
import { optimizerFromCheckpoint } from './saveCheckpoint.js';
import { loadTrainingData, monoStream, pairStream, type TrainingData } from './trainingData.js';
import { evaluateCheckpoint } from './evaluateCheckpoint.js';
import { dictionarySize } from './dictionarySize.js';
import { ARCHITECTURE, withBundledArchitecture } from './bundledArchitecture.js';
import { memoryRefusal } from './memoryCheck.js';
import { gpuLimitRefusal } from './gpuLimitCheck.js';
import { backendMemoryLimit } from './memoryLimits.js';
import { TrainingLoop, type LoopOutcome } from './trainLoop.js';
import type { BatchStream, BatchingOptions } from '../data/batching.js';
import type { EventReport, ProgressReport, TrainingReporter } from './reports.js';

export interface TrainingMode {
  kind: 'pretrain' | 'finetune' | 'resume';
  /** finetune: starting weights; resume: the checkpoint to continue (else settings.reload_checkpoint). */
  checkpoint?: string;
  finetune?: 'bt' | 'mt' | 's2s';
  /** s2s task name (default: the first of corpora.s2s / s2s_steps). */
  task?: string;
  /** A memory budget below the backend's own limit (the daemon's mass.daemon.memoryLimitMB). */
  memoryLimitMB?: number;
  /**
   * Refuses (throws) a path the run must not read or write, naming the field (the daemon: outside the
   * workspace). Called with data_path, the experiment folder and reloaded files before they are used.
   */
  confine?: (path: string, field: string) => void;
}

export interface LiveModel {
  model: MassModel;
  data: TrainingData;
  langs: string[];
  experimentDir: string;
  /** Keeps the model's weights alive past the run's end until the returned release is called. */
  hold(): () => void;
}

export interface TrainingRun {
  done: Promise<LoopOutcome>;
  /** Stop after the current update; a resumable checkpoint is written before `done` resolves. */
  stop(): void;
  /** The weights being trained, once set up (for translating while training). */
  live(): LiveModel | undefined;
}

/** The steps a fine-tuning mode runs (the daemon's "Fine-tune" command), derived from the config. */
export function finetuneSettings(s: TrainSettings, mode: TrainingMode): TrainSettings {
  const out = { ...s };
  const langs = parseLanguages(s.lgs);
  out.mass_steps = '';
  if (mode.finetune === 'bt') {
    out.bt_steps = s.bt_steps || (langs.length >= 2 ? `${langs[0]}-${langs[1]}-${langs[0]},${langs[1]}-${langs[0]}-${langs[1]}` : '');
    out.mt_steps = '';
    out.s2s_steps = '';
  } else if (mode.finetune === 'mt') {
    out.mt_steps = s.mt_steps || (langs.length >= 2 ? `${langs[0]}-${langs[1]},${langs[1]}-${langs[0]}` : '');
    out.bt_steps = '';
    out.s2s_steps = '';
  } else if (mode.finetune === 's2s') {
    out.s2s_steps = mode.task ?? s.s2s_steps.split(',')[0] ?? '';
    out.bt_steps = '';
    out.mt_steps = '';
    if (!out.s2s_steps) throw new UserError('s2s_steps: no sequence-to-sequence task configured (add corpora.s2s.<task> and s2s_steps)');
  }
  if (mode.checkpoint) out.reload_model = mode.checkpoint;
  return out;
}

function modelConfigFor(s: TrainSettings, nWords: number, langs: string[]): ModelConfig {
  return makeModelConfig({
    emb_dim: s.emb_dim,
    n_heads: s.n_heads,
    n_layers: s.n_layers,
    n_dec_layers: s.n_dec_layers,
    n_words: nWords,
    n_langs: langs.length,
    id2lang: Object.fromEntries(langs.map((l, i) => [String(i), l])),
    dropout: s.dropout,
    attention_dropout: s.attention_dropout,
    gelu_activation: s.gelu_activation,
    attention_setting: s.attention_setting as 'v1' | 'v2',
    n_max_positions: s.n_max_positions,
    share_inout_emb: s.share_inout_emb,
  });
}

function checkArchitecture(expected: ModelConfig, found: ModelConfig, where: string, field: string): void {
  for (const k of ARCHITECTURE) {
    if (expected[k] !== found[k]) throw new UserError(`${field}: ${where} has ${k}=${found[k]} but the config says ${k}=${expected[k]}; make them equal`);
  }
  if (expected.n_words !== found.n_words)
    throw new UserError(
      `${field}: ${where} has a ${found.n_words}-word vocabulary but the data has ${expected.n_words}; preprocess with its vocabulary (bpe.reload_vocab)`,
    );
  if (JSON.stringify(expected.id2lang) !== JSON.stringify(found.id2lang)) {
    throw new UserError(
      `${field}: ${where} knows languages ${Object.values(found.id2lang).join('-')} but lgs is ${Object.values(expected.id2lang).join('-')}; ` +
        `set lgs to ${Object.values(found.id2lang).join('-')} to start from it (a task in one of them, e.g. summarization, still needs the model's full lgs)`,
    );
  }
}

/** Weights from one of our checkpoints, a plain reference state_dict in safetensors, or a reference .pth checkpoint. */
async function loadWeights(path: string, config: ModelConfig, field: string): Promise<{ model: MassModel; tasks: string[] }> {
  if (path.endsWith('.pth')) {
    // A reference checkpoint, read directly (mass import without the BPE codes: training needs none).
    const ref = await readReferenceCheckpoint(path);
    checkArchitecture(config, ref.config, path, field);
    const byName = new Map(ref.tensors);
    const get = (name: string) => {
      const t = byName.get(name);
      return t && { shape: t.shape, data: t.values() };
    };
    try {
      return { model: MassModel.fromStateDict(config, get, `${field}: ${path}`), tasks: ref.tasks };
    } finally {
      ref.close();
    }
  }
  const file = await readSafetensors(path).catch((e: Error) => {
    throw e instanceof UserError ? e : new UserError(`${field}: cannot read ${path} (${e.message})`);
  });
  if (file.metadata?.format === CHECKPOINT_FORMAT) {
    const ck = await readCheckpoint(path);
    checkArchitecture(config, ck.meta.model, path, field);
    return { model: modelFromCheckpoint(ck), tasks: ck.meta.tasks };
  }
  const model = MassModel.fromStateDict(
    config,
    (name) => {
      const t = file.tensors.get(name);
      return t ? { shape: t.shape, data: toFloat32(t) } : undefined;
    },
    `${field}: ${path}`,
  );
  return { model, tasks: [] };
}

function tasksOf(steps: StepLists): string[] {
  return [...(steps.mass.length ? ['mass'] : []), ...(steps.bt.length ? ['bt'] : []), ...(steps.mt.length ? ['mt'] : []), ...steps.s2s];
}

/** A reporter that also writes the experiment's train.log and machine-readable train.jsonl. */
function fileReporter(dir: string, inner: TrainingReporter): TrainingReporter {
  let chain = Promise.resolve();
  const append = (file: string, text: string) => {
    chain = chain.then(() => appendFile(join(dir, file), text)).catch(() => undefined);
  };
  const stamp = () => new Date().toISOString();
  return {
    progress(p: ProgressReport) {
      append('train.jsonl', JSON.stringify({ type: 'progress', time: stamp(), ...p }) + '\n');
      inner.progress(p);
    },
    event(e: EventReport) {
      append('train.jsonl', JSON.stringify({ type: 'event', time: stamp(), ...e }) + '\n');
      inner.event(e);
    },
    log(line: string) {
      append('train.log', `${stamp()} ${line}\n`);
      inner.log(line);
    },
  };
}

/** Settings a resume takes from the caller when given (config or flag) instead of from the checkpoint. */
const RESUME_OVERRIDABLE = ['max_epoch', 'max_steps', 'log_every', 'backend', 'workers', 'eval_bleu'] as const;

/**
 * Sets up and runs a training job: settings checked, backend chosen, data loaded and checked,
 * model built or reloaded, optimizer (and for a resume, its state, data positions and RNG) restored.
 * Everything that can fail on bad input fails before the first update.
 */
export function startTraining(cfg: LoadedConfig, mode: TrainingMode, reporter: TrainingReporter): TrainingRun {
  let loop: TrainingLoop | undefined;
  let live: LiveModel | undefined;
  let stopEarly = false;
  /** Translations using the live model; it is disposed when the run has ended and none is left. */
  let holds = 0;
  let ended = false;
  const done = (async (): Promise<LoopOutcome> => {
    const errors = cfg.problems.filter((p) => p.severity === 'error');
    if (errors.length) throw new UserError(describeProblem(cfg, errors[0]!));
    let s: TrainSettings = mode.kind === 'finetune' && mode.finetune ? finetuneSettings(cfg.settings, mode) : { ...cfg.settings };
    if (s.eval_only) return await evaluateOnly(cfg, s, reporter);
    const resumeFrom = mode.kind === 'resume' ? (mode.checkpoint ?? s.reload_checkpoint) : s.reload_checkpoint;
    if (mode.kind === 'resume' && !resumeFrom) throw new UserError('reload_checkpoint: no checkpoint to resume from');
    if (resumeFrom) mode.confine?.(resolvePath(cfg, resumeFrom), 'reload_checkpoint');
    const resumed = resumeFrom ? await readCheckpoint(resumeFrom) : undefined;
    if (resumed && !resumed.meta.state)
      throw new UserError(`reload_checkpoint: ${resumeFrom} holds weights only (kind '${resumed.meta.kind}'); use reload_model to start from it`);
    s = runSettings(cfg, s, resumed, resumeFrom);
    if (!resumed) s = await bundledArchitecture(s, reporter);
    const langs = parseLanguages(s.lgs);
    const steps = parseSteps(s);
    const dataPath = resolvePath(cfg, s.data_path);
    // a resumed run takes its folders from the checkpoint: they are confined like the config's
    mode.confine?.(dataPath, 'data_path');
    mode.confine?.(resolvePath(cfg, s.dump_path), 'dump_path');
    if (s.reload_model) for (const p of s.reload_model.split(',')) mode.confine?.(resolveModelPath(cfg, p), 'reload_model');
    // Before anything is allocated: a model or batch that cannot fit is refused with what would.
    const limit = backendMemoryLimit(s.backend, mode.memoryLimitMB);
    const words = await dictionarySize(dataPath, s.max_vocab);
    const refusal = words === undefined ? undefined : memoryRefusal(s, words, limit);
    if (refusal) throw new UserError(refusal);
    const data = await loadTrainingData(dataPath, langs, steps, { maxVocab: s.max_vocab, minCount: s.min_count });
    const config = modelConfigFor(s, data.dictionary.size, langs);
    const backend = await initBackend(s.backend as BackendChoice);
    reporter.log(`backend: ${describeBackend(backend)}`);
    const gpuLimits = backend.name === 'webgpu' ? webgpuLimits() : undefined;
    const gpuRefusal = gpuLimits && gpuLimitRefusal(s, data.dictionary.size, gpuLimits, backend.adapter ?? 'webgpu');
    if (gpuRefusal) throw new UserError(gpuRefusal);
    const spec = parseOptimizer(s.optimizer);

    const { model, tasks } = await startingModel(cfg, s, config, resumed, resumeFrom);
    try {
      const optimizer = newOptimizer(spec);
      if (resumed) optimizer.loadState(optimizerFromCheckpoint(resumed));

      const streams = batchStreams(s, steps, data);
      const state: TrainingState = resumed?.meta.state ? { ...resumed.meta.state } : freshState(s.seed);
      for (const [k, st] of Object.entries(state.streams)) streams.get(k)?.setState(st);
      const rng = new Rng(state.rng);

      const expDir = resumed
        ? dirname(resumeFrom!)
        : join(resolvePath(cfg, s.dump_path), s.exp_name, s.exp_id || new Date().toISOString().replace(/[:.]/g, '-'));
      mode.confine?.(expDir, 'exp_name');
      await prepareExperimentDir(expDir, s, mode, reporter);
      const out = fileReporter(expDir, reporter);
      out.event({
        kind: 'started',
        message: `${mode.kind} in ${expDir}: ${model.parameterCount().toLocaleString('en')} parameters, steps ${tasksOf(steps).join(', ')}, backend ${backend.name}`,
      });
      // Worker threads start last: nothing after this can fail before the loop's finally stops them.
      const workers = workerCount(s.workers, backend.name);
      if (s.workers > 1 && workers === 1) out.log(`workers: ${s.workers} ignored, ${backend.name} uses every core itself`);
      const stepper: Stepper =
        workers > 1
          ? await ParallelTrainer.create(model, optimizer, { workers, clipNorm: s.clip_grad_norm })
          : readsAsync()
            ? asyncStepper(await Trainer.create(model, optimizer, { clipNorm: s.clip_grad_norm }))
            : new Trainer(model, optimizer, { clipNorm: s.clip_grad_norm });
      if (workers > 1) out.log(`workers: ${workers} threads compute each update`);
      const liveModel = model;
      live = {
        model,
        data,
        langs,
        experimentDir: expDir,
        hold: () => {
          holds++;
          let released = false;
          return () => {
            if (released) return;
            released = true;
            if (--holds === 0 && ended) liveModel.dispose();
          };
        },
      };
      loop = new TrainingLoop({
        settings: s,
        steps,
        langs,
        data,
        model,
        stepper,
        optimizer,
        rng,
        streams,
        state,
        expDir,
        experiment: s.exp_name,
        tasks: [...new Set([...tasks, ...tasksOf(steps)])],
        reporter: out,
      });
      if (stopEarly) loop.stop();
      try {
        return await loop.run();
      } catch (e) {
        out.event({ kind: 'failed', message: (e as Error).message, field: e instanceof UserError ? fieldOf(e.message) : undefined });
        throw e;
      } finally {
        await stepper.dispose();
      }
    } finally {
      // the model is this run's own: its weights go when the run ends, however it ends (a long-lived
      // daemon runs many jobs), or once the last translation still using them is done
      live = undefined;
      ended = true;
      if (holds === 0) model.dispose();
    }
  })();
  return {
    done,
    stop: () => {
      stopEarly = true;
      loop?.stop();
    },
    live: () => live,
  };
}

// ---- the phases of startTraining, in the order it runs them

/** The reference's --eval_only: score the reloaded model on the validation data, train nothing. */
async function evaluateOnly(cfg: LoadedConfig, s: TrainSettings, reporter: TrainingReporter): Promise<LoopOutcome> {
  const path = (s.reload_model || s.reload_checkpoint).split(',')[0]!;
  if (!path) throw new UserError('eval_only: give the model to evaluate with reload_model');
  const file = s.reload_model ? resolveModelPath(cfg, path) : resolvePath(cfg, path);
  const { scores, samples } = await evaluateCheckpoint(cfg, file);
  for (const [k, v] of Object.entries(scores)) reporter.log(`${k} -> ${v.toFixed(6)}`);
  reporter.event({ kind: 'epoch', message: `evaluated ${path}`, scores, samples });
  return { status: 'finished', checkpoint: file, scores };
}

/** A bundled reload_model's architecture replaces the config's (said in the log when they differed). */
async function bundledArchitecture(s: TrainSettings, reporter: TrainingReporter): Promise<TrainSettings> {
  const { settings, changed } = await withBundledArchitecture(s);
  if (changed.length) reporter.log(`reload_model ${s.reload_model.trim()}: architecture taken from the model (${changed.join(', ')})`);
  return settings;
}

/** The settings the run trains with: a resume's own (with the caller's RESUME_OVERRIDABLE ones), else the config's with absolute folders. */
function runSettings(cfg: LoadedConfig, s: TrainSettings, resumed: CheckpointContents | undefined, resumeFrom: string | undefined): TrainSettings {
  if (resumed) {
    // The run continues with its own settings, steps and data order; the caller may still change how
    // long it runs, how it reports and where it computes (an exact resume needs the same workers).
    const saved = resumed.meta.settings as unknown as TrainSettings;
    const overrides: Partial<TrainSettings> = {};
    for (const k of RESUME_OVERRIDABLE) if (cfg.explicit.has(k)) (overrides as Record<string, unknown>)[k] = s[k];
    return { ...saved, ...overrides, reload_checkpoint: resumeFrom!, reload_model: '' };
  }
  // Saved with the checkpoints: absolute, so a resume needs no config file and works from any folder.
  return { ...s, data_path: resolvePath(cfg, s.data_path), dump_path: resolvePath(cfg, s.dump_path) };
}

/** The model the run starts from: the resumed checkpoint's, reload_model's weights, or a fresh one. */
async function startingModel(
  cfg: LoadedConfig,
  s: TrainSettings,
  config: ModelConfig,
  resumed: CheckpointContents | undefined,
  resumeFrom: string | undefined,
): Promise<{ model: MassModel; tasks: string[] }> {
  if (resumed) {
    checkArchitecture(config, resumed.meta.model, resumeFrom!, 'reload_checkpoint');
    return { model: modelFromCheckpoint(resumed), tasks: resumed.meta.tasks };
  }
  if (s.reload_model) {
    const paths = [...new Set(s.reload_model.split(',').map((p) => resolveModelPath(cfg, p)))];
    if (paths.length > 1) throw new UserError(`reload_model: give one checkpoint (encoder and decoder are stored together), got ${paths.join(', ')}`);
    if (bundledName(s.reload_model) !== undefined) await checkSameVocabulary(paths[0]!, s.data_path, s.reload_model.trim());
    return await loadWeights(paths[0]!, config, 'reload_model');
  }
  return { model: MassModel.init(config, s.seed), tasks: [] };
}

/**
 * A bundled model only fits data split into its own subwords: the same vocabulary, word for word (an
 * equal size is not enough). Preprocessing with reload_model set to it does that.
 */
async function checkSameVocabulary(modelPath: string, dataPath: string, name: string): Promise<void> {
  const { vocab } = await readCheckpointVocabulary(modelPath, 'reload_model');
  const dataVocab = await readFile(join(dataPath, 'vocab'), 'utf8').catch(() => '');
  if (dataVocab !== vocab)
    throw new UserError(
      `reload_model: ${name} needs the data split with its own BPE codes and vocabulary, but ${join(dataPath, 'vocab')} is another; ` +
        `set reload_model to ${name} in the config and preprocess again (mass preprocess --config …; the daemon does it itself)`,
    );
}

function newOptimizer(spec: ReturnType<typeof parseOptimizer>): AdamInverseSqrt {
  return new AdamInverseSqrt({
    lr: spec.lr,
    beta1: spec.beta1,
    beta2: spec.beta2,
    eps: spec.eps,
    warmupUpdates: spec.warmupUpdates,
    warmupInitLr: spec.warmupInitLr,
    schedule: spec.name === 'adam' ? 'constant' : 'inverse_sqrt',
  });
}

/** One batch stream per kind of step (their positions are checkpointed), each with its own seed offset. */
function batchStreams(s: TrainSettings, steps: StepLists, data: TrainingData): Map<string, BatchStream> {
  const batching: BatchingOptions = {
    tokensPerBatch: s.tokens_per_batch,
    batchSize: s.batch_size,
    maxBatchSize: s.max_batch_size,
    groupBySize: s.group_by_size,
  };
  const streams = new Map<string, BatchStream>();
  const lengths = { maxLen: s.max_len, minLen: s.min_len };
  for (const l of steps.mass) streams.set(`mass-${l}`, monoStream(`mass_steps (${l})`, data.monoTrain.get(l)!, batching, lengths, s.seed));
  for (const [a] of steps.bt)
    if (!streams.has(`bt-${a}`)) streams.set(`bt-${a}`, monoStream(`bt_steps (${a})`, data.monoTrain.get(a)!, batching, lengths, s.seed + 1));
  for (const [key, pair] of data.paraTrain) streams.set(`mt-${key}`, pairStream(`mt_steps (${key})`, pair, batching, s.max_len, s.seed + 2));
  for (const [task, pair] of data.s2sTrain) streams.set(`s2s-${task}`, pairStream(`s2s_steps (${task})`, pair, batching, s.max_len, s.seed + 3, true));
  return streams;
}

function freshState(seed: number): TrainingState {
  return {
    epoch: 0,
    iteration: 0,
    epochSentences: 0,
    streams: {},
    rng: new Rng(seed).getState(),
    bestMetrics: {},
    decreaseCounts: 0,
    optimizerSteps: {},
    optimizerUpdates: 0,
  };
}

/** Creates the experiment folder, removes what an interrupted save left, repairs sidecars, writes params.json. */
async function prepareExperimentDir(expDir: string, s: TrainSettings, mode: TrainingMode, reporter: TrainingReporter): Promise<void> {
  await mkdir(expDir, { recursive: true }).catch((e: unknown) => {
    throw writeError(expDir, e);
  });
  // a run killed while saving left temporary files: they are removed now (the checkpoint itself is whole)
  const stale = await removeStaleTempFiles(expDir);
  if (stale.length)
    reporter.log(
      `removed ${stale.length} temporary file${stale.length > 1 ? 's' : ''} left by an interrupted save: ${stale.map((p) => basename(p)).join(', ')}`,
    );
  await repairSidecars(expDir);
  await writeFile(join(expDir, 'params.json'), JSON.stringify({ ...s, mode: { ...mode, confine: undefined } }, null, 2) + '\n').catch((e: unknown) => {
    throw writeError(join(expDir, 'params.json'), e);
  });
}

function fieldOf(message: string): string | undefined {
  const m = /^([a-z_]+):/.exec(message);
  return m?.[1];
}
