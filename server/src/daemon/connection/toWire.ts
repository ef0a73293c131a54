/**
 * Engine values onto the wire types of protocol.ts: the one place where they meet. Each mapping names
 * every field, so a field added to or renamed in the engine stays off the wire until it is added
 * here (and to protocol.ts), and a field the engine drops is a compile error here.
 */
import type { BackendName, CheckpointInfo, TrainingEvent, TrainingProgress } from '../../protocol.js';
import type { CheckpointSummary } from '../../engine/checkpoint/safetensorsCheckpoint.js';
import type { EventReport, ProgressReport } from '../../engine/train/reports.js';
import type { BackendName as EngineBackendName } from '../../engine/backend/backendNames.js';

// protocol.ts declares the backend names itself; they must be the engine's (a compile error otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const backendNamesAgree: Same<BackendName, EngineBackendName> = true;
void backendNamesAgree;

export function checkpointInfo(c: CheckpointSummary): CheckpointInfo {
  return {
    path: c.path,
    kind: c.kind,
    experiment: c.experiment,
    epoch: c.epoch,
    step: c.step,
    langs: c.langs,
    tasks: c.tasks,
    scores: c.scores,
    savedAt: c.savedAt,
  };
}

export function trainingProgress(jobId: string, p: ProgressReport): TrainingProgress {
  return {
    jobId,
    epoch: p.epoch,
    step: p.step,
    totalSteps: p.totalSteps,
    losses: p.losses,
    loss: p.loss,
    ppl: p.ppl,
    lr: p.lr,
    tokensPerSecond: p.tokensPerSecond,
    memoryMB: p.memoryMB,
    etaSeconds: p.etaSeconds,
    elapsedSeconds: p.elapsedSeconds,
  };
}

/** Optional fields the report leaves out stay out (not `undefined`): the notification carries what it says. */
export function trainingEvent(jobId: string, e: EventReport): TrainingEvent {
  return {
    jobId,
    kind: e.kind,
    message: e.message,
    ...(e.epoch !== undefined ? { epoch: e.epoch } : {}),
    ...(e.scores !== undefined ? { scores: e.scores } : {}),
    ...(e.samples !== undefined
      ? { samples: e.samples.map((s) => ({ source: s.source, ...(s.reference !== undefined ? { reference: s.reference } : {}), hypothesis: s.hypothesis })) }
      : {}),
    ...(e.checkpoint !== undefined ? { checkpoint: e.checkpoint } : {}),
    ...(e.field !== undefined ? { field: e.field } : {}),
  };
}
