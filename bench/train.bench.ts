/**
 * Training-step speed on the wasm backend against PyTorch, same model, same batch, same run.
 *
 * Model: emb 256, 4 heads, 3+3 layers, FFN 1024, vocabulary 8000, dropout 0.1 (10.1M parameters);
 * batch: 32 real English sentences (mono.en, ≥ 30 words) as 32-token MASS inputs with a 16-token
 * masked span, i.e. 512 target tokens; Adam with the inverse-sqrt schedule, clip 5.
 * Three setups: Trainer (one thread), ParallelTrainer with BENCH_WORKERS (default 2) worker threads,
 * and PyTorch: bench/train_step_torch.py (our compact re-implementation of the same architecture), one
 * thread, OpenBLAS (Debian python3-torch + libopenblas0-pthread).
 *
 * Reading the numbers on a shared machine: Linux schedules by session ("autogroup"), so while other
 * sessions are busy this run gets about a fair share of the cores however many threads it has: two
 * workers then wait in the run queue (`threadRunQueueWait`) and their wall time says little. CPU times
 * do not depend on the load: for the workers the bench reports the critical path, i.e. the wall time
 * of a step with a core per thread (main thread's CPU + slowest worker's passes + slowest worker's
 * share of the update), and `ratioParallelCriticalCpu` against PyTorch's CPU time.
 *
 * Measured here (2-core AMD EPYC Zen 4, quiet machine; the run in bench/results/train.json): Trainer
 * 1.12 s/step (455 tok/s), 2 workers 0.62 s (823 tok/s; critical path 0.56 s), PyTorch 0.46 s
 * (1,119 tok/s). Ratios: one thread 0.41, two workers 0.74 wall, 0.81 on the critical path. Before our
 * GEMM (XNNPACK): one thread 1.69–1.79 s, two workers 0.94–1.15 s (0.42–0.50). With other sessions
 * busy the two workers' wall ratio falls (the scheduler gives this run a share of the cores) while the
 * critical-path ratio holds.
 *
 * What limits a step (CPU profile of one thread, steady state): matrix products ≈ 46% — our generated
 * wasm GEMM (engine/backend/gemmModule.ts) at 40–48 GFLOP/s, i.e. 128-bit FMA at close to 2 per
 * cycle, while PyTorch's OpenBLAS runs its Cooper Lake kernels here (512-bit AVX-512 FMA): the gap is
 * the vector width wasm allows. Then tfjs's own wasm kernels (elementwise ops, GELU's erf/exp, softmax) ≈ 12%, our host
 * kernels ≈ 14% (transposes of attention heads 6%, LayerNorm and cross-entropy 5%, column sums 2%),
 * Adam on the host 4.5%, GC 2.5%, dropout masks 1.3%.
 * Already removed (see engine/backend): XNNPACK's per-call packing and missing FMA (our GEMM), transposed
 * matmuls through the scalar path (7×), copies on every tensor saved for backprop, UnsortedSegmentSum
 * at vocabulary size, slow row gathers and column sums, a second exp over the vocabulary in the loss,
 * the output layer over non-predicted rows.
 *
 * webgpu: the same updates through Trainer.stepAsync on the adapter Dawn offers (`webgpu` in the
 * results: adapter, speed, and the last loss against wasm's). On Mesa's software adapter (llvmpipe)
 * the number checks correctness, not speed; on a real GPU it is the throughput to compare with wasm.
 *
 * Run: node --import tsx bench/train.bench.ts  →  bench/results/train.json
 * BENCH_ONLY=webgpu runs the webgpu part alone, with wasm's same updates beside it, into
 * bench/results/train-webgpu.json (BENCH_ALSO_RUNNING says what else had the cores); BENCH_STEPS=n
 * times n steps after one warm-up step instead of 5 after 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { initBackend } from '../server/src/engine/backend/selectBackend.js';
import { tf } from '../server/src/engine/backend/tf.js';
import { asWasm } from '../server/src/engine/backend/wasmInternals.js';
import { threadTimes } from '../server/src/engine/util/threadCpu.js';
import { makeModelConfig } from '../server/src/engine/model/config.js';
import { MassModel } from '../server/src/engine/model/model.js';
import { AdamInverseSqrt } from '../server/src/engine/train/adamInverseSqrt.js';
import { Trainer } from '../server/src/engine/train/trainStep.js';
import { ParallelTrainer, type StepProfile } from '../server/src/engine/train/parallelTrainer.js';
import { targetTokenCount } from '../server/src/engine/train/seq2seqBatch.js';
import { massBatch, readSentences, whitespaceVocab } from '../test/helpers/massBatch.js';
import { loadAverage, runHeader } from './runHeader.js';

const ROOT = resolve(import.meta.dirname, '..');
const MONO_EN = join(ROOT, 'data', 'corpora', 'en-fr', 'mono.en.gz');
const STEPS = Number(process.env.BENCH_STEPS ?? 5);
const WARMUP = process.env.BENCH_STEPS ? 1 : 2;
const ONLY_WEBGPU = process.env.BENCH_ONLY === 'webgpu';
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const PYTHON = '/usr/bin/python3';
const TORCH_ENV = { LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/openblas-pthread', OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
interface Timing {
  wall: number[];
  cpu: number[];
  /** The main thread's time runnable but not running (other load on the machine). */
  wait: number[];
  loss: number;
  /** Every update's loss, warm-up included. */
  losses: number[];
}

