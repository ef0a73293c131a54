/**
 * Data-parallel training steps on worker threads: the same update as {@link Trainer}, with the
 * forward/backward passes of one update spread over N workers, each with its own tfjs backend (the
 * main thread's choice) and copy of the model. tfjs runs wasm single-threaded in Node, so this is
 * how a step uses more than one core.
 *
 * Per update: the micro-batches become parts (updatePlan.ts; N workers compute Trainer.step(parts,
 * seed)); each worker writes the token-weighted mean of its parts' gradients into its own
 * SharedArrayBuffer; then every worker takes a range of elements (rangeUpdate.ts) and sums the
 * workers' gradients there with the sums of squares for the norms; the main thread clips per module
 * and does Adam's bookkeeping (its state stays in AdamInverseSqrt, its moments in shared memory), the
 * workers run Adam's element loops on their ranges of the shared parameter mirror, and everyone
 * uploads the new values (the main thread into `model`, before `step` resolves). Messages carry
 * batches and small results only. The host-side update is split because on two cores the main thread
 * doing it alone left a core idle for ≈60 ms per step.
 *
 * Determinism: the same seed and worker count give the same losses; a different worker count splits
 * the update differently (other dropout streams, other summation order), so an exact resume needs the
 * same count. One worker equals Trainer exactly.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { currentBackend, type BackendName } from '../backend/selectBackend.js';
import type { Variable } from '../backend/tf.js';
import { UserError } from '../errors.js';
import type { MassModel } from '../model/model.js';
import { mixSeed } from '../model/random.js';
import { threadCpuMs } from '../util/threadCpu.js';
import type { AdamInverseSqrt } from './adamInverseSqrt.js';
import type { FromWorker, ParamSlot, ToWorker, WorkerInit, WorkerProfile } from './gradientWorkerProtocol.js';
import { targetTokenCount, type Seq2SeqBatch } from './seq2seqBatch.js';
import {
  BatchOutOfMemoryError,
  assignValues,
  checkFinite,
  clipScales,
  moduleOf,
  type Gradients,
  type Stepper,
  type TrainStepOptions,
  type TrainStepResult,
} from './trainStep.js';
import { planUpdate } from './updatePlan.js';
import { gradientSource, splitRange } from './rangeUpdate.js';

export interface ParallelTrainerOptions extends TrainStepOptions {
  /** Worker threads (>= 1). */
  workers: number;
}

/**
 * Workers for the `workers` setting: as set, or for 0 one per core (at most 4: each holds a model and
 * a wasm heap) on wasm and cpu, which compute on one thread; native TensorFlow uses every core itself
 * (and its addon is not meant to be loaded once per thread), so it gets none.
 */
