import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { TrainSettings } from '../../config/schema.js';
import type { StepLists } from '../../config/steps.js';
import type { BatchStream } from '../data/batching.js';
import type { MassModel } from '../model/model.js';
import { mixSeed } from '../model/random.js';
import type { Rng } from '../util/rng.js';
import type { AdamInverseSqrt } from './adamInverseSqrt.js';
import type { Stepper } from './trainStep.js';
import type { PairData, TrainingData } from './trainingData.js';
import type { TrainingState, CheckpointMeta } from '../checkpoint/safetensorsCheckpoint.js';
import { saveCheckpoint } from './saveCheckpoint.js';
import { evaluate } from './evaluate.js';
import { backTranslationBatch, backTranslationBatchAsync, massBatch, supervisedBatch } from './stepBatches.js';
import { readsAsync } from '../backend/readback.js';
import type { Seq2SeqBatch } from './seq2seqBatch.js';
import { targetTokenCount } from './seq2seqBatch.js';
import type { TrainingReporter } from './reports.js';
import { TrainingMonitor } from './trainingMonitor.js';
import { trainingPlan, type TrainingPlan } from './trainingPlan.js';

export interface LoopParts {
  settings: TrainSettings;
  steps: StepLists;
  langs: string[];
  data: TrainingData;
  model: MassModel;
  stepper: Stepper;
  optimizer: AdamInverseSqrt;
  rng: Rng;
  streams: Map<string, BatchStream>;
  state: TrainingState;
  expDir: string;
  experiment: string;
  /** Step kinds the weights have seen, carried into checkpoints ('mass', 'bt', 'mt', task names). */
  tasks: string[];
  reporter: TrainingReporter;
}

export interface LoopOutcome {
  status: 'finished' | 'stopped';
  checkpoint?: string;
  scores: Record<string, number>;
}

/**
 * MASS_DUMP_BATCHES=FILE appends, for every update, the step kind and its exact batches (after
 * masking) as one JSON line, and one line per evaluation with its scores. Used by the learning-curve
 * comparison with the reference trainer (scripts/parity/), which replays the same batches.
 */
const batchDump = process.env.MASS_DUMP_BATCHES;
function dumpLine(o: unknown): void {
  appendFileSync(batchDump!, JSON.stringify(o) + '\n');
}
function batchJson(b: Seq2SeqBatch): Record<string, unknown> {
  const a = (x: ArrayLike<number> | undefined) => (x ? Array.from(x) : undefined);
  return {
    bs: b.bs,
    srcLen: b.srcLen,
    tgtLen: b.tgtLen,
    src: a(b.src),
    srcLengths: a(b.srcLengths),
    srcLangs: a(b.srcLangs),
    encMask: a(b.encMask),
    tgtIn: a(b.tgtIn),
    tgtPositions: a(b.tgtPositions),
    tgtLengths: a(b.tgtLengths),
    tgtLangs: a(b.tgtLangs),
    targets: a(b.targets),
    predMask: a(b.predMask),
    labelSmoothing: b.labelSmoothing,
  };
}

/** What one kind of step does: its stats key and how it builds a batch. */
interface StepKind {
  key: string;
  lambda: (iteration: number) => number;
  /** A promise where it decodes on a backend that reads asynchronously (back-translation on webgpu). */
  makeBatch: () => Seq2SeqBatch | Promise<Seq2SeqBatch>;
}

/**
 * The reference's training loop (train.py main + Trainer.iter/end_epoch): epochs of `epoch_size`
 * sentences; each iteration runs every configured step once (MASS per language, then supervised MT,
 * back-translation and s2s steps, each group in a shuffled order as `shuf_order` does); at the end of an
 * epoch: evaluation, best-model saving, the resumable checkpoint, the stopping criterion.
 *
 * Deliberate difference: the reference counts `batch_size` sentences per step toward epoch_size
 * whatever the batch holds; we count the sentences actually trained on.
 */
export class TrainingLoop {
  private stopRequested = false;
  private readonly monitor: TrainingMonitor;
  private readonly startTime = Date.now();
  private readonly startUpdates: number;
  private lastScores: Record<string, number> = {};
  /** The run's total updates once computed (null: unbounded). */
  private total: number | null | undefined;
  private parsedPlan: TrainingPlan | undefined;

  constructor(private readonly p: LoopParts) {
    this.monitor = new TrainingMonitor(p.reporter, p.optimizer);
    this.startUpdates = p.optimizer.updates;
  }

