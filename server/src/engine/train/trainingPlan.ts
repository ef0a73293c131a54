/**
 * The training loop's setting strings, parsed once into one typed plan: the masking probabilities,
 * the lambda schedules, the validation metrics and the stopping criterion (the reference parses the
 * same strings in train.py / trainer.py). The loop reads the plan, never the strings.
 */
import type { TrainSettings } from '../../config/schema.js';
import { parseLambda } from '../../config/lambdaSchedule.js';

/** A score to watch: its name in the validation scores, and whether bigger is better ('_name': smaller). */
export interface WatchedMetric {
  name: string;
  biggest: boolean;
}

export interface TrainingPlan {
  /** Probabilities to replace a masked token by [MASK] / keep it / a random id (word_mask_keep_rand). */
  maskKeepRand: [number, number, number];
  /** Whether each kind of step runs at an iteration (> 0: on), from lambda_mass, lambda_mt, lambda_bt. */
  lambdaMass: (iteration: number) => number;
  lambdaMt: (iteration: number) => number;
  lambdaBt: (iteration: number) => number;
  /** validation_metrics: each new best is saved as best-<name>. */
  validationMetrics: WatchedMetric[];
  /** stopping_criterion 'metric,patience': stop once the metric has not improved for more than `patience` epochs. */
  stopping?: WatchedMetric & { patience: number };
}

function watched(m: string): WatchedMetric {
  const biggest = !m.startsWith('_');
  return { name: biggest ? m : m.slice(1), biggest };
}

export function trainingPlan(s: TrainSettings): TrainingPlan {
  const [m, n] = s.stopping_criterion ? (s.stopping_criterion.split(',') as [string, string]) : [];
  return {
    maskKeepRand: s.word_mask_keep_rand.split(',').map(Number) as [number, number, number],
    lambdaMass: parseLambda('lambda_mass', s.lambda_mass),
    lambdaMt: parseLambda('lambda_mt', s.lambda_mt),
    lambdaBt: parseLambda('lambda_bt', s.lambda_bt),
    validationMetrics: s.validation_metrics
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map(watched),
    ...(m !== undefined ? { stopping: { ...watched(m), patience: Number(n) } } : {}),
  };
}
