/**
 * The custom requests of protocol.ts: each validates its params (InvalidParams naming the field),
 * keeps every path inside the workspace, and maps to the job queue or an engine call. Long requests
 * report work-done progress and stop on $/cancelRequest (RequestCancelled).
 */
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import * as protocol from '../../protocol.js';
import { analyseConfig, describeProblem, resolvePath, type LoadedConfig } from '../../config/loadConfig.js';
import { fields, type FieldSchema, type TrainSettings } from '../../config/schema.js';
import { UserError } from '../../engine/errors.js';
import type { TrainingMode } from '../../engine/train/runTraining.js';
import { isConfigPath } from '../configs/configFiles.js';
import { scaffoldConfig, writeScaffold } from '../configs/createConfig.js';
import { scanCorpus, ScanAborted } from '../corpora/corpusScan.js';
import { validateParams } from './params.js';
import { requestShapes } from './requestShapes.js';
import { trainingJob } from '../jobs/trainingJobs.js';
import { registerGenerateRequests } from './generateRequests.js';
import { registerImportRequest } from './importRequest.js';
import { realPathOf, type WorkspaceRoots } from '../connection/workspaceRoots.js';
import { workspacePath, type RequestContext } from './requestContext.js';
import { checkpointInfo } from '../connection/toWire.js';
import { OutsideWorkspace, type Confine } from '../../config/corporaSpec.js';
import { BUNDLED_KINDS, BUNDLED_PREFIX, bundledModel, bundledName, isBundledModelFile, resolveBundled } from '../../engine/checkpoint/bundledModels.js';

const failed = (message: string) => new ResponseError(LSPErrorCodes.RequestFailed, message);
const invalid = (message: string) => new ResponseError(ErrorCodes.InvalidParams, message);
const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');

function abortSignal(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/** Overrides as flags: known fields only, each of its schema type. */
function overridesToFlags(method: string, overrides: Record<string, string | number | boolean> | undefined): Partial<TrainSettings> {
  const flags: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(overrides ?? {})) {
    // own fields only: '__proto__', 'constructor', 'toString' are not settings
    const f = Object.hasOwn(fields, k) ? (fields as Record<string, FieldSchema>)[k] : undefined;
    if (!f) throw invalid(`${method}: params.overrides.${k}: unknown setting`);
    const ok =
      f.type === 'integer'
        ? Number.isInteger(v)
        : f.type === 'number'
          ? typeof v === 'number'
          : f.type === 'boolean'
            ? typeof v === 'boolean'
            : typeof v === 'string';
    if (!ok) throw invalid(`${method}: params.overrides.${k}: expected ${f.type}, got ${JSON.stringify(v)}`);
    flags[k] = v;
  }
  return flags as Partial<TrainSettings>;
}

/** The config a job request names, analysed with its overrides; errors refuse the request. */
async function jobConfig(
  ctx: RequestContext,
  method: string,
  configParam: string,
  overrides?: Record<string, string | number | boolean>,
): Promise<{ path: string; cfg: LoadedConfig; confine: Confine }> {
  const path = workspacePath(ctx, method, 'config', configParam);
  if (!isConfigPath(path)) throw invalid(`${method}: params.config: ${path} is not a MASS config (mass.config.json or *.mass.json)`);
  const text = ctx.configs.text(path) ?? (await (await ctx.configs.load(path))?.text);
  if (text === undefined) throw failed(`${method}: ${path}: cannot read the config`);
  const cfg = analyseConfig(text, dirname(path), overridesToFlags(method, overrides), path);
  const errors = cfg.problems.filter((p) => p.severity === 'error');
  if (errors.length)
    throw failed(`${method}: the config has ${errors.length} error${errors.length > 1 ? 's' : ''}; first: ${describeProblem(cfg, errors[0]!)}`);
  for (const f of ['dump_path', 'data_path', 'reload_checkpoint', 'reload_model'] as const) {
    const v = cfg.settings[f];
    if (!v) continue;
    for (const p of f === 'reload_model' ? v.split(',') : [v]) {
      if (f === 'reload_model' && bundledName(p) !== undefined) continue; // the package's own file, resolved by the run
      const abs = resolvePath(cfg, p.trim());
      if (!ctx.roots.contains(abs)) throw failed(`${method}: ${f}: ${abs} is outside the workspace (${ctx.roots.describe()})`);
    }
  }
  // every file the job will read (corpora after globbing, links resolved; BPE codes and vocabulary):
  // confined now, before anything is read; the error names the field and the path, never the content
  const confine = confineTo(ctx.roots);
  if (method !== 'mass/resume' && method !== 'mass/evaluate') {
    const { preprocessSpecFromConfig } = await import('../../config/corporaSpec.js');
    try {
      await preprocessSpecFromConfig(cfg, () => undefined, confine);
    } catch (e) {
      // missing files and the like fail the job as before (a diagnostic on the field); a path outside the workspace refuses it
      if (e instanceof OutsideWorkspace) throw failed(`${method}: ${e.message}`);
    }
  }
  const backend = ctx.daemon.backendSetting();
  if (cfg.settings.backend === 'auto' && backend && backend !== 'auto') cfg.settings.backend = backend;
  return { path, cfg, confine };
}