  /** The settings' strings, parsed on first use (inside run, where a bad one fails the run with its field). */
  private get plan(): TrainingPlan {
    return (this.parsedPlan ??= trainingPlan(this.p.settings));
  }

  /** Ask the loop to stop after the current update; it writes a resumable checkpoint first. */
  stop(): void {
    this.stopRequested = true;
  }

  private stepKinds(): StepKind[] {
    const { settings: s, steps, data, rng, langs, model } = this.p;
    const id = (l: string) => langs.indexOf(l);
    const { maskKeepRand, lambdaMass, lambdaMt, lambdaBt } = this.plan;
    const mask = { wordMass: s.word_mass, spanLen: s.lambda_span, maskKeepRand, nWords: data.dictionary.size };
    const order = <T>(items: T[]): T[] => {
      const copy = [...items];
      rng.shuffle(copy);
      return copy;
    };
    const kinds: StepKind[] = [];
    for (const lang of order(steps.mass)) {
      const stream = this.massStream(lang);
      kinds.push({ key: `MA-${lang}`, lambda: lambdaMass, makeBatch: () => massBatch(stream, data.monoTrain.get(lang)!, id(lang), mask, rng) });
    }
    for (const [a, b] of order(steps.mt)) {
      const { stored, stream } = this.mtStream(a, b);
      kinds.push({
        key: `MT-${a}-${b}`,
        lambda: lambdaMt,
        makeBatch: () => supervisedBatch(stream, stored, stored.srcLang === a, id(a), id(b), s.label_smoothing),
      });
    }
    for (const [a, b, c] of order(steps.bt)) {
      const stream = this.btStream(a);
      kinds.push({
        key: `BT-${a}-${b}-${c}`,
        lambda: lambdaBt,
        makeBatch: () => (readsAsync() ? backTranslationBatchAsync : backTranslationBatch)(model, stream, data.monoTrain.get(a)!, id(a), id(b)),
      });
    }
    for (const task of steps.s2s) {
      const pair = data.s2sTrain.get(task)!;
      const stream = this.s2sStream(task);
      kinds.push({
        key: `S2S-${task}`,
        lambda: () => 1,
        makeBatch: () => supervisedBatch(stream, pair, true, id(pair.srcLang), id(pair.tgtLang), s.label_smoothing, s.max_len),
      });
    }
    return kinds;
  }

  /** One optimizer update of a step kind (k micro-batches with accumulate_gradients). */
  private async update(kind: StepKind): Promise<number> {
    const { settings: s, stepper, optimizer } = this.p;
    const micro: Seq2SeqBatch[] = [];
    let sentences = 0;
    for (let i = 0; i < s.accumulate_gradients; i++) {
      const b = await kind.makeBatch();
      if (targetTokenCount(b) === 0) continue;
      micro.push(b);
      sentences += b.bs;
    }
    if (micro.length === 0) return 0;
    const dumped = batchDump ? micro.map(batchJson) : undefined; // before the step: workers may take the buffers
    const r = await stepper.step(micro, mixSeed(s.seed, optimizer.updates));
    this.monitor.recordStep(kind.key, r.loss, r.tokens, r.lr, r.gradNorm);
    if (dumped) dumpLine({ update: optimizer.updates, step: kind.key, loss: r.loss, lr: r.lr, gradNorm: r.gradNorm, batches: dumped });
    return sentences;
  }

  private meta(kind: string, withState: boolean): CheckpointMeta {
    const { settings, model, langs, tasks, data, optimizer, state, experiment } = this.p;
    const st = optimizer.state();
    return {
      format: '',
      kind,
      experiment,
      model: model.config,
      settings: settings as unknown as Record<string, unknown>,
      langs,
      tasks,
      epoch: state.epoch,
      updates: optimizer.updates,
      scores: this.lastScores,
      savedAt: new Date().toISOString(),
      vocab: data.vocab,
      codes: data.codes,
      state: withState
        ? {
            ...state,
            streams: Object.fromEntries([...this.p.streams].map(([k, v]) => [k, v.getState()])),
            rng: this.p.rng.getState(),
            optimizerSteps: Object.fromEntries([...st.params].map(([k, v]) => [k, v.step])),
            optimizerUpdates: st.updates,
          }
        : undefined,
    };
  }

