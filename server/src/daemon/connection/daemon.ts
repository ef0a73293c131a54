/**
 * What outlives a connection: the job queue, the checkpoint translate/summarize use by default, and
 * the list of connected sessions. Over stdio there is one session for the daemon's life; in socket
 * mode a client can disconnect and reconnect (a reloaded editor window) while a job keeps training,
 * and every connected session hears the job's notifications.
 */
import type { Readable, Writable } from 'node:stream';
import type { BackendName, CheckpointInfo, DaemonMemory, JobInfo, TrainingEvent, TrainingProgress } from '../../protocol.js';
import { JobQueue } from '../jobs/jobQueue.js';
import { Session } from './session.js';
import type { TrainingAlert } from '../jobs/trainingAlerts.js';
import type { TrainingJobHooks } from '../jobs/trainingJobs.js';
import type { TrainingRun } from '../../engine/train/runTraining.js';
import { Translators } from '../jobs/translators.js';
import { releaseBackendResources } from '../../engine/backend/releaseOnExit.js';
import { checkpointInfo } from './toWire.js';
import { engineLoaded } from './engineLoaded.js';
import type { WorkspaceRoots } from './workspaceRoots.js';
import { stat } from 'node:fs/promises';
import { loadConfig, resolvePath } from '../../config/loadConfig.js';

export const DAEMON_VERSION = '0.1.0';

export interface DaemonSettings {
  /** Backend for configs that say 'auto' (MASS_BACKEND, or the client's initializationOptions). */
  backend?: BackendName | 'auto';
  /** The daemon's memory budget in MB (MASS_MEMORY_LIMIT_MB, or the client's initializationOptions): configs whose training step is estimated above it get a warning. */
  memoryLimitMB?: number;
}

export interface JobSink {
  progress(job: JobInfo, p: TrainingProgress): void;
  event(job: JobInfo, e: TrainingEvent): void;
  log(job: JobInfo, line: string): void;
  /** A training problem to show on the job's config (diagnostic) and as a message. */
  alert(job: JobInfo, alert: TrainingAlert): void;
}

/**
 * The daemon's state has one owner: handlers read it and change it through these methods, never by
 * assigning fields.
 */
export class Daemon {
  readonly sessions = new Set<Session>();
  readonly jobs: JobQueue;
  /** The checkpoint the user chose (mass/loadCheckpoint): translate/summarize use it when none is given. */
  private chosen: CheckpointInfo | undefined;
  /** The last checkpoint a job of this daemon wrote. */
  private lastJobCheckpoint: string | undefined;
  readonly translators = new Translators(() => this.settings.backend);
  private currentBackend: (() => { name: BackendName; adapter?: string } | undefined) | undefined;
  /** newestCheckpoint's answer, until a job writes a checkpoint (while training, every await costs an update). */
  private checkpointCache: { key: string; value: CheckpointInfo | undefined } | undefined;
  /** The running training job's run, for translating from its live weights. */
  private live: TrainingRun | undefined;
  readonly version = DAEMON_VERSION;
  private readonly settings: DaemonSettings;
  private shuttingDown: Promise<void> | undefined;

  constructor(settings: DaemonSettings = {}) {
    this.settings = { ...settings };
    const sink = this.sink();
    this.jobs = new JobQueue({
      progress: (job, p) => sink.progress(job, p),
      event: (job, e) => {
        if (e.checkpoint) {
          this.lastJobCheckpoint = e.checkpoint;
          this.checkpointCache = undefined;
        }
        sink.event(job, e);
      },
      log: (job, line) => sink.log(job, line),
    });
  }

  /** The checkpoint the user chose (mass/loadCheckpoint), if any. */
  chosenCheckpoint(): CheckpointInfo | undefined {
    return this.chosen;
  }

  /** mass/loadCheckpoint loaded it: translate/summarize use it from now on when no checkpoint is given. */
  chooseCheckpoint(info: CheckpointInfo): void {
    this.chosen = info;
  }

  /** The running training job's run (its live weights answer translate/summarize), if any. */
  liveRun(): TrainingRun | undefined {
    return this.live;
  }

  /** The backend for configs that say 'auto'. */
  backendSetting(): BackendName | 'auto' | undefined {
    return this.settings.backend;
  }

  setBackend(backend: BackendName | 'auto'): void {
    this.settings.backend = backend;
  }

  /** The memory budget in MB that configs' estimated training steps are checked against. */
  memoryLimitMB(): number | undefined {
    return this.settings.memoryLimitMB;
  }

  /** Sets the memory budget; false when it was already that. */
  setMemoryLimitMB(mb: number): boolean {
    if (mb === this.settings.memoryLimitMB) return false;
    this.settings.memoryLimitMB = mb;
    return true;
  }

