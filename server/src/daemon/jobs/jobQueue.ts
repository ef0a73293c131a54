/**
 * One training job at a time. A job is an async function behind `start(reporter)` that returns its
 * `done` promise and a `stop()` hook; others wait in the queue in order. Whatever a job does — throws
 * synchronously, rejects, reports NaN — ends in a state and a 'finished' / 'stopped' / 'failed' event:
 * a job never dies silently and never takes the daemon down.
 */
import type { JobInfo, JobKind, JobState, StopResult, TrainingEvent, TrainingProgress } from '../../protocol.js';
import type { TrainingReporter } from '../../engine/train/reports.js';
import { trainingEvent, trainingProgress } from '../connection/toWire.js';

export interface JobOutcome {
  status: 'finished' | 'stopped';
  checkpoint?: string;
  scores?: Record<string, number>;
}

export interface RunningJob {
  done: Promise<JobOutcome>;
  /** Ask the job to stop (it writes a checkpoint first, then `done` resolves with 'stopped'). */
  stop(): void;
}

export interface JobSpec {
  kind: JobKind;
  /** The config file that defines it. */
  config: string;
  experimentDir?: string;
  start(reporter: TrainingReporter, job: JobInfo): RunningJob | Promise<RunningJob>;
}

export interface JobListener {
  progress(job: JobInfo, p: TrainingProgress): void;
  event(job: JobInfo, e: TrainingEvent): void;
  log(job: JobInfo, line: string): void;
}

interface Entry {
  info: JobInfo;
  spec: JobSpec;
  running?: RunningJob;
  /** Stop asked before `start` returned. */
  stopRequested: boolean;
  outcome?: Promise<JobOutcome | undefined>;
  lastProgress?: TrainingProgress;
}

export class JobQueue {
  private readonly waiting: Entry[] = [];
  private current: Entry | undefined;
  private last: Entry | undefined;
  private counter = 0;

  private readonly listener: JobListener;

  constructor(listener: JobListener) {
    // a listener that throws (a closed connection) must not break the queue
    const guard =
      <A extends unknown[], R>(f: ((...a: A) => R) | undefined, fallback: R) =>
      (...a: A): R => {
        try {
          return f ? f(...a) : fallback;
        } catch {
          return fallback;
        }
      };
    this.listener = {
      progress: guard(listener.progress.bind(listener), undefined),
      event: guard(listener.event.bind(listener), undefined),
      log: guard(listener.log.bind(listener), undefined),
    };
  }

  enqueue(spec: JobSpec): JobInfo {
    const info: JobInfo = {
      id: `job-${++this.counter}`,
      kind: spec.kind,
      state: 'queued',
      config: spec.config,
      ...(spec.experimentDir ? { experimentDir: spec.experimentDir } : {}),
    };
    this.waiting.push({ info, spec, stopRequested: false });
    queueMicrotask(() => this.startNext());
    return { ...info };
  }

  /** The running job (or the last one) and the queue. */
  status(): { job?: JobInfo; queue: JobInfo[]; progress?: TrainingProgress } {
    const shown = this.current ?? this.last;
    return {
      ...(shown ? { job: { ...shown.info } } : {}),
      queue: this.waiting.map((e) => ({ ...e.info })),
      ...(this.current?.lastProgress ? { progress: this.current.lastProgress } : {}),
    };
  }

  isBusy(): boolean {
    return this.current !== undefined || this.waiting.length > 0;
  }

  /** Stops a queued job (removed) or the running one (waits for its checkpoint). */
  async stop(jobId?: string): Promise<StopResult> {
    const queued = jobId ? this.waiting.findIndex((e) => e.info.id === jobId) : -1;
    if (queued >= 0) {
      const [e] = this.waiting.splice(queued, 1);
      this.finish(e!, 'stopped', 'stopped before it started');
      return { stopped: true };
    }
    const cur = this.current;
    if (!cur || (jobId && cur.info.id !== jobId)) return { stopped: false };
    if (cur.info.state === 'running') this.setState(cur, 'stopping');
    cur.stopRequested = true;
    try {
      cur.running?.stop();
    } catch (e) {
      this.listener.log(cur.info, `stop hook failed: ${(e as Error).message}`);
    }
    const outcome = await cur.outcome;
    return outcome ? { stopped: true, ...(outcome.checkpoint ? { checkpoint: outcome.checkpoint } : {}) } : { stopped: true };
  }

  /** Stops everything (daemon shutdown): the queue is dropped, the running job is asked to stop and awaited. */
  async stopAll(): Promise<void> {
    for (const e of this.waiting.splice(0)) this.finish(e, 'stopped', 'daemon shutting down');
    if (this.current) await this.stop(this.current.info.id);
  }

  private setState(e: Entry, state: JobState, message?: string): void {
    e.info.state = state;
    if (message !== undefined) e.info.message = message;
  }

  private finish(e: Entry, state: 'finished' | 'stopped' | 'failed', message: string, extra: Partial<TrainingEvent> = {}): void {
    this.setState(e, state, message);
    this.listener.event(e.info, { jobId: e.info.id, kind: state, message, ...extra });
    this.last = e;
  }

  private startNext(): void {
    if (this.current) return;
    const e = this.waiting.shift();
    if (!e) return;
    this.current = e;
    this.setState(e, 'running');
    e.info.startedAt = new Date().toISOString();
    const reporter: TrainingReporter = {
      progress: (p) => {
        const full = trainingProgress(e.info.id, p);
        e.lastProgress = full;
        this.listener.progress(e.info, full);
      },
      event: (ev) => {
        // the queue emits the final event itself, from the job's outcome
        if (ev.kind === 'finished' || ev.kind === 'stopped' || ev.kind === 'failed') return;
        this.listener.event(e.info, trainingEvent(e.info.id, ev));
      },
      log: (line) => this.listener.log(e.info, line),
    };
    e.outcome = (async (): Promise<JobOutcome | undefined> => {
      try {
        this.listener.event(e.info, { jobId: e.info.id, kind: 'started', message: `${e.info.kind} started (${e.info.config})` });
        e.running = await e.spec.start(reporter, e.info);
        if (e.stopRequested) e.running.stop();
        const outcome = await e.running.done;
        const scores = outcome.scores && Object.keys(outcome.scores).length ? { scores: outcome.scores } : {};
        this.finish(e, outcome.status, outcome.status === 'finished' ? `${e.info.kind} finished` : `${e.info.kind} stopped`, {
          ...(outcome.checkpoint ? { checkpoint: outcome.checkpoint } : {}),
          ...scores,
        });
        return outcome;
      } catch (err) {
        this.finish(e, 'failed', err instanceof Error ? err.message : String(err));
        return undefined;
      } finally {
        this.current = undefined;
        queueMicrotask(() => this.startNext());
      }
    })();
  }
}