  private async save(kind: string, resumable: boolean): Promise<string> {
    const path = join(this.p.expDir, `${kind === 'last' ? 'checkpoint' : kind}.safetensors`);
    await saveCheckpoint(path, this.p.model, this.meta(kind, resumable), resumable ? this.p.optimizer.state() : undefined);
    this.p.reporter.event({ kind: 'checkpoint', message: `saved ${path}`, checkpoint: path, epoch: this.p.state.epoch });
    return path;
  }

  /**
   * Updates in the whole run, computed once from the data: each iteration runs every step once and
   * adds the sentences of its batches (their mean over a pass, see BatchStream.meanBatchSentences)
   * toward epoch_size. Undefined when neither max_steps nor epochs bound the run.
   */
  private totalSteps(): number | undefined {
    if (this.total !== undefined) return this.total ?? undefined;
    const s = this.p.settings;
    const streams = this.iterationStreams();
    const perIteration = streams.reduce((sum, st) => sum + st.meanBatchSentences() * s.accumulate_gradients, 0);
    const epochSize = s.epoch_size > 0 ? s.epoch_size : this.paraSize();
    const perEpoch = epochSize > 0 && perIteration > 0 ? Math.ceil(epochSize / perIteration) * streams.length : undefined;
    const byEpochs = perEpoch ? perEpoch * s.max_epoch : undefined;
    const total = s.max_steps > 0 ? (byEpochs ? Math.min(s.max_steps, byEpochs) : s.max_steps) : byEpochs;
    this.total = total ?? null;
    return total;
  }

  /** The batch stream behind each step of one iteration (the steps of stepKinds, without its shuffle). */
  private iterationStreams(): BatchStream[] {
    const { steps } = this.p;
    return [
      ...steps.mass.map((l) => this.massStream(l)),
      ...steps.mt.map(([a, b]) => this.mtStream(a, b).stream),
      ...steps.bt.map(([a]) => this.btStream(a)),
      ...steps.s2s.map((t) => this.s2sStream(t)),
    ];
  }

  // The stream each kind of step draws from, by the keys runTraining gives them.
  private massStream(lang: string): BatchStream {
    return this.p.streams.get(`mass-${lang}`)!;
  }

  /** Supervised a→b reads the pair as stored (a-b or b-a) and its one stream. */
  private mtStream(a: string, b: string): { stored: PairData; stream: BatchStream } {
    const { data, streams } = this.p;
    const stored = data.paraTrain.get(`${a}-${b}`) ?? data.paraTrain.get(`${b}-${a}`)!;
    return { stored, stream: streams.get(`mt-${stored.srcLang}-${stored.tgtLang}`)! };
  }

  private btStream(lang: string): BatchStream {
    return this.p.streams.get(`bt-${lang}`)!;
  }

  private s2sStream(task: string): BatchStream {
    return this.p.streams.get(`s2s-${task}`)!;
  }

  async run(): Promise<LoopOutcome> {
    const { settings: s, state, optimizer, reporter } = this.p;
    const kinds = () => this.stepKinds();
    let lastCheckpoint: string | undefined;
    const epochSize = s.epoch_size > 0 ? s.epoch_size : this.paraSize();
    for (; state.epoch < s.max_epoch;) {
      reporter.log(`============ Starting epoch ${state.epoch} ... ============`);
      while (state.epochSentences < epochSize) {
        for (const kind of kinds()) {
          if (kind.lambda(state.iteration) <= 0) continue;
          const n = await this.update(kind);
          state.epochSentences += n;
        }
        state.iteration++;
        const done = optimizer.updates - this.startUpdates;
        if (done > 0 && this.monitor.shouldReport(s.log_every, optimizer.updates)) {
          this.monitor.report(state.epoch, optimizer.updates, this.totalSteps(), (Date.now() - this.startTime) / 1000, done);
        }
        this.monitor.check((field, message) => reporter.event({ kind: 'warning', message, field, epoch: state.epoch }));
        await new Promise<void>((r) => setImmediate(r)); // let the daemon answer requests between updates
        if (this.stopRequested) {
          lastCheckpoint = await this.save('last', true);
          reporter.event({
            kind: 'stopped',
            message: `stopped at epoch ${state.epoch}, update ${optimizer.updates}; resume with --reload_checkpoint ${lastCheckpoint}`,
            checkpoint: lastCheckpoint,
          });
          return { status: 'stopped', checkpoint: lastCheckpoint, scores: this.lastScores };
        }
        if (s.max_steps > 0 && optimizer.updates >= s.max_steps) break;
      }
      const finishedEpoch = state.epochSentences >= epochSize;
      const scores = await this.endEpoch();
      if (finishedEpoch) {
        state.epoch++;
        state.epochSentences = 0;
      }
      lastCheckpoint = await this.save('last', true);
      if (s.max_steps > 0 && optimizer.updates >= s.max_steps) break;
      if (this.stoppingCriterionMet(scores)) break;
    }
    reporter.event({ kind: 'finished', message: `training finished after ${optimizer.updates} updates`, scores: this.lastScores, checkpoint: lastCheckpoint });
    return { status: 'finished', checkpoint: lastCheckpoint, scores: this.lastScores };
  }