/** WARMUP then STEPS updates of `step`; wall and process CPU time (all threads) per step. */
async function timeSteps(step: (i: number) => Promise<number> | number, after?: () => void, steps = STEPS, warmup = WARMUP): Promise<Timing> {
  const wall: number[] = [];
  const cpu: number[] = [];
  const wait: number[] = [];
  const losses: number[] = [];
  let loss = 0;
  for (let i = 0; i < warmup + steps; i++) {
    const w0 = performance.now();
    const c0 = cpuMs();
    const q0 = threadTimes()?.wait ?? 0;
    loss = await step(i);
    losses.push(loss);
    if (i >= warmup) {
      wall.push(performance.now() - w0);
      cpu.push(cpuMs() - c0);
      wait.push((threadTimes()?.wait ?? 0) - q0);
      after?.();
    }
  }
  return { wall, cpu, wait, loss, losses };
}

function summary(t: Timing, tokens: number) {
  return {
    msPerStep: median(t.wall),
    cpuMsPerStep: median(t.cpu),
    mainThreadRunQueueWaitMs: median(t.wait),
    targetTokensPerSec: (tokens / median(t.wall)) * 1000,
    lastLoss: t.loss,
  };
}

/** The same updates on webgpu (host Adam, gradients read back asynchronously), when Dawn has an adapter. */
async function webgpuRun(config: ReturnType<typeof makeModelConfig>, batch: Parameters<Trainer['step']>[0][number], tokens: number, wasmLosses?: number[]) {
  let info;
  try {
    info = await initBackend('webgpu');
  } catch (e) {
    return { error: (e as Error).message };
  }
  const model = MassModel.init(config, 1);
  try {
    const trainer = await Trainer.create(model, new AdamInverseSqrt({ lr: 1e-4 }));
    // a software adapter (minutes per step) checks correctness: 1 warm-up and 2 timed steps
    const software = info.adapter?.includes('software') ?? false;
    const t = await timeSteps(async (i) => (await trainer.stepAsync([batch], i)).loss, undefined, software ? Math.min(2, STEPS) : STEPS, software ? 1 : WARMUP);
    const m = tf.memory() as { numTensors: number; numBytesAllocatedInGPU?: number };
    return {
      backend: 'webgpu',
      adapter: info.adapter,
      steps: `median of ${t.wall.length} after ${t.losses.length - t.wall.length} warm-up steps`,
      ...summary(t, tokens),
      /** Largest |webgpu loss − wasm loss| over the same updates (same initial weights, batch and seeds). */
      maxLossDiffVsWasm: wasmLosses ? Math.max(...t.losses.map((l, i) => Math.abs(l - wasmLosses[i]!))) : null,
      tensorsAfter: m.numTensors,
      gpuBytesAllocated: m.numBytesAllocatedInGPU ?? null,
    };
  } finally {
    model.dispose();
  }
}