export function workerCount(setting: number, backend: BackendName): number {
  if (backend === 'tfjs-node' || backend === 'tfjs-node-gpu' || backend === 'webgpu') return 1;
  if (setting > 0) return setting;
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Where the time of the last update went (ms). */
export interface StepProfile {
  total: number;
  /** Splitting the update and posting it. */
  plan: number;
  /** Waiting for the slowest worker. */
  wait: number;
  /** Per worker: its target tokens, its last parameter upload, passes and gradient copies. */
  workers: (WorkerProfile & { tokens: number })[];
  /** Adding the workers' gradients and the norms (in the workers, by element ranges). */
  sum: number;
  /** Adam (in the workers, by element ranges). */
  adam: number;
  /** Uploading the new values into the main thread's model. */
  assign: number;
  /** CPU time of the main thread in the update (Linux only, 10 ms resolution). */
  mainCpu?: number;
}

/**
 * The worker script: dist/gradientWorker.js next to the bundle, else the TypeScript source, loaded
 * through tsx's require hook (Node 20 workers ignore `--import tsx` for a .ts entry: "Unknown file
 * extension").
 */
function workerEntry(): { code: string; eval: boolean } {
  const js = join(__dirname, 'gradientWorker.js');
  if (existsSync(js)) return { code: js, eval: false };
  const ts = join(__dirname, 'gradientWorker.ts');
  if (!existsSync(ts)) throw new Error(`gradient worker script not found next to ${__dirname}`);
  return { code: `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(ts)});`, eval: true };
}

type Reply = Extract<FromWorker, { type: 'done' | 'reduced' | 'adamDone' }>;
type Request = Extract<ToWorker, { id: number }>;
type ReplyTo<R extends Request> = R extends { type: 'step' }
  ? Extract<Reply, { type: 'done' }>
  : R extends { type: 'reduce' }
    ? Extract<Reply, { type: 'reduced' }>
    : Extract<Reply, { type: 'adamDone' }>;

/** Worker `worker` ran out of wasm memory on part `part` of its step. */
class WorkerOutOfMemory extends Error {
  constructor(
    message: string,
    readonly worker: number,
    readonly part: number,
  ) {
    super(message);
  }
}

/** One worker thread and the request it is working on. */
class WorkerHandle {
  readonly thread: Worker;
  /** Set once the thread is unusable; every later request fails with it. */
  failure: Error | undefined;
  private pending: { id: number; resolve: (m: Reply) => void; reject: (e: Error) => void } | undefined;
  private started: { resolve: () => void; reject: (e: Error) => void } | undefined;
  readonly ready: Promise<void>;
  private stopping = false;

  constructor(
    readonly index: number,
    init: WorkerInit,
  ) {
    const entry = workerEntry();
    this.ready = new Promise((resolve, reject) => (this.started = { resolve, reject }));
    this.thread = new Worker(entry.code, { workerData: init, eval: entry.eval });
    this.thread.on('message', (m: FromWorker) => this.onMessage(m));
    this.thread.on('error', (e: Error & { code?: string }) => {
      const why =
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new UserError(`gradient worker ${index} ran out of JavaScript memory; use smaller batches (fewer tokens per batch) or fewer workers`)
          : new Error(`gradient worker ${index} failed: ${e.message}`);
      this.fail(why);
    });
    this.thread.on('exit', (code) => {
      if (!this.stopping) this.fail(new Error(`gradient worker ${index} stopped unexpectedly (exit code ${code})`));
    });
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'ready') {
      this.started?.resolve();
      this.started = undefined;
      return;
    }
    const p = this.pending;
    if (m.type === 'error' && (m.id === undefined || p?.id !== m.id)) {
      // Failed to start or to upload parameters: the worker cannot be used any more.
      this.fail(this.toError(m));
      return;
    }
    if (!p || p.id !== m.id) return;
    this.pending = undefined;
    if (m.type === 'error') p.reject(this.toError(m));
    else p.resolve(m);
  }

  private toError(m: Extract<FromWorker, { type: 'error' }>): Error {
    if (m.oom) return new WorkerOutOfMemory(m.message, this.index, m.part ?? 0);
    if (m.user) return new UserError(m.message);
    const e = new Error(`gradient worker ${this.index}: ${m.message}`);
    if (m.stack) e.stack = `${e.message}\n${m.stack.split('\n').slice(1).join('\n')}`;
    return e;
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    this.started?.reject(e);
    this.started = undefined;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(e);
  }

  /** Fire and forget; a failed worker drops it (its failure is reported by the next request). */
  post(m: ToWorker): void {
    if (!this.failure) this.thread.postMessage(m);
  }

  request<R extends Request>(m: R): Promise<ReplyTo<R>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<ReplyTo<R>>((resolve, reject) => {
      this.pending = { id: m.id, resolve: resolve as (r: Reply) => void, reject };
      this.thread.postMessage(m);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.fail(new Error(`gradient worker ${this.index} was stopped`));
    await this.thread.terminate();
  }
}

/** All requests settled; then the first failure (in worker order) is thrown. */
async function all<T>(requests: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(requests);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** What the compute and reduce phases leave for the Adam phase. */
interface Reduced extends Gradients {
  /** Per slot, the worker whose buffer holds the update's gradient (-1: none). */
  sources: Int32Array;
}

export class ParallelTrainer implements Stepper {
  /** The per-update time split of the last update. */
  lastProfile: StepProfile | undefined;
  private readonly vars: [string, Variable][];
  private readonly slots: ParamSlot[];
  private readonly slotOf: Map<string, number>;
  /** The host mirror of the parameters, views into the shared buffer the workers upload from. */
  private readonly host = new Map<string, Float32Array>();
  private readonly gradBuffers: Float32Array[];
  private readonly handles: WorkerHandle[];
  /** Element range of the host-side update each worker does. */
  private readonly ranges: [number, number][];
  private readonly clipNorm: number;
  private nextId = 0;
  private busy = false;
  private disposed = false;

  private constructor(
    readonly model: MassModel,
    readonly optimizer: AdamInverseSqrt,
    options: ParallelTrainerOptions,
  ) {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new UserError(`workers: expected a positive integer, got ${options.workers}`);
    const backend = currentBackend();
    if (!backend) throw new Error('ParallelTrainer: initialise a backend first (initBackend)');
    this.clipNorm = options.clipNorm ?? 5;
    this.vars = model.parameters();
    let total = 0;
    this.slots = this.vars.map(([name, v]) => {
      const slot = { name, shape: [...v.shape], offset: total, size: v.size };
      total += v.size;
      return slot;
    });
    this.slotOf = new Map(this.slots.map((s, k) => [s.name, k]));
    const shared = () => new SharedArrayBuffer(total * 4);
    const params = shared();
    const all = new Float32Array(params);
    for (const s of this.slots) this.host.set(s.name, all.subarray(s.offset, s.offset + s.size));
    this.copyFromModel();
    // Adam's moments live in shared memory too, so the workers can run the update.
    const m = shared();
    const v = shared();
    const mAll = new Float32Array(m);
    const vAll = new Float32Array(v);
    optimizer.setStateAllocator((name, size) => {
      const k = this.slotOf.get(name);
      if (k === undefined || this.slots[k].size !== size) return { m: new Float32Array(size), v: new Float32Array(size) };
      const { offset } = this.slots[k];
      return { m: mAll.subarray(offset, offset + size), v: vAll.subarray(offset, offset + size) };
    });
    const grads = Array.from({ length: options.workers }, shared);
    this.gradBuffers = grads.map((g) => new Float32Array(g));
    this.ranges = splitRange(total, options.workers);
    this.handles = [];
    try {
      for (let i = 0; i < options.workers; i++) {
        this.handles.push(new WorkerHandle(i, { index: i, backend: backend.name, config: model.config, slots: this.slots, params, grads, m, v }));
      }
    } catch (e) {
      for (const h of this.handles) void h.stop();
      throw e;
    }
  }

  /** Starts `workers` threads with the model's current weights; resolves once all are ready. */
  static async create(model: MassModel, optimizer: AdamInverseSqrt, options: ParallelTrainerOptions): Promise<ParallelTrainer> {
    const t = new ParallelTrainer(model, optimizer, options);
    try {
      await t.whileWorking(() => all(t.handles.map((h) => h.ready)));
    } catch (e) {
      await t.dispose();
      throw e;
    }
    return t;
  }

  get workers(): number {
    return this.handles.length;
  }

  /** The worker threads (to watch or stop them from outside; stopping one fails the next step). */
  get threads(): readonly Worker[] {
    return this.handles.map((h) => h.thread);
  }

  private copyFromModel(): void {
    for (const [name, v] of this.vars) this.host.get(name)!.set(v.dataSync() as Float32Array);
  }

  /** Re-reads parameter values from the model (after loading weights into it) and sends them to the workers. */
  syncFromModel(): void {
    if (this.busy) throw new Error('ParallelTrainer: syncFromModel during a step');
    this.copyFromModel();
    for (const h of this.handles) h.post({ type: 'params' });
  }

  /**
   * Keeps the threads referenced (the process alive) only while `fn` waits on them, so an idle
   * trainer never holds the process open.
   */
  private async whileWorking<T>(fn: () => Promise<T>): Promise<T> {
    for (const h of this.handles) h.thread.ref();
    try {
      return await fn();
    } finally {
      for (const h of this.handles) h.thread.unref();
    }
  }

  /** Runs `fn` as the one operation in progress. */
  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.disposed) throw new Error('ParallelTrainer: used after dispose');
    if (this.busy) throw new Error('ParallelTrainer: a step is already running');
    this.busy = true;
    try {
      return await this.whileWorking(fn);
    } finally {
      this.busy = false;
    }
  }

  /** One update; same contract as {@link Trainer.step}. */
  step(microBatches: Seq2SeqBatch[], seed: number): Promise<TrainStepResult> {
    return this.exclusive(async () => {
      const t0 = performance.now();
      const cpu0 = threadCpuMs();
      const g = await this.computeGradients(microBatches, seed);
      checkFinite(g, this.optimizer.updates);
      const profile = this.lastProfile!;
      const lr = this.optimizer.lr;
      const t1 = performance.now();
      await this.adam(g);
      const t2 = performance.now();
      // The workers upload the new values while the main thread does the same for its model.
      for (const h of this.handles) h.post({ type: 'params' });
      for (const [name, v] of this.vars) assignValues(v, this.host.get(name)!);
      const t3 = performance.now();
      const cpu1 = threadCpuMs();
      Object.assign(profile, { adam: t2 - t1, assign: t3 - t2, total: t3 - t0, mainCpu: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined });
      return { loss: g.loss, tokens: g.tokens, gradNorm: g.gradNorm, lr, updates: this.optimizer.updates };
    });
  }

  /**
   * Loss and gradient of an update without changing parameters. The arrays in `grads` are views of
   * the workers' shared buffers: valid until the next call.
   */
  gradients(microBatches: Seq2SeqBatch[], seed: number): Promise<Gradients> {
    return this.exclusive(() => this.computeGradients(microBatches, seed));
  }

  /** Adam's bookkeeping here, its element loops in the workers (each on its range). */
  private async adam(g: Reduced): Promise<void> {
    const scales = clipScales(g.gradNorm, this.clipNorm);
    const n = this.slots.length;
    const stepSizes = new Float64Array(n).fill(NaN);
    const slotScales = new Float64Array(n);
    this.slots.forEach((slot, k) => {
      const s = this.optimizer.beginParam(slot.name, slot.size, g.sources[k] >= 0);
      if (s) stepSizes[k] = s.stepSize;
      slotScales[k] = scales[moduleOf(slot.name)];
    });
    this.optimizer.finishUpdate();
    const { beta1, beta2, eps } = this.optimizer.options;
    const id = this.nextId++;
    await all(
      this.handles.map((h, w) =>
        h.request({ type: 'adam', id, from: this.ranges[w][0], to: this.ranges[w][1], stepSizes, scales: slotScales, sources: g.sources, beta1, beta2, eps }),
      ),
    );
  }

  private async computeGradients(microBatches: Seq2SeqBatch[], seed: number): Promise<Reduced> {
    if (microBatches.length === 0) throw new Error('trainStep: no micro-batch');
    const t0 = performance.now();
    const n = this.handles.length;
    const plan = planUpdate(microBatches, n);
    const counts = plan.parts.map(targetTokenCount);
    const total = counts.reduce((a, b) => a + b, 0);
    if (total === 0) throw new Error('trainStep: the micro-batches predict no token');
    // Worker w's parts (those with tokens to predict; the others are skipped, as Trainer skips them).
    const partsOf = this.handles.map((_, w) => plan.parts.map((_, i) => i).filter((i) => plan.worker[i] === w && counts[i] > 0));
    const tokensOf = partsOf.map((ps) => ps.reduce((a, i) => a + counts[i], 0));
    const working = this.handles.map((_, w) => w).filter((w) => partsOf[w].length > 0);
    const id = this.nextId++;
    // Each worker returns the token-weighted mean over its own parts (a plain copy when it has one
    // part); the reduce phase weights the means by the workers' shares of the update's tokens.
    const running = working.map((w) =>
      this.handles[w].request({
        type: 'step',
        id,
        parts: partsOf[w].map((i) => plan.parts[i]),
        seeds: partsOf[w].map((i) => mixSeed(seed, i)),
        counts: partsOf[w].map((i) => counts[i]),
        total: tokensOf[w],
      }),
    );
    const t1 = performance.now();
    let results: Extract<Reply, { type: 'done' }>[];
    try {
      results = await all(running);
    } catch (e) {
      if (e instanceof WorkerOutOfMemory) {
        // A worker only knows its slice: name the micro-batch the user configured.
        throw new BatchOutOfMemoryError(microBatches[plan.source[partsOf[e.worker][e.part]]]);
      }
      throw e;
    }
    const t2 = performance.now();
    let lossSum = 0;
    for (const r of results) lossSum += r.lossSum;
    const present: (Uint8Array | null)[] = this.handles.map(() => null);
    const weights = this.handles.map(() => 0);
    working.forEach((w, i) => {
      present[w] = results[i].present;
      weights[w] = tokensOf[w] / total;
    });
    const reduced = await all(this.handles.map((h, w) => h.request({ type: 'reduce', id, from: this.ranges[w][0], to: this.ranges[w][1], present, weights })));
    const grads = new Map<string, Float32Array>();
    const sources = new Int32Array(this.slots.length);
    const sq = { encoder: 0, decoder: 0 };
    this.slots.forEach((slot, k) => {
      sources[k] = gradientSource(present, k);
      if (sources[k] < 0) return;
      let s = 0;
      for (const r of reduced) s += r.slotSq[k];
      sq[moduleOf(slot.name)] += s;
      grads.set(slot.name, this.gradBuffers[sources[k]].subarray(slot.offset, slot.offset + slot.size));
    });
    const t3 = performance.now();
    const noWork: WorkerProfile = { uploadMs: 0, passMs: 0, copyMs: 0, tensors: -1, tensorBytes: -1 };
    this.lastProfile = {
      total: t3 - t0,
      plan: t1 - t0,
      wait: t2 - t1,
      workers: this.handles.map((_, w) => ({ ...(results[working.indexOf(w)]?.profile ?? noWork), tokens: tokensOf[w] })),
      sum: t3 - t2,
      adam: 0,
      assign: 0,
    };
    return { loss: lossSum / total, tokens: total, grads, gradNorm: { encoder: Math.sqrt(sq.encoder), decoder: Math.sqrt(sq.decoder) }, sources };
  }

  /** Stops the worker threads (the model stays usable; the optimizer keeps its state). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all(this.handles.map((h) => h.stop()));
  }
}