  private paraSize(): number {
    let n = 0;
    for (const p of this.p.data.paraTrain.values()) n = Math.max(n, p.src.header.nSentences);
    for (const p of this.p.data.s2sTrain.values()) n = Math.max(n, p.src.header.nSentences);
    if (n === 0) throw new UserError('epoch_size: -1 means one pass over the parallel data, but no parallel data is used by the steps');
    return n;
  }

  private async endEpoch(): Promise<Record<string, number>> {
    const { settings: s, state, steps, langs, model, data, reporter } = this.p;
    reporter.log(`============ End of epoch ${state.epoch} ============`);
    const mtPairs = new Set<string>();
    for (const [a, b] of steps.mt) mtPairs.add(`${a}-${b}`);
    for (const [, b, c] of steps.bt) mtPairs.add(`${b}-${c}`);
    for (const a of steps.mass) for (const b of steps.mass) if (a !== b) mtPairs.add(`${a}-${b}`);
    const { scores, samples } = await evaluate(model, data, {
      wordMass: s.word_mass,
      batching: { tokensPerBatch: s.tokens_per_batch, batchSize: s.batch_size, maxBatchSize: s.max_batch_size, groupBySize: true },
      maxLen: s.max_len,
      evalBleu: s.eval_bleu || steps.s2s.length > 0,
      beamSize: s.beam_size,
      lengthPenalty: s.length_penalty,
      earlyStopping: s.early_stopping,
      hypothesisDir: join(this.p.expDir, 'hypotheses'),
      epoch: state.epoch,
      langIds: new Map(langs.map((l, i) => [l, i])),
      massLangs: steps.mass,
      mtPairs: [...mtPairs],
      s2sTasks: steps.s2s,
    });
    this.lastScores = { epoch: state.epoch, ...scores };
    if (batchDump) dumpLine({ eval: this.p.optimizer.updates, scores });
    for (const [k, v] of Object.entries(scores)) reporter.log(`${k} -> ${v.toFixed(6)}`);
    reporter.event({ kind: 'epoch', message: `epoch ${state.epoch} done`, epoch: state.epoch, scores: this.lastScores, samples });
    for (const { name, biggest } of this.plan.validationMetrics) {
      const v = scores[name];
      if (v === undefined) {
        reporter.event({
          kind: 'warning',
          message: `validation metric '${name}' not found in the scores (${Object.keys(scores).join(', ')})`,
          field: 'validation_metrics',
        });
        continue;
      }
      const best = state.bestMetrics[name];
      if (best === undefined || (biggest ? v > best : v < best)) {
        state.bestMetrics[name] = v;
        reporter.log(`New best score for ${name}: ${v.toFixed(6)}`);
        await this.save(`best-${name}`, false);
      }
    }
    if (s.save_periodic > 0 && state.epoch % s.save_periodic === 0) await this.save(`periodic-${state.epoch}`, false);
    return scores;
  }

  private stoppingCriterionMet(scores: Record<string, number>): boolean {
    const { state, reporter } = this.p;
    const criterion = this.plan.stopping;
    if (!criterion) return false;
    const { name, biggest, patience } = criterion;
    const v = scores[name];
    if (v === undefined) return false;
    if (state.bestStopping === undefined || (biggest ? v > state.bestStopping : v < state.bestStopping)) {
      state.bestStopping = v;
      state.decreaseCounts = 0;
      return false;
    }
    state.decreaseCounts++;
    if (state.decreaseCounts > patience) {
      reporter.log(`Stopping criterion has been below its best value for more than ${patience} epochs. Ending the experiment...`);
      return true;
    }
    return false;
  }
}
