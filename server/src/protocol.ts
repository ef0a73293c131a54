/**
 * Every custom request and notification between the MASS extension and its daemon, typed once and
 * imported by both sides (client/src and server/src/daemon), so the two cannot drift apart.
 * Standard LSP traffic (diagnostics, completion, hover, work-done progress, $/cancelRequest) is not
 * repeated here.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
// This file imports nothing of ours: it declares every wire type itself (the daemon maps engine values onto
// them in daemon/connection/toWire.ts), so an engine refactor cannot change the wire format unnoticed.

// ---- shared shapes

export type BackendName = 'webgpu' | 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

/** A checkpoint file and what it holds (its path is absolute). */
export interface CheckpointInfo {
  /** Absolute path of the .safetensors file. */
  path: string;
  /** 'last' (resumable), 'best-<metric>', 'periodic-<epoch>', 'stopped', 'bundled'. */
  kind: string;
  experiment: string;
  /** -1 when the file's header does not say. */
  epoch: number;
  /** Optimizer updates; -1 when the file's header does not say. */
  step: number;
  /** Languages the model knows, in id order. */
  langs: string[];
  /** What it was trained for ('mass', 'bt', 'mt', s2s task names). */
  tasks: string[];
  scores: Record<string, number>;
  /** ISO time. */
  savedAt: string;
}

export type JobKind = 'pretrain' | 'finetune' | 'resume' | 'evaluate';
export type JobState = 'queued' | 'running' | 'stopping' | 'finished' | 'stopped' | 'failed';

export interface JobInfo {
  id: string;
  kind: JobKind;
  state: JobState;
  /** The config file that defined it. */
  config: string;
  experimentDir?: string;
  startedAt?: string;
  message?: string;
}

/** The `initializationOptions` the extension sends with `initialize`. */
export interface DaemonInitializationOptions {
  backend?: BackendName | 'auto';
  checkpointDirectory?: string;
  /** The extension's daemon memory limit (MB), for the memory estimate on configs. */
  memoryLimitMB?: number;
  /** Pop-ups for training alerts: true (all, default), 'warnings' (the client shows failures itself), false (none). */
  showTrainingMessages?: boolean | 'warnings';
}

// ---- requests (client → daemon)

export interface StatusResult {
  backend: BackendName | 'not-loaded';
  /** webgpu: the adapter and the API it runs through, e.g. `NVIDIA H100 (Vulkan)`. */
  backendAdapter?: string;
  /** The running or most recent job, if any. */
  job?: JobInfo;
  queue: JobInfo[];
  /** The checkpoint translate/summarize use by default. */
  checkpoint?: CheckpointInfo;
  /** Last progress report of the running job. */
  progress?: TrainingProgress;
  version: string;
  /** The daemon's memory: process RSS, and the engine's live tensors once it is loaded. */
  memory: DaemonMemory;
}
export interface DaemonMemory {
  /** Resident set size of the daemon process, bytes. */
  rss: number;
  /** Tensors alive in the engine (absent before it is loaded). */
  tensors?: number;
  /** Bytes those tensors hold. */
  tensorBytes?: number;
}
export const status = new RequestType0<StatusResult, void>('mass/status');

export interface TrainParams {
  /** Path of mass.config.json (or *.mass.json). */
  config: string;
  /** Settings that override the file, by field name (e.g. { max_epoch: 1 }). */
  overrides?: Record<string, string | number | boolean>;
}
export interface JobStarted {
  job: JobInfo;
}
export const pretrain = new RequestType<TrainParams, JobStarted, void>('mass/pretrain');

