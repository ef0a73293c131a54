/**
 * What the client knows about training: the daemon's last status, the running job's progress and
 * curve, per-epoch scores and recent samples. Fed by the daemon's notifications (ctx.ts); read by the
 * status bar and the training panel.
 */
import * as vscode from 'vscode';
import type { SampleTranslation, StatusResult, TrainingEvent, TrainingProgress } from '../../server/src/protocol.js';
import type { CurvePoint, EpochScores, PanelSnapshot } from './panelMessages.js';

const MAX_POINTS = 2000;
const MAX_SAMPLES = 8;

export class TrainingState implements vscode.Disposable {
  status?: StatusResult;
  jobId?: string;
  curve: CurvePoint[] = [];
  epochs: EpochScores[] = [];
  samples: SampleTranslation[] = [];
  /** The job's latest progress, kept after it stops (the daemon's status may no longer carry it). */
  lastProgress?: TrainingProgress;

  private readonly changed = new vscode.EventEmitter<void>();
  /** Fired on status and events (not on every progress report: see onProgress). */
  readonly onDidChange = this.changed.event;
  private readonly progressed = new vscode.EventEmitter<{ progress: TrainingProgress; point: CurvePoint }>();
  readonly onProgress = this.progressed.event;

  get running(): boolean {
    const state = this.status?.job?.state;
    return state === 'running' || state === 'stopping' || state === 'queued';
  }

  get progress(): TrainingProgress | undefined {
    return this.running ? this.status?.progress : undefined;
  }

  applyStatus(status: StatusResult): void {
    if (status.job && status.job.id !== this.jobId) this.startJob(status.job.id);
    this.status = status;
    if (status.progress && status.progress.jobId === this.jobId && !this.curve.some((p) => p.step === status.progress!.step)) {
      this.curve.push(pointOf(status.progress));
    }
    this.changed.fire();
  }

  applyProgress(progress: TrainingProgress): void {
    if (progress.jobId !== this.jobId) this.startJob(progress.jobId);
    this.lastProgress = progress;
    const point = pointOf(progress);
    this.curve.push(point);
    if (this.curve.length > MAX_POINTS) this.curve = thin(this.curve);
    if (this.status) {
      this.status.progress = progress;
      if (this.status.job?.id === progress.jobId && this.status.job.state === 'queued') this.status.job.state = 'running';
    }
    this.progressed.fire({ progress, point });
  }

  applyEvent(event: TrainingEvent): void {
    if (event.jobId !== this.jobId && event.kind === 'started') this.startJob(event.jobId);
    if (event.scores && event.epoch !== undefined) {
      this.epochs = this.epochs.filter((e) => e.epoch !== event.epoch);
      this.epochs.push({ epoch: event.epoch, scores: event.scores });
      this.epochs.sort((a, b) => a.epoch - b.epoch);
    }
    if (event.samples?.length) this.samples = [...event.samples, ...this.samples].slice(0, MAX_SAMPLES);
    const job = this.status?.job;
    if (job && job.id === event.jobId) {
      if (event.kind === 'finished' || event.kind === 'stopped' || event.kind === 'failed') job.state = event.kind;
      if (event.kind === 'started') job.state = 'running';
    }
    this.changed.fire();
  }

  snapshot(idleText: string): PanelSnapshot {
    return {
      jobId: this.jobId,
      job: this.status?.job,
      progress: this.status?.progress ?? this.lastProgress,
      curve: this.curve,
      epochs: this.epochs,
      samples: this.samples,
      idleText,
    };
  }

  dispose(): void {
    this.changed.dispose();
    this.progressed.dispose();
  }

  private startJob(jobId: string): void {
    this.jobId = jobId;
    this.curve = [];
    this.epochs = [];
    this.samples = [];
    this.lastProgress = undefined;
  }
}

function pointOf(p: TrainingProgress): CurvePoint {
  return { step: p.step, loss: p.loss, ppl: p.ppl, lr: p.lr, tokensPerSecond: p.tokensPerSecond };
}

/** Keeps every other point (the first and the latest always): long runs stay cheap to draw and send. */
function thin(points: CurvePoint[]): CurvePoint[] {
  const out = points.filter((_, i) => i % 2 === 0);
  if (out[out.length - 1] !== points[points.length - 1]) out.push(points[points.length - 1]!);
  return out;
}
