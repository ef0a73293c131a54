/**
 * A training request as a job for the queue: bring the preprocessed data up to date (the cached
 * `mass preprocess` stages: only what changed is rebuilt), then run engine/train/runTraining's
 * startTraining. The engine's warnings (divergence, plateau, each naming a config field) and the
 * error a run dies of (a NaN loss, out of memory, a bad file) become alerts — a diagnostic on the
 * config and a message — besides the trainingEvent. The engine is imported on first use, so the
 * daemon starts fast and answers config edits without loading TensorFlow.js.
 */
import type { LoadedConfig } from '../../config/loadConfig.js';
import type { Confine } from '../../config/corporaSpec.js';
import type { JobInfo, JobKind } from '../../protocol.js';
import type { TrainingMode, TrainingRun } from '../../engine/train/runTraining.js';
import type { EventReport, TrainingReporter } from '../../engine/train/reports.js';
import type { JobOutcome, JobSpec, RunningJob } from './jobQueue.js';
import { alertForFailure, warmupAlert, type TrainingAlert } from './trainingAlerts.js';

export interface TrainingJobHooks {
  alert(job: JobInfo, alert: TrainingAlert): void;
  /** The run's live model appears (translate while training) and goes away. */
  live(run: TrainingRun | undefined): void;
  /** Refuses (throws) a real path the job must not read or write, naming the field. */
  confine?: Confine;
}

class StopRequested extends Error {
  constructor() {
    super('stopped');
  }
}

function hasCorpora(cfg: LoadedConfig): boolean {
  const c = cfg.corpora;
  return Object.keys(c.mono ?? {}).length + Object.keys(c.para ?? {}).length + Object.keys(c.s2s ?? {}).length > 0;
}

export function trainingJob(kind: Exclude<JobKind, 'evaluate'>, configPath: string, cfg: LoadedConfig, mode: TrainingMode, hooks: TrainingJobHooks): JobSpec {
  return {
    kind,
    config: configPath,
    start(reporter: TrainingReporter, job: JobInfo): RunningJob {
      let stopped = false;
      let run: TrainingRun | undefined;
      let failedField: string | undefined;
      let firstProgress = true;
      const done = (async (): Promise<JobOutcome> => {
        try {
          if (kind !== 'resume' && hasCorpora(cfg)) {
            const [{ preprocessSpecFromConfig }, { preprocess }] = await Promise.all([
              import('../../config/corporaSpec.js'),
              import('../../engine/data/preprocess.js'),
            ]);
            // preprocess has no stop hook: a stop takes effect at its next log line (between files/stages)
            const log = (line: string) => {
              if (stopped) throw new StopRequested();
              reporter.log(`[preprocess] ${line}`);
            };
            const startFrom = mode.kind === 'finetune' && mode.checkpoint ? { value: mode.checkpoint, field: 'params.checkpoint' } : undefined;
            const spec = await preprocessSpecFromConfig(cfg, log, hooks.confine, startFrom);
            await preprocess(spec);
          }
          if (stopped) return { status: 'stopped' };
          const { startTraining } = await import('../../engine/train/runTraining.js');
          run = startTraining(cfg, mode, {
            progress: (p) => {
              if (firstProgress) {
                firstProgress = false;
                const w = warmupAlert(cfg.settings, p.totalSteps);
                if (w) {
                  hooks.alert(job, w);
                  reporter.event({ kind: 'warning', message: w.message });
                }
              }
              reporter.progress(p);
            },
            event: (e: EventReport) => {
              const { field, ...event } = e;
              if (e.kind === 'failed') {
                failedField = field;
                return;
              }
              if (e.kind === 'warning') hooks.alert(job, { severity: 'warning', field, message: e.message });
              reporter.event(event);
            },
            log: (line) => reporter.log(line),
          });
          hooks.live(run);
          if (stopped) run.stop();
          const outcome = await run.done;
          return { status: outcome.status, checkpoint: outcome.checkpoint, scores: outcome.scores };
        } catch (e) {
          if (e instanceof StopRequested) return { status: 'stopped' };
          const alert = alertForFailure(e, cfg.settings, failedField);
          hooks.alert(job, alert);
          throw new Error(alert.message);
        } finally {
          hooks.live(undefined);
        }
      })();
      return {
        done,
        stop: () => {
          stopped = true;
          run?.stop();
        },
      };
    },
  };
}