/**
 * BENCH_ONLY=webgpu: the webgpu updates and, in the same run, wasm's on the same model, batch and
 * seeds (1 warm-up + 2 timed each on a software adapter) → bench/results/train-webgpu.json. On llvmpipe
 * this records correctness (the losses agree) and what a software adapter costs, not GPU speed.
 */
async function webgpuOnly(config: ReturnType<typeof makeModelConfig>, batch: Parameters<Trainer['step']>[0][number], tokens: number, loadBefore: number[]) {
  const info = await initBackend('wasm');
  const model = MassModel.init(config, 1);
  const trainer = new Trainer(model, new AdamInverseSqrt({ lr: 1e-4 }));
  const wasmRun = await timeSteps((i) => trainer.step([batch], i).loss, undefined, Math.min(2, STEPS), 1);
  model.dispose();
  const wasm = { backend: `${info.name}${info.simd ? ' (SIMD)' : ''}`, ...summary(wasmRun, tokens), losses: wasmRun.losses };
  const webgpu = await webgpuRun(config, batch, tokens, wasmRun.losses);
  const g = webgpu as { targetTokensPerSec?: number; error?: string };
  const result = {
    ...runHeader('train-webgpu', loadBefore),
    model: { emb_dim: 256, n_heads: 4, layers: '3+3', hidden_dim: 1024, n_words: 8000, dropout: 0.1 },
    batch: { sentences: batch.bs, srcLen: batch.srcLen, span: batch.tgtLen, targetTokens: tokens },
    wasm,
    webgpu,
    /** webgpu's training throughput over wasm's (one thread) in this run. */
    ratioWebgpuOverWasm: g.targetTokensPerSec ? g.targetTokensPerSec / wasm.targetTokensPerSec : null,
  };
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'train-webgpu.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
}

