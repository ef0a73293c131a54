/**
 * Messages between the training panel's host (trainingPanel.ts) and its webview script
 * (media/src/panel.ts), typed once for both sides. Type-only: the webview bundle imports nothing here.
 */
import type { JobInfo, SampleTranslation, TrainingProgress } from '../../server/src/protocol.js';

/** One point of the curves. */
export interface CurvePoint {
  step: number;
  loss: number;
  ppl: number;
  lr: number;
  tokensPerSecond: number;
}

export interface EpochScores {
  epoch: number;
  scores: Record<string, number>;
}

/** Everything the panel shows; also what the webview keeps with setState to survive a reload. */
export interface PanelSnapshot {
  jobId?: string;
  job?: JobInfo;
  progress?: TrainingProgress;
  curve: CurvePoint[];
  epochs: EpochScores[];
  samples: SampleTranslation[];
  /** Checkpoint name and backend, shown when idle. */
  idleText: string;
}

export type HostToPanel = { type: 'snapshot'; snapshot: PanelSnapshot } | { type: 'progress'; progress: TrainingProgress; point: CurvePoint };

export type PanelToHost = { type: 'ready' } | { type: 'stop' } | { type: 'resume' };