/** The confinement a job gets: the workspace as it is when the job starts. */
export function confineTo(roots: WorkspaceRoots): Confine {
  const snap = roots.snapshot();
  return (p, field) => {
    // the models the package ships are read-only inputs like the code itself
    if (!snap.contains(p) && !isBundledModelFile(p))
      throw new OutsideWorkspace(`${field}: ${realPathOf(p)} is outside the workspace (${snap.describe()}); the daemon reads and writes only inside it`);
  };
}

/** The model shipped with the extension, as the checkpoint that answers when the workspace has none. */
function bundledInfo(): protocol.CheckpointInfo | undefined {
  const m = bundledModel('translation');
  if (!m) return undefined;
  return checkpointInfo({
    path: m.path,
    kind: 'bundled',
    experiment: `default ${m.langs.join('↔')}`,
    epoch: 0,
    step: m.updates,
    langs: m.langs,
    tasks: m.tasks,
    scores: m.scores,
    savedAt: m.savedAt,
  });
}

export function registerRequests(ctx: RequestContext): void {
  const { connection, daemon } = ctx;

  connection.onRequest(protocol.status, async () => {
    await ctx.workspaceReady();
    const checkpoint = daemon.chosenCheckpoint() ?? (await daemon.newestCheckpoint(ctx.configs.paths(), ctx.roots).catch(() => undefined)) ?? bundledInfo();
    const backend = (await daemon.backendName()) ?? 'not-loaded';
    const backendAdapter = await daemon.backendAdapter();
    return {
      backend,
      ...(backendAdapter ? { backendAdapter } : {}),
      ...daemon.jobs.status(),
      ...(checkpoint ? { checkpoint } : {}),
      version: daemon.version,
      memory: await daemon.memory(),
    };
  });

  const startJob = async (
    method: string,
    kind: 'pretrain' | 'finetune' | 'resume',
    configParam: string,
    mode: TrainingMode,
    overrides?: Record<string, string | number | boolean>,
  ): Promise<protocol.JobStarted> => {
    const { path, cfg, confine } = await jobConfig(ctx, method, configParam, overrides);
    if (mode.checkpoint && bundledName(mode.checkpoint) !== undefined) {
      // a model the package ships (e.g. bundled:pretrained): the name travels on, the run resolves it
      try {
        resolveBundled(mode.checkpoint, 'params.checkpoint');
      } catch (e) {
        throw invalid(`${method}: ${(e as Error).message}`);
      }
    } else if (mode.checkpoint) {
      const abs = workspacePath(ctx, method, 'checkpoint', mode.checkpoint);
      if (
        !(await stat(abs).then(
          (s) => s.isFile(),
          () => false,
        ))
      )
        throw invalid(`${method}: params.checkpoint: ${abs}: no such file`);
      mode = { ...mode, checkpoint: abs };
    }
    ctx.configs.clearTrainingAlerts(path);
    const job = daemon.jobs.enqueue(trainingJob(kind, path, cfg, { ...mode, confine }, { ...daemon.trainingHooks(), confine }));
    ctx.jobStarted(job);
    return { job };
  };

  connection.onRequest(protocol.pretrain, (raw) => {
    const p = validateParams('mass/pretrain', raw, requestShapes.pretrain);
    return startJob('mass/pretrain', 'pretrain', p.config, { kind: 'pretrain' }, p.overrides);
  });

  connection.onRequest(protocol.finetune, (raw) => {
    const p = validateParams('mass/finetune', raw, requestShapes.finetune);
    return startJob('mass/finetune', 'finetune', p.config, { kind: 'finetune', finetune: p.kind, checkpoint: p.checkpoint, task: p.task }, p.overrides);
  });

  connection.onRequest(protocol.resume, async (raw) => {
    const p = validateParams('mass/resume', raw, requestShapes.resume);
    let checkpoint = p.checkpoint;
    if (!checkpoint) {
      // the newest resumable checkpoint of the config's experiments
      const cfg = await ctx.configs.load(workspacePath(ctx, 'mass/resume', 'config', p.config));
      if (!cfg) throw failed(`mass/resume: ${p.config}: cannot read the config`);
      const { listCheckpoints } = await import('../../engine/checkpoint/safetensorsCheckpoint.js');
      const all = await listCheckpoints(resolvePath(cfg, cfg.settings.dump_path));
      const last = all.find((c) => c.kind === 'last' || c.kind === 'stopped');
      if (!last) throw failed(`mass/resume: no resumable checkpoint under ${resolvePath(cfg, cfg.settings.dump_path)}; start with mass/pretrain`);
      checkpoint = last.path;
    }
    return startJob('mass/resume', 'resume', p.config, { kind: 'resume', checkpoint });
  });

  connection.onRequest(protocol.stopTraining, (raw) => {
    const p = validateParams('mass/stopTraining', raw, requestShapes.stopTraining);
    return daemon.jobs.stop(p.jobId);
  });

  connection.onRequest(protocol.bundledModels, () => ({
    models: BUNDLED_KINDS.flatMap((kind) => {
      const m = bundledModel(kind);
      return m ? [{ name: BUNDLED_PREFIX + kind, kind, path: m.path, langs: m.langs, tasks: m.tasks, updates: m.updates, scores: m.scores }] : [];
    }),
  }));

  connection.onRequest(protocol.listCheckpoints, async (raw, token) => {
    const p = validateParams('mass/listCheckpoints', raw, requestShapes.listCheckpoints);
    await ctx.workspaceReady();
    const configs = p.config ? [workspacePath(ctx, 'mass/listCheckpoints', 'config', p.config)] : ctx.configs.paths();
    const dumps = new Set<string>();
    for (const c of configs) {
      const cfg = await ctx.configs.load(c);
      if (!cfg) throw invalid(`mass/listCheckpoints: params.config: ${c}: cannot read the config`);
      const d = resolvePath(cfg, cfg.settings.dump_path);
      if (ctx.roots.contains(d)) dumps.add(d);
    }
    for (const d of ctx.roots.extras()) dumps.add(d);
    const { listCheckpoints } = await import('../../engine/checkpoint/safetensorsCheckpoint.js');
    const out: protocol.CheckpointInfo[] = [];
    for (const d of dumps) {
      if (token.isCancellationRequested) throw cancelled();
      for (const c of await listCheckpoints(d)) if (!out.some((x) => x.path === c.path)) out.push(checkpointInfo(c));
    }
    out.sort((a, b) => (a.savedAt < b.savedAt ? 1 : -1));
    return { checkpoints: out };
  });

  connection.onRequest(protocol.evaluate, async (raw, token) => {
    const p = validateParams('mass/evaluate', raw, requestShapes.evaluate);
    const { cfg } = await jobConfig(ctx, 'mass/evaluate', p.config);
    let checkpoint = p.checkpoint ? workspacePath(ctx, 'mass/evaluate', 'checkpoint', p.checkpoint) : daemon.chosenCheckpoint()?.path;
    if (!checkpoint) {
      const { listCheckpoints } = await import('../../engine/checkpoint/safetensorsCheckpoint.js');
      const all = await listCheckpoints(resolvePath(cfg, cfg.settings.dump_path));
      checkpoint = (all.find((c) => c.kind.startsWith('best-')) ?? all[0])?.path;
      if (!checkpoint) throw failed(`mass/evaluate: no checkpoint under ${resolvePath(cfg, cfg.settings.dump_path)} yet; train a model first (MASS: Pretrain)`);
    }
    const { evaluateCheckpoint } = await import('../../engine/train/evaluateCheckpoint.js');
    try {
      const { scores } = await evaluateCheckpoint(cfg, checkpoint, { signal: abortSignal(token) });
      if (token.isCancellationRequested) throw cancelled();
      return { checkpoint, scores };
    } catch (e) {
      if (e instanceof UserError) throw failed(`mass/evaluate: ${e.message}`);
      throw e;
    }
  });

  connection.onRequest(protocol.loadCheckpoint, async (raw) => {
    const p = validateParams('mass/loadCheckpoint', raw, requestShapes.loadCheckpoint);
    const path = workspacePath(ctx, 'mass/loadCheckpoint', 'path', p.path);
    if (
      !(await stat(path).then(
        (s) => s.isFile(),
        () => false,
      ))
    )
      throw invalid(`mass/loadCheckpoint: params.path: ${path}: no such file`);
    let info: protocol.CheckpointInfo;
    try {
      // loads the model now, so the first translation does not wait for it
      info = await daemon.translators.describe(path);
    } catch (e) {
      throw e instanceof UserError ? invalid(`mass/loadCheckpoint: params.path: ${e.message}`) : e;
    }
    daemon.chooseCheckpoint(info);
    return info;
  });

  connection.onRequest(protocol.createConfig, async (raw, token) => {
    const p = validateParams('mass/createConfig', raw, requestShapes.createConfig);
    const folder = workspacePath(ctx, 'mass/createConfig', 'folder', p.folder);
    if (
      !(await stat(folder).then(
        (s) => s.isDirectory(),
        () => false,
      ))
    )
      throw invalid(`mass/createConfig: params.folder: ${folder} is not a folder`);
    const progress = await ctx.progress(raw as { workDoneToken?: string | number });
    progress?.begin('MASS: looking for corpora', undefined, folder, true);
    try {
      const signal = abortSignal(token);
      const result = await scaffoldConfig(folder, { signal, report: (m) => progress?.report(m) });
      if (token.isCancellationRequested) throw cancelled();
      await writeScaffold(result);
      ctx.corpora.scheduleRefresh(0);
      return { path: result.path, found: result.found };
    } catch (e) {
      if (token.isCancellationRequested) throw cancelled();
      if (e instanceof UserError) throw failed(`mass/createConfig: ${e.message}`);
      throw e;
    } finally {
      progress?.done();
    }
  });

  registerGenerateRequests(ctx);
  registerImportRequest(ctx);

  connection.onRequest(protocol.analyseCorpus, async (raw, token) => {
    const p = validateParams('mass/analyseCorpus', raw, requestShapes.analyseCorpus);
    const path = workspacePath(ctx, 'mass/analyseCorpus', 'path', p.path);
    if (
      !(await stat(path).then(
        (s) => s.isFile(),
        () => false,
      ))
    )
      throw invalid(`mass/analyseCorpus: params.path: ${path}: no such file`);
    const known = ctx.corpora.diagnostics.files().find((f) => f.path === path);
    const progress = await ctx.progress(raw as { workDoneToken?: string | number });
    progress?.begin('MASS: checking corpus', 0, path, true);
    let lastPct = -1;
    try {
      const r = await scanCorpus(path, {
        expectedLang: p.lang ?? known?.lang,
        expectedFrom: p.lang ? 'as requested' : known?.langSource,
        parallel: (known?.partners.length ?? 0) > 0,
        signal: abortSignal(token),
        onProgress: (read, total) => {
          const pct = total > 0 ? Math.floor((100 * read) / total) : 100;
          if (pct !== lastPct) progress?.report(pct);
          lastPct = pct;
        },
      });
      return {
        path,
        bytes: r.bytes,
        lines: r.lines,
        nonEmpty: r.nonEmpty,
        counts: r.counts,
        languages: r.languages,
        ...(r.majority ? { majority: r.majority } : {}),
        topDuplicates: r.topDuplicates,
        notes: r.notes,
      };
    } catch (e) {
      if (e instanceof ScanAborted) throw cancelled();
      throw e;
    } finally {
      progress?.done();
    }
  });
}
