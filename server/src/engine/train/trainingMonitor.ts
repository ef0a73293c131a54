import { UserError } from '../errors.js';
import type { AdamInverseSqrt } from './adamInverseSqrt.js';
import { formatProgress, type TrainingReporter } from './reports.js';

/**
 * Collects per-step losses and throughput between progress reports, and watches for what should not
 * pass silently: a NaN/inf loss (fatal, as in the reference), divergence, a plateau, exploding gradients.
 */
export class TrainingMonitor {
  private losses = new Map<string, { sum: number; tokens: number }>();
  private tokens = 0;
  private lastReportTime = Date.now();
  private lastReportUpdates = -1;
  private lr = 0;
  /** Smoothed loss history, one value per report. */
  private readonly history: number[] = [];
  private warned = new Set<string>();
  private pending: { field: string; message: string }[] = [];

  constructor(
    private readonly reporter: TrainingReporter,
    private readonly optimizer: AdamInverseSqrt,
  ) {}

  recordStep(key: string, loss: number, tokens: number, lr: number, gradNorm: { encoder: number; decoder: number }): void {
    if (!Number.isFinite(loss)) {
      throw new UserError(
        `the ${key} loss became ${loss} at update ${this.optimizer.updates}: training diverged. ` +
          `Lower the learning rate (optimizer lr=), raise warmup_updates, or keep clip_grad_norm on; the last checkpoint is unchanged`,
      );
    }
    const acc = this.losses.get(key) ?? { sum: 0, tokens: 0 };
    acc.sum += loss * tokens;
    acc.tokens += tokens;
    this.losses.set(key, acc);
    this.tokens += tokens;
    this.lr = lr;
    const norm = Math.max(gradNorm.encoder, gradNorm.decoder);
    if (!Number.isFinite(norm)) {
      throw new UserError(`the gradient norm became ${norm} at update ${this.optimizer.updates}: lower the learning rate (optimizer lr=)`);
    }
    if (norm > 1e4)
      this.warnOnce(
        'clip_grad_norm',
        `gradient norm ${norm.toExponential(2)} at update ${this.optimizer.updates}: training is unstable; keep clip_grad_norm on and consider a lower lr`,
      );
  }

  /** True once `updates` has crossed a multiple of `every` since the last report. */
  shouldReport(every: number, updates: number): boolean {
    const last = Math.max(0, this.lastReportUpdates);
    return updates > last && Math.floor(updates / every) > Math.floor(last / every);
  }

  report(epoch: number, step: number, totalSteps: number | undefined, elapsedSeconds: number, updatesThisRun: number): void {
    const now = Date.now();
    const seconds = Math.max(1e-3, (now - this.lastReportTime) / 1000);
    const losses: Record<string, number> = {};
    let sum = 0;
    let toks = 0;
    for (const [k, v] of this.losses) {
      losses[k] = v.sum / Math.max(1, v.tokens);
      sum += v.sum;
      toks += v.tokens;
    }
    const loss = sum / Math.max(1, toks);
    const rate = updatesThisRun / Math.max(1e-3, elapsedSeconds);
    const report = {
      epoch,
      step,
      totalSteps,
      losses,
      loss,
      ppl: Math.exp(Math.min(loss, 50)),
      lr: this.lr,
      tokensPerSecond: this.tokens / seconds,
      memoryMB: process.memoryUsage().rss / (1 << 20),
      etaSeconds: totalSteps !== undefined && rate > 0 ? Math.max(0, (totalSteps - step) / rate) : undefined,
      elapsedSeconds,
    };
    this.reporter.progress(report);
    this.reporter.log(formatProgress(report));
    this.history.push(loss);
    this.losses = new Map();
    this.tokens = 0;
    this.lastReportTime = now;
    this.lastReportUpdates = step;
    this.watch(step);
  }

  private watch(step: number): void {
    const h = this.history;
    const warm = this.optimizer.options.warmupUpdates;
    if (h.length >= 6 && step > warm) {
      const recent = h.slice(-3).reduce((a, b) => a + b, 0) / 3;
      const best = Math.min(...h.slice(0, -3));
      if (recent > best * 1.5 + 0.5)
        this.warnOnce('optimizer', `the loss is rising (${best.toFixed(3)} → ${recent.toFixed(3)}): training may be diverging; consider a lower learning rate`);
    }
    if (h.length >= 20) {
      const window = h.slice(-10);
      const before = h.slice(-20, -10);
      const a = before.reduce((x, y) => x + y, 0) / 10;
      const b = window.reduce((x, y) => x + y, 0) / 10;
      if (a - b < 0.002 * a && step > warm)
        this.warnOnce(
          'max_epoch',
          `the loss has plateaued around ${b.toFixed(3)} over the last ${10} reports; more training may not help at this learning rate`,
        );
    }
  }

  private warnOnce(field: string, message: string): void {
    if (this.warned.has(field)) return;
    this.warned.add(field);
    this.pending.push({ field, message });
  }

  /** Hands out warnings found since the last call. */
  check(emit: (field: string, message: string) => void): void {
    for (const w of this.pending) emit(w.field, w.message);
    this.pending = [];
  }
}