  /** Notifications of every job go to every connected session. */
  sink(): JobSink {
    const each = (f: (s: Session) => void) => {
      for (const s of this.sessions) {
        try {
          f(s);
        } catch {
          // a session whose connection just closed
        }
      }
    };
    return {
      progress: (job, p) => each((s) => s.jobProgress(job, p)),
      event: (job, e) => each((s) => s.jobEvent(job, e)),
      log: (job, line) => each((s) => s.jobLog(job, line)),
      alert: (job, a) => each((s) => s.jobAlert(job, a)),
    };
  }

  /**
   * The newest checkpoint a job wrote, else the newest under the given configs' dump paths (after a
   * restart the daemon finds where training left off).
   */
  async newestCheckpoint(configs: string[], roots: WorkspaceRoots): Promise<CheckpointInfo | undefined> {
    const extras = roots.extras();
    const key = [...configs, '', ...extras, '', roots.describe()].join('\n');
    if (this.checkpointCache?.key === key) return this.checkpointCache.value;
    const value = await this.findNewestCheckpoint(configs, (p) => roots.contains(p), extras);
    this.checkpointCache = { key, value };
    return value;
  }

  /** RSS, and the engine's tensor count once it is loaded (a long-lived daemon must not grow per job). */
  async memory(): Promise<DaemonMemory> {
    const rss = process.memoryUsage().rss;
    if (!engineLoaded()) return { rss };
    const [{ tf }, { currentBackend }] = await Promise.all([import('../../engine/backend/tf.js'), import('../../engine/backend/selectBackend.js')]);
    // the engine may be imported before any backend is set up (a checkpoint was only listed)
    if (!currentBackend()) return { rss };
    try {
      const m = tf.memory();
      return { rss, tensors: m.numTensors, tensorBytes: m.numBytes };
    } catch {
      return { rss };
    }
  }

  /** The backend in use, once the engine is loaded. */
  async backendName(): Promise<BackendName | undefined> {
    if (!engineLoaded()) return undefined;
    this.currentBackend ??= (await import('../../engine/backend/selectBackend.js')).currentBackend;
    return this.currentBackend()?.name;
  }

  /** The GPU adapter the backend runs on (webgpu only), once the engine is loaded. */
  async backendAdapter(): Promise<string | undefined> {
    if (!engineLoaded()) return undefined;
    this.currentBackend ??= (await import('../../engine/backend/selectBackend.js')).currentBackend;
    return this.currentBackend()?.adapter;
  }

  private async findNewestCheckpoint(configs: string[], allowed: (p: string) => boolean, extras: string[]): Promise<CheckpointInfo | undefined> {
    const dumps: string[] = [];
    for (const c of configs) {
      const cfg = await loadConfig(c).catch(() => undefined);
      if (cfg) dumps.push(resolvePath(cfg, cfg.settings.dump_path));
    }
    dumps.push(...extras);
    const existing: string[] = [];
    for (const d of new Set(dumps))
      if (
        allowed(d) &&
        (await stat(d).then(
          (s) => s.isDirectory(),
          () => false,
        ))
      )
        existing.push(d);
    if (existing.length === 0) return undefined;
    // (importing the checkpoint module loads TensorFlow.js: only when there is somewhere to look)
    const { listCheckpoints } = await import('../../engine/checkpoint/safetensorsCheckpoint.js');
    const all = [];
    for (const d of existing) all.push(...(await listCheckpoints(d)));
    const pick = (this.lastJobCheckpoint && all.find((c) => c.path === this.lastJobCheckpoint)) || all.sort((a, b) => (a.savedAt < b.savedAt ? 1 : -1))[0];
    return pick ? checkpointInfo(pick) : undefined;
  }

  trainingHooks(): TrainingJobHooks {
    const sink = this.sink();
    return {
      alert: (job, a) => sink.alert(job, a),
      live: (run) => {
        this.live = run;
      },
    };
  }

  /**
   * Serves one client over a pair of streams. `ownsProcess`: the daemon's life is this connection's
   * (stdio): `exit` ends the process, and so does the death of the client process.
   */
  connect(input: Readable, output: Writable, opts: { ownsProcess: boolean; name: string }): Session {
    const session = new Session(this, input, output, opts);
    this.sessions.add(session);
    session.onClosed(() => this.sessions.delete(session));
    return session;
  }

  /**
   * Stops the queue and the running job (which writes its checkpoint), at most once; gives up
   * waiting after `timeoutMs` (a job stuck in a long stage must not keep a dead editor's daemon alive).
   */
  shutdown(timeoutMs = 120_000): Promise<void> {
    this.shuttingDown ??= Promise.race([this.jobs.stopAll().catch(() => undefined), new Promise<void>((r) => setTimeout(r, timeoutMs).unref())]).then(
      // the GPU device (webgpu) goes last, once no job uses it
      releaseBackendResources,
    );
    return this.shuttingDown;
  }
}
