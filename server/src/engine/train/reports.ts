/** What a training run tells its caller (the CLI prints it, the daemon forwards it to the editor). */
export interface ProgressReport {
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

export interface EventReport {
  kind: 'started' | 'epoch' | 'checkpoint' | 'finished' | 'stopped' | 'failed' | 'warning';
  message: string;
  epoch?: number;
  /** Validation scores at the end of an epoch (ppl, acc, BLEU, ROUGE ...). */
  scores?: Record<string, number>;
  samples?: { source: string; reference?: string; hypothesis: string }[];
  checkpoint?: string;
  /** The config field a warning or failure is about (the daemon puts a diagnostic there). */
  field?: string;
}

export interface TrainingReporter {
  progress(p: ProgressReport): void;
  event(e: EventReport): void;
  log(line: string): void;
}

/** The one-line progress format of the CLI and the output channel (the TextMate grammar matches it). */
export function formatProgress(p: ProgressReport): string {
  const parts = Object.entries(p.losses).map(([k, v]) => `${k} ${v.toFixed(4)}`);
  const eta = p.etaSeconds === undefined ? '' : ` | eta ${formatDuration(p.etaSeconds)}`;
  return (
    `epoch ${p.epoch} step ${p.step}${p.totalSteps ? `/${p.totalSteps}` : ''} | loss ${p.loss.toFixed(4)} ppl ${p.ppl.toFixed(2)}` +
    `${parts.length > 1 ? ` (${parts.join(', ')})` : ''} | ${Math.round(p.tokensPerSecond)} tok/s | lr ${p.lr.toExponential(2)} | mem ${Math.round(p.memoryMB)} MB${eta}`
  );
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