/** Back-translation, supervised translation, sequence to sequence (summarization). */
export const FINETUNE_KINDS = ['bt', 'mt', 's2s'] as const;
export type FinetuneKind = (typeof FINETUNE_KINDS)[number];
export interface FinetuneParams extends TrainParams {
  kind: FinetuneKind;
  /**
   * Starting weights: a checkpoint file, or a bundled model's name (`bundled:pretrained`, from
   * mass/bundledModels). Default: the best or last pre-training checkpoint of the config's experiment.
   */
  checkpoint?: string;
  /** For s2s: which task of corpora.s2s (default: the first). */
  task?: string;
}
export const finetune = new RequestType<FinetuneParams, JobStarted, void>('mass/finetune');

export interface ResumeParams {
  config: string;
  /** A resumable checkpoint (default: the latest one found for the config's experiment). */
  checkpoint?: string;
}
export const resume = new RequestType<ResumeParams, JobStarted, void>('mass/resume');

export interface StopParams {
  /** Job to stop (default: the running one). */
  jobId?: string;
}
export interface StopResult {
  stopped: boolean;
  /** The checkpoint written before stopping. */
  checkpoint?: string;
}
export const stopTraining = new RequestType<StopParams, StopResult, void>('mass/stopTraining');

export interface TranslateParams {
  /** One entry per line/sentence; raw text (tokenization and BPE are done by the daemon). */
  text: string[];
  src: string;
  tgt: string;
  /** Default: the daemon's current checkpoint (or the live weights of a running job). */
  checkpoint?: string;
  beam?: number;
  /** At least this many subword tokens per output (editors send 1: never replace text with nothing). */
  minLen?: number;
  /** Never repeat an n-gram of this many subword tokens (0: off). */
  noRepeatNgram?: number;
}
export interface TranslateResult {
  translations: string[];
  checkpoint: string;
  /** True when the weights came from the running training job. */
  live: boolean;
  ms: number;
}
export const translate = new RequestType<TranslateParams, TranslateResult, void>('mass/translate');

export interface SummarizeParams {
  text: string[];
  checkpoint?: string;
  beam?: number;
  /** Task name of the fine-tuned s2s model (default 'summarization'). */
  task?: string;
  minLen?: number;
  noRepeatNgram?: number;
}
export interface SummarizeResult {
  summaries: string[];
  checkpoint: string;
  live: boolean;
  ms: number;
}
export const summarize = new RequestType<SummarizeParams, SummarizeResult, void>('mass/summarize');

export interface ListCheckpointsParams {
  /** Limit to the experiments of this config (default: every config in the workspace). */
  config?: string;
}
export const listCheckpoints = new RequestType<ListCheckpointsParams, { checkpoints: CheckpointInfo[] }, void>('mass/listCheckpoints');

/** A model the package ships (docs/model-card.md), named where a path is expected. */
export interface BundledModelInfo {
  /** What to send as `checkpoint` (mass/finetune) or write as reload_model: `bundled:pretrained`. */
  name: string;
  /** 'pretrained' (MASS, the starting point for fine-tuning), 'translation', 'summarization'. */
  kind: string;
  /** Absolute path of the file inside the installation (read-only). */
  path: string;
  langs: string[];
  tasks: string[];
  updates: number;
  scores: Record<string, number>;
}
/** The models this installation ships (none when it was packaged without them). */
export const bundledModels = new RequestType0<{ models: BundledModelInfo[] }, void>('mass/bundledModels');

export interface LoadCheckpointParams {
  path: string;
}
export const loadCheckpoint = new RequestType<LoadCheckpointParams, CheckpointInfo, void>('mass/loadCheckpoint');

export interface ImportCheckpointParams {
  /** A checkpoint saved by the reference trainer (microsoft/MASS, XLM): a .pth in torch's legacy or zip format. */
  path: string;
  /** The BPE codes the model was trained with. */
  codes: string;
  /** The vocabulary file it was trained with (fastBPE `word count` lines); default: the checkpoint's own dictionary. */
  vocab?: string;
  /** The model file to write (.safetensors); default: next to the .pth, with its name. */
  out?: string;
  /** Replace `out` if it exists (default false: an existing file is never overwritten unasked). */
  overwrite?: boolean;
}
export interface ImportCheckpointResult {
  /** The model written, now the one translate/summarize use by default (as after mass/loadCheckpoint). */
  checkpoint: CheckpointInfo;
  tensors: number;
  words: number;
  /** The torch format the .pth was in. */
  format: 'legacy' | 'zip';
}
/** Turns a reference .pth into one of our models (no Python), with work-done progress, and loads it. */
export const importCheckpoint = new RequestType<ImportCheckpointParams, ImportCheckpointResult, void>('mass/importCheckpoint');

