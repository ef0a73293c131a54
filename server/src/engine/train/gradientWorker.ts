/**
 * Worker-thread entry of ParallelTrainer: its own tfjs backend and copy of the model; per step, the
 * loss and token-weighted gradient mean of its parts, written into its shared gradient buffer; then
 * its share of the host-side update (summing the workers' gradients, Adam) on a range of elements.
 * Bundled as dist/gradientWorker.js; run from source through tsx.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../backend/selectBackend.js';
import { tf, type Tensor, type Variable } from '../backend/tf.js';
import { asWasm, f32View } from '../backend/wasmInternals.js';
import { UserError } from '../errors.js';
import { threadCpuMs, threadTimes } from '../util/threadCpu.js';
import { MassModel } from '../model/model.js';
import type { FromWorker, ToWorker, WorkerInit, WorkerProfile } from './gradientWorkerProtocol.js';
import { adamRange, reduceRange } from './rangeUpdate.js';
import { BatchOutOfMemoryError, assignValues, gradientPass } from './trainStep.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);

function errorMessage(e: unknown, id?: number, part?: number): FromWorker {
  const err = e instanceof Error ? e : new Error(String(e));
  return { type: 'error', id, message: err.message, stack: err.stack, user: err instanceof UserError, oom: err instanceof BatchOutOfMemoryError, part };
}

class GradientWorker {
  private readonly params: Float32Array;
  private readonly grads: Float32Array;
  private readonly allGrads: Float32Array[];
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private readonly vars: [string, Variable][];
  private readonly slotOf: Map<string, number>;
  private uploadMs = 0;
  /** CPU time of the host-side phases since the last step (reported with the next one). */
  private updateCpu = 0;

  constructor(private readonly model: MassModel) {
    this.params = new Float32Array(init.params);
    this.allGrads = init.grads.map((g) => new Float32Array(g));
    this.grads = this.allGrads[init.index];
    this.m = new Float32Array(init.m);
    this.v = new Float32Array(init.v);
    this.vars = model.parameters();
    this.slotOf = new Map(init.slots.map((s, k) => [s.name, k]));
    for (const [name] of this.vars) if (!this.slotOf.has(name)) throw new Error(`gradient worker: no slot for parameter '${name}'`);
  }

  /** Runs `fn`, adding its CPU time to {@link updateCpu}. */
  timed<T>(fn: () => T): T {
    const c0 = threadCpuMs();
    try {
      return fn();
    } finally {
      const c1 = threadCpuMs();
      if (c0 !== undefined && c1 !== undefined) this.updateCpu += c1 - c0;
    }
  }

  upload(): void {
    const t0 = performance.now();
    for (const [name, v] of this.vars) {
      const s = init.slots[this.slotOf.get(name)!];
      assignValues(v, this.params.subarray(s.offset, s.offset + s.size));
    }
    this.uploadMs = performance.now() - t0;
  }

  step(m: Extract<ToWorker, { type: 'step' }>): FromWorker {
    const present = new Uint8Array(init.slots.length);
    const wasm = tf.getBackend() === 'wasm' ? asWasm(tf.backend()) : undefined;
    const profile: WorkerProfile = { uploadMs: this.uploadMs, passMs: 0, copyMs: 0, tensors: 0, tensorBytes: 0, updateCpuMs: this.updateCpu };
    this.updateCpu = 0;
    const cpu0 = threadTimes();
    let lossSum = 0;
    for (let i = 0; i < m.parts.length; i++) {
      // Accumulated as Trainer.gradients does, so one worker reproduces Trainer exactly.
      const weight = m.counts[i] / m.total;
      const t0 = performance.now();
      let copyMs = 0;
      let loss: number;
      try {
        loss = gradientPass(this.model, this.vars, m.parts[i], m.seeds[i], (name: string, g: Tensor) => {
          const c0 = performance.now();
          const k = this.slotOf.get(name)!;
          const s = init.slots[k];
          // On wasm, read the gradient in place (a view of the heap; nothing allocates while it is used).
          const src = wasm ? f32View(wasm, g) : (g.dataSync() as Float32Array);
          const dst = this.grads.subarray(s.offset, s.offset + s.size);
          if (!present[k]) {
            present[k] = 1;
            if (weight === 1) dst.set(src);
            else for (let j = 0; j < src.length; j++) dst[j] = src[j] * weight;
          } else {
            for (let j = 0; j < src.length; j++) dst[j] += weight * src[j];
          }
          copyMs += performance.now() - c0;
        });
      } catch (e) {
        return errorMessage(e, m.id, i);
      }
      lossSum += loss * m.counts[i];
      profile.copyMs += copyMs;
      profile.passMs += performance.now() - t0 - copyMs;
    }
    profile.tensors = tf.memory().numTensors;
    profile.tensorBytes = tf.memory().numBytes;
    const cpu1 = threadTimes();
    if (cpu0 && cpu1) {
      profile.cpuMs = cpu1.cpu - cpu0.cpu;
      if (cpu0.wait !== undefined && cpu1.wait !== undefined) profile.waitMs = cpu1.wait - cpu0.wait;
    }
    return { type: 'done', id: m.id, lossSum, present, profile };
  }

  reduce(m: Extract<ToWorker, { type: 'reduce' }>): FromWorker {
    const slotSq = new Float64Array(init.slots.length);
    reduceRange(init.slots, this.allGrads, m.present, m.weights, m.from, m.to, slotSq);
    return { type: 'reduced', id: m.id, slotSq };
  }

  adam(m: Extract<ToWorker, { type: 'adam' }>): FromWorker {
    adamRange(init.slots, this.params, this.allGrads, this.m, this.v, m.from, m.to, m);
    return { type: 'adamDone', id: m.id };
  }
}

async function main(): Promise<void> {
  let worker: GradientWorker;
  try {
    await initBackend(init.backend);
    const params = new Float32Array(init.params);
    const bySlot = new Map(init.slots.map((s) => [s.name, s]));
    const model = MassModel.fromStateDict(
      init.config,
      (name) => {
        const s = bySlot.get(name);
        // A copy: the cpu backend would otherwise keep the shared buffer as the tensor's storage.
        return s && { shape: s.shape, data: params.slice(s.offset, s.offset + s.size) };
      },
      `gradient worker ${init.index}`,
    );
    worker = new GradientWorker(model);
  } catch (e) {
    send(errorMessage(e));
    return;
  }
  port.on('message', (m: ToWorker) => {
    if (m.type === 'params') {
      try {
        worker.timed(() => worker.upload());
      } catch (e) {
        send(errorMessage(e));
      }
      return;
    }
    let reply: FromWorker;
    try {
      reply = m.type === 'step' ? worker.step(m) : worker.timed(() => (m.type === 'reduce' ? worker.reduce(m) : worker.adam(m)));
    } catch (e) {
      reply = errorMessage(e, m.id);
    }
    send(reply);
  });
  send({ type: 'ready' });
}

void main();