async function main() {
  const loadBefore = loadAverage();
  const config = makeModelConfig({
    emb_dim: 256,
    n_heads: 4,
    n_layers: 3,
    n_dec_layers: 3,
    hidden_dim: 1024,
    n_words: 8000,
    dropout: 0.1,
    attention_dropout: 0.1,
  });
  const sentences = await readSentences(MONO_EN, 2000, 30);
  const vocab = whitespaceVocab(sentences, config.n_words);
  const batch = massBatch(sentences.slice(0, 32), vocab, 32, 16, 0, 1);
  const tokens = targetTokenCount(batch);
  if (ONLY_WEBGPU) {
    await webgpuOnly(config, batch, tokens, loadBefore);
    return;
  }

  const info = await initBackend('wasm');
  const model = MassModel.init(config, 1);
  const trainer = new Trainer(model, new AdamInverseSqrt({ lr: 1e-4 }));
  const single = await timeSteps((i) => trainer.step([batch], i).loss);
  const ours = {
    backend: `${info.name}${info.simd ? ' (SIMD)' : ''}`,
    params: model.parameterCount(),
    ...summary(single, tokens),
    targetTokensPerCpuSec: (tokens / median(single.cpu)) * 1000,
    peakWasmHeapBytes: asWasm(tf.backend()).wasm.HEAPU8.byteLength,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    tensorsAfter: tf.memory().numTensors,
  };
  model.dispose();
  const webgpu = await webgpuRun(config, batch, tokens, single.losses);
  await initBackend('wasm');

  // The same updates on worker threads (a fresh model with the same initial weights).
  const pModel = MassModel.init(config, 1);
  const parallelTrainer = await ParallelTrainer.create(pModel, new AdamInverseSqrt({ lr: 1e-4 }), { workers: WORKERS });
  const profiles: StepProfile[] = [];
  let parallelResult: Record<string, unknown>;
  try {
    const par = await timeSteps(
      async (i) => (await parallelTrainer.step([batch], i)).loss,
      () => profiles.push(parallelTrainer.lastProfile!),
    );
    const med = (f: (p: StepProfile) => number | undefined) => {
      const xs = profiles.map(f).filter((x): x is number => x !== undefined);
      return xs.length ? Number(median(xs).toFixed(1)) : null;
    };
    // Wall time this update would take with a core per thread and nothing else running: the main
    // thread's own CPU time, plus the slowest worker's passes, plus the slowest worker's share of the
    // host-side update (thread CPU clocks, Linux only; the main thread's upload overlaps the workers').
    const criticalCpu = med((p) => {
      const ws = p.workers;
      if (p.mainCpu === undefined || ws.some((w) => w.cpuMs === undefined || w.updateCpuMs === undefined)) return undefined;
      return p.mainCpu + Math.max(...ws.map((w) => w.cpuMs!)) + Math.max(...ws.map((w) => w.updateCpuMs!));
    });
    parallelResult = {
      workers: WORKERS,
      ...summary(par, tokens),
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      profileMs: {
        total: med((p) => p.total),
        plan: med((p) => p.plan),
        waitForWorkers: med((p) => p.wait),
        reduceInWorkers: med((p) => p.sum),
        adamInWorkers: med((p) => p.adam),
        assignMainModel: med((p) => p.assign),
        mainThreadCpu: med((p) => p.mainCpu),
        perWorker: Array.from({ length: WORKERS }, (_, w) => ({
          tokens: profiles[0]?.workers[w]?.tokens,
          upload: med((p) => p.workers[w]?.uploadMs),
          forwardBackward: med((p) => p.workers[w]?.passMs),
          gradientCopy: med((p) => p.workers[w]?.copyMs),
          threadCpu: med((p) => p.workers[w]?.cpuMs),
          threadRunQueueWait: med((p) => p.workers[w]?.waitMs),
          updateThreadCpu: med((p) => p.workers[w]?.updateCpuMs),
        })),
        criticalPathCpu: criticalCpu,
      },
      targetTokensPerCriticalCpuSec: criticalCpu ? (tokens / criticalCpu) * 1000 : null,
    };
  } finally {
    await parallelTrainer.dispose();
    pModel.dispose();
  }

  const dir = mkdtempSync(join(tmpdir(), 'mass-train-bench-'));
  let torch: Record<string, unknown> = { error: 'not run' };
  try {
    const plain = Object.fromEntries(Object.entries(batch).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v]));
    const spec = join(dir, 'batch.json');
    writeFileSync(spec, JSON.stringify({ config, batch: plain, warmup: WARMUP, steps: STEPS }));
    const r = spawnSync(PYTHON, [join(ROOT, 'bench', 'train_step_torch.py'), spec], { env: { ...process.env, ...TORCH_ENV }, encoding: 'utf8' });
    if (r.status === 0) {
      const j = JSON.parse(r.stdout) as {
        ms_per_step: number[];
        cpu_ms_per_step: number[];
        peak_rss_bytes: number;
        torch: string;
        params: number;
        last_loss: number;
      };
      torch = {
        torch: j.torch,
        params: j.params,
        msPerStep: median(j.ms_per_step),
        cpuMsPerStep: median(j.cpu_ms_per_step),
        targetTokensPerSec: (tokens / median(j.ms_per_step)) * 1000,
        targetTokensPerCpuSec: (tokens / median(j.cpu_ms_per_step)) * 1000,
        peakRssBytes: j.peak_rss_bytes,
        lastLoss: j.last_loss,
      };
    } else {
      torch = { error: (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-3).join(' | ') };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const t = torch as { targetTokensPerSec?: number; targetTokensPerCpuSec?: number };
  const par = parallelResult as { targetTokensPerSec: number; targetTokensPerCriticalCpuSec: number | null };
  const result = {
    ...runHeader('train', loadBefore),
    model: { emb_dim: 256, n_heads: 4, layers: '3+3', hidden_dim: 1024, n_words: 8000, dropout: 0.1 },
    batch: { sentences: batch.bs, srcLen: batch.srcLen, span: batch.tgtLen, targetTokens: tokens, source: 'mono.en.gz, first 32 sentences of >= 30 words' },
    steps: `median of ${STEPS} after ${WARMUP} warm-up steps`,
    ours,
    parallel: parallelResult,
    webgpu,
    pytorch: torch,
    ratio: t.targetTokensPerSec ? ours.targetTokensPerSec / t.targetTokensPerSec : null,
    ratioCpu: t.targetTokensPerCpuSec ? ours.targetTokensPerCpuSec / t.targetTokensPerCpuSec : null,
    ratioParallel: t.targetTokensPerSec ? par.targetTokensPerSec / t.targetTokensPerSec : null,
    ratioParallelCriticalCpu: t.targetTokensPerCpuSec && par.targetTokensPerCriticalCpuSec ? par.targetTokensPerCriticalCpuSec / t.targetTokensPerCpuSec : null,
  };
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'train.json'), JSON.stringify(result, null, 2) + '\n');

  const row = (name: string, ms?: number, cms?: number, tps?: number, mem?: number) =>
    `${name.padEnd(26)} ${ms?.toFixed(0).padStart(8) ?? '       -'} ${cms?.toFixed(0).padStart(8) ?? '       -'} ${tps?.toFixed(0).padStart(10) ?? '         -'} ${mem ? (mem / 2 ** 20).toFixed(0).padStart(8) : '       -'}`;
  const p = torch as { msPerStep?: number; cpuMsPerStep?: number; targetTokensPerSec?: number; peakRssBytes?: number; error?: string };
  const q = parallelResult as { msPerStep: number; cpuMsPerStep: number; targetTokensPerSec: number; peakRssBytes: number; profileMs: unknown };
  console.log(
    `train step: ${tokens} target tokens, ${ours.params} parameters; load average ${loadBefore.join(' ')} → ${result.loadAverage.after.join(' ')}${result.autogroup ? ` (autogroup ${result.autogroup})` : ''}`,
  );
  console.log(`${'setup'.padEnd(26)} ${'ms/step'.padStart(8)} ${'cpu ms'.padStart(8)} ${'tok/s'.padStart(10)} ${'RSS MiB'.padStart(8)}`);
  console.log(row(`tfjs ${ours.backend}`, ours.msPerStep, ours.cpuMsPerStep, ours.targetTokensPerSec, ours.peakRssBytes));
  console.log(row(`tfjs ${ours.backend} ×${WORKERS} workers`, q.msPerStep, q.cpuMsPerStep, q.targetTokensPerSec, q.peakRssBytes));
  const g = webgpu as {
    adapter?: string;
    msPerStep?: number;
    cpuMsPerStep?: number;
    targetTokensPerSec?: number;
    maxLossDiffVsWasm?: number | null;
    error?: string;
  };
  console.log(row(`tfjs webgpu`, g.msPerStep, g.cpuMsPerStep, g.targetTokensPerSec));
  console.log(g.error ? `webgpu not run: ${g.error}` : `webgpu on ${g.adapter}; losses differ from wasm's by at most ${g.maxLossDiffVsWasm?.toExponential(2)}`);
  console.log(row('pytorch 1 thread', p.msPerStep, p.cpuMsPerStep, p.targetTokensPerSec, p.peakRssBytes));
  if (p.error) console.log(`pytorch failed: ${p.error}`);
  console.log(`wasm heap (peak, never shrinks): ${(ours.peakWasmHeapBytes / 2 ** 20).toFixed(0)} MiB`);
  console.log(`parallel step profile (ms, median): ${JSON.stringify(q.profileMs)}`);
  if (result.ratio) {
    console.log(`ratio (ours / pytorch): single thread ${result.ratio.toFixed(2)} wall, ${result.ratioCpu!.toFixed(2)} cpu time`);
    console.log(
      `ratio (${WORKERS} workers / pytorch): ${result.ratioParallel!.toFixed(2)} wall, ${result.ratioParallelCriticalCpu?.toFixed(2) ?? '-'} on the threads' critical-path CPU time`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