export interface EvaluateParams {
  config: string;
  checkpoint?: string;
}
export interface EvaluateResult {
  checkpoint: string;
  /** e.g. valid_en-fr_mt_bleu, valid_summarization_rouge1 ... */
  scores: Record<string, number>;
}
export const evaluate = new RequestType<EvaluateParams, EvaluateResult, void>('mass/evaluate');

export interface CreateConfigParams {
  /** Workspace folder to scan for corpora and write mass.config.json into. */
  folder: string;
}
export interface CreateConfigResult {
  path: string;
  /** What was found: languages, files per kind (paths relative to the folder). */
  found: { mono: Record<string, string[]>; para: Record<string, Record<string, string>>; valid?: Record<string, Record<string, string>> };
}
export const createConfig = new RequestType<CreateConfigParams, CreateConfigResult, void>('mass/createConfig');

export interface AnalyseCorpusParams {
  /** A corpus file inside the workspace. */
  path: string;
  /** The language it should be in (default: from the config or its name, else its majority language). */
  lang?: string;
}
export interface CorpusSummary {
  path: string;
  bytes: number;
  lines: number;
  nonEmpty: number;
  /** Lines per problem: invalid-utf8, nul-byte, too-long, empty, wrong-language, duplicate (repeats). */
  counts: Record<string, number>;
  /** Confidently identified (sampled) lines per language. */
  languages: Record<string, number>;
  majority?: string;
  topDuplicates: { text: string; count: number; lines: number[] }[];
  /** What the scan's caps left out. */
  notes: string[];
}
/** A full check of one corpus file (the same as its diagnostics), with work-done progress; cancellable. */
export const analyseCorpus = new RequestType<AnalyseCorpusParams, CorpusSummary, void>('mass/analyseCorpus');

// ---- notifications (daemon → client)

/** A training job's progress, every few updates. */
export interface TrainingProgress {
  jobId: string;
  epoch: number;
  /** Optimizer updates so far. */
  step: number;
  /** Updates planned (max_steps or epochs × estimated updates per epoch), when known. */
  totalSteps?: number;
  /** Mean loss per step kind since the last report ('MA-en', 'BT-en-fr-en', 'MT-en-fr', 'S2S-summarization'). */
  losses: Record<string, number>;
  loss: number;
  ppl: number;
  lr: number;
  /** Predicted (target) tokens per second since the last report. */
  tokensPerSecond: number;
  memoryMB: number;
  etaSeconds?: number;
  elapsedSeconds: number;
}
export const trainingProgress = new NotificationType<TrainingProgress>('mass/trainingProgress');

/** A validation sentence, its reference, and what the model made of it. */
export interface SampleTranslation {
  source: string;
  reference?: string;
  hypothesis: string;
}
export interface TrainingEvent {
  jobId: string;
  kind: 'started' | 'epoch' | 'checkpoint' | 'finished' | 'stopped' | 'failed' | 'warning';
  message: string;
  epoch?: number;
  /** Validation scores at the end of an epoch (ppl, acc, BLEU, ROUGE ...). */
  scores?: Record<string, number>;
  samples?: SampleTranslation[];
  checkpoint?: string;
  /** The config field a warning or failure is about. */
  field?: string;
}
export const trainingEvent = new NotificationType<TrainingEvent>('mass/trainingEvent');

/** One line of the training log, for the "MASS" output channel. */
export const logLine = new NotificationType<{ line: string }>('mass/log');
