/**
 * Decoding speed: greedy and beam-5 translation of 20-token sentences into exactly 32 tokens (</s> is
 * banned until max_len, as a speed bench should), at batch 1 (latency) and batch 16 (sentences/s), on
 * the wasm backend — our host-kernel decoder ('fast') and the model's own decodeStep ('cached') — and
 * the same decoding in PyTorch with the same weights (bench/decode_torch.py), in one run.
 * Model: emb 256, 4 heads, 3+3 layers, FFN 1024, vocabulary 8000 (random init: speed does not depend
 * on the values). Sources: real English sentences (valid.en) over a whitespace vocabulary.
 * webgpu: the same cases decoded on the adapter Dawn offers (the model's own cache, scores read back
 * asynchronously), WEBGPU_RUNS runs each after one warm-up, with their agreement with wasm's output. On
 * Mesa's software adapter (llvmpipe) that checks correctness, not speed: one run per case (measured
 * with MASS_BENCH_QUICK=1 on 2 busy cores: batch1-greedy 36 s, the same words as wasm).
 * Run: node --import tsx bench/decode.bench.ts  →  bench/results/decode.json
 * BENCH_ONLY=webgpu: the webgpu cases beside wasm's alone → bench/results/decode-webgpu.json.
 * (MASS_BENCH_PYTHON: the Python with torch, default /usr/bin/python3; MASS_BENCH_QUICK=1: one small case.)
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { initBackend } from '../server/src/engine/backend/selectBackend.js';
import { beamSearch, beamSearchAsync } from '../server/src/engine/generate/beamSearch.js';
import { generateGreedy, generateGreedyAsync } from '../server/src/engine/generate/greedy.js';
import { InferenceWeights } from '../server/src/engine/generate/inferenceWeights.js';
import type { SourceBatch } from '../server/src/engine/generate/source.js';
import type { DecoderKind } from '../server/src/engine/generate/startDecoder.js';
import { makeModelConfig } from '../server/src/engine/model/config.js';
import { MassModel } from '../server/src/engine/model/model.js';
import { writeSafetensors } from '../server/src/engine/model/safetensors.js';
import { readSentences, whitespaceVocab } from '../test/helpers/massBatch.js';
import { loadAverage, runHeader } from './runHeader.js';

const ROOT = resolve(import.meta.dirname, '..');
const CORPORA = join(ROOT, 'data', 'corpora', 'en-fr');
const SRC_WORDS = 20;
const OUT_WORDS = 32;
const MAX_LEN = OUT_WORDS + 2;
const EN = 0;
const FR = 1;

interface Case {
  name: string;
  bs: number;
  beam: number;
  /** Interleaved rounds (one wasm run and one PyTorch run each). */
  rounds: number;
}
const CASES: Case[] = process.env.MASS_BENCH_QUICK
  ? [{ name: 'batch1-greedy', bs: 1, beam: 1, rounds: 2 }]
  : [
      { name: 'batch1-greedy', bs: 1, beam: 1, rounds: 15 },
      { name: 'batch1-beam5', bs: 1, beam: 5, rounds: 10 },
      { name: 'batch16-greedy', bs: 16, beam: 1, rounds: 8 },
      { name: 'batch16-beam5', bs: 16, beam: 5, rounds: 4 },
    ];
const WARMUP = 2;
/** Runs of the model's own decodeStep ('cached'), for scale (slow: not interleaved). */
const CACHED_RUNS = 2;
const WEBGPU_RUNS = 2;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs: number[]) => Math.min(...xs);

function sourceBatch(rows: number[][]): SourceBatch {
  const len = SRC_WORDS + 2;
  const tokens = new Int32Array(rows.length * len);
  rows.forEach((r, b) => tokens.set([1, ...r, 1], b * len));
  return { bs: rows.length, len, tokens, lengths: new Int32Array(rows.length).fill(len), langs: new Int32Array(rows.length * len).fill(EN) };
}

interface Run {
  ms: number;
  cpuMs: number;
  output: number[][];
}

function runWasm(model: MassModel, src: SourceBatch, c: Case, decoder: DecoderKind, weights?: InferenceWeights): Run {
  const opts = { minLen: OUT_WORDS, decoder, weights };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const ids = c.beam === 1 ? generateGreedy(model, src, FR, MAX_LEN, opts).ids : beamSearch(model, src, FR, MAX_LEN, { ...opts, beamSize: c.beam }).ids;
  const cpu = process.cpuUsage(c0);
  const ms = performance.now() - t0;
  for (const o of ids) if (o.length !== OUT_WORDS) throw new Error(`output of ${o.length} words, expected ${OUT_WORDS}`);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, output: ids.map((o) => Array.from(o)) };
}

async function runWebgpu(model: MassModel, src: SourceBatch, c: Case): Promise<Run> {
  const opts = { minLen: OUT_WORDS };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const ids =
    c.beam === 1
      ? (await generateGreedyAsync(model, src, FR, MAX_LEN, opts)).ids
      : (await beamSearchAsync(model, src, FR, MAX_LEN, { ...opts, beamSize: c.beam })).ids;
  const cpu = process.cpuUsage(c0);
  const ms = performance.now() - t0;
  for (const o of ids) if (o.length !== OUT_WORDS) throw new Error(`output of ${o.length} words, expected ${OUT_WORDS}`);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, output: ids.map((o) => Array.from(o)) };
}

/**
 * BENCH_ONLY=webgpu: every case on webgpu beside wasm's fast decoder in the same run (wasm: median of 3
 * after 1 warm-up) → bench/results/decode-webgpu.json. On a software adapter this records that the
 * outputs are wasm's, word for word, and what llvmpipe costs; not GPU speed.
 */
async function webgpuOnly(config: ReturnType<typeof makeModelConfig>, model: MassModel, weights: InferenceWeights, sources: Record<string, SourceBatch>) {
  const loadBefore = loadAverage();
  const wasm: { case: string; ms: ReturnType<typeof stats>; sentencesPerSec: number }[] = [];
  const wasmOutput = new Map<string, number[][]>();
  for (const c of CASES) {
    runWasm(model, sources[c.name], c, 'fast', weights);
    const runs = [0, 1, 2].map(() => runWasm(model, sources[c.name], c, 'fast', weights));
    wasmOutput.set(c.name, runs[0]!.output);
    wasm.push({ case: c.name, ms: stats(runs.map((r) => r.ms)), sentencesPerSec: (1000 * c.bs) / median(runs.map((r) => r.ms)) });
  }
  const webgpu = await webgpuCases(config, new Map(await model.stateDictValues()), sources, wasmOutput);
  const out = {
    ...runHeader('decode-webgpu', loadBefore),
    model: { emb_dim: 256, n_heads: 4, layers: '3+3', ffn: 1024, n_words: 8000, parameters: model.parameterCount() },
    task: `${SRC_WORDS}-token source → ${OUT_WORDS}-token output (</s> banned until max_len ${MAX_LEN}), encoder included`,
    wasm,
    webgpu,
    /** webgpu's sentences/s over wasm's, per case, in this run. */
    ratioWebgpuOverWasm: webgpu.cases?.map((g, i) => ({ case: g.case, ratio: g.sentencesPerSec / wasm[i]!.sentencesPerSec })) ?? null,
  };
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'decode-webgpu.json'), JSON.stringify(out, null, 2) + '\n');
  console.log(JSON.stringify(out, null, 2));
  weights.dispose();
  model.dispose();
}

/** Every case on webgpu, against wasm's outputs (`wasmOutput` by case); an error when no adapter is there. */
async function webgpuCases(
  config: ReturnType<typeof makeModelConfig>,
  state: Map<string, { shape: number[]; data: Float32Array }>,
  sources: Record<string, SourceBatch>,
  wasmOutput: Map<string, number[][]>,
) {
  let info;
  try {
    info = await initBackend('webgpu');
  } catch (e) {
    return { error: (e as Error).message };
  }
  const model = MassModel.fromStateDict(config, (n) => state.get(n), 'the bench model');
  try {
    // a software adapter (seconds per step) checks correctness: one run per case, no warm-up
    const software = info.adapter?.includes('software') ?? false;
    const cases = [];
    for (const c of CASES) {
      if (!software) await runWebgpu(model, sources[c.name], c);
      const runs: Run[] = [];
      for (let i = 0; i < (software ? 1 : WEBGPU_RUNS); i++) runs.push(await runWebgpu(model, sources[c.name], c));
      const ms = median(runs.map((r) => r.ms));
      cases.push({
        case: c.name,
        ms: stats(runs.map((r) => r.ms)),
        sentencesPerSec: (1000 * c.bs) / ms,
        sameOutputAsWasm: agreement(runs[0].output, wasmOutput.get(c.name)!),
      });
    }
    return { adapter: info.adapter, runs: software ? '1 run, no warm-up (software adapter)' : `median of ${WEBGPU_RUNS} after 1 warm-up`, cases };
  } finally {
    model.dispose();
    await initBackend('wasm');
  }
}

/** bench/decode_torch.py as a server: one request line in, one result line out. */
class TorchServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private waiting: ((line: string) => void)[] = [];
  private stderr = '';
  private exited: string | undefined;

  constructor(specFile: string) {
    this.child = spawn(process.env.MASS_BENCH_PYTHON ?? '/usr/bin/python3', [join(ROOT, 'bench', 'decode_torch.py'), specFile], {
      env: { ...process.env, LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/openblas-pthread', OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
    });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.buffer += d;
      for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.waiting.shift()?.(line);
      }
    });
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.child.stdin.on('error', (e) => this.fail(e.message));
    this.child.on('error', (e) => this.fail(e.message));
    this.child.on('close', (code) => this.fail(`exited with ${code}: ${this.stderr.trim().split('\n').slice(-2).join(' | ')}`));
  }

  private fail(why: string): void {
    this.exited ??= why;
    for (const w of this.waiting.splice(0)) w(JSON.stringify({ error: why }));
  }

  private next(): Promise<Record<string, unknown>> {
    if (this.exited) return Promise.resolve({ error: this.exited });
    return new Promise((resolve) => this.waiting.push((line) => resolve(JSON.parse(line) as Record<string, unknown>)));
  }

  ready(): Promise<Record<string, unknown>> {
    return this.next();
  }

  async run(name: string): Promise<Run> {
    const answer = this.next();
    this.child.stdin.write(JSON.stringify({ case: name, output: true }) + '\n');
    const r = await answer;
    if (r.error) throw new Error(`PyTorch: ${r.error}`);
    return r as unknown as Run;
  }

  close(): void {
    this.child.stdin.end();
  }
}

/** Fraction of rows with the same output token for token. */
function agreement(a: number[][], b: number[][]): number {
  let same = 0;
  a.forEach((row, i) => (same += row.join(' ') === b[i].join(' ') ? 1 : 0));
  return same / a.length;
}

const stats = (xs: number[]) => ({ median: median(xs), min: min(xs) });

async function main(): Promise<void> {
  const backend = await initBackend('wasm');
  const config = makeModelConfig({
    emb_dim: 256,
    n_heads: 4,
    n_layers: 3,
    n_dec_layers: 3,
    hidden_dim: 1024,
    n_words: 8000,
    n_langs: 2,
    id2lang: { 0: 'en', 1: 'fr' },
  });
  const model = MassModel.init(config, 2024);
  const sentences = await readSentences(join(CORPORA, 'valid.en.gz'), 16, SRC_WORDS, 200);
  const vocab = whitespaceVocab(sentences, config.n_words);
  const rows = sentences.map((s) => s.slice(0, SRC_WORDS).map((w) => vocab.id(w)));
  const sources: Record<string, SourceBatch> = Object.fromEntries(CASES.map((c) => [c.name, sourceBatch(rows.slice(0, c.bs))]));

  const t0 = performance.now();
  const weights = InferenceWeights.build(model, FR);
  const buildMs = performance.now() - t0;
  if (process.env.BENCH_ONLY === 'webgpu') {
    await webgpuOnly(config, model, weights, sources);
    return;
  }

  const dir = mkdtempSync(join(tmpdir(), 'mass-decode-bench-'));
  const weightsFile = join(dir, 'weights.safetensors');
  const state = await model.stateDictValues();
  await writeSafetensors(weightsFile, state);
  const specFile = join(dir, 'spec.json');
  writeFileSync(
    specFile,
    JSON.stringify({
      weights: weightsFile,
      config,
      cases: CASES.map((c) => {
        const s = sources[c.name];
        return {
          name: c.name,
          bs: s.bs,
          len: s.len,
          tokens: Array.from(s.tokens),
          lengths: Array.from(s.lengths),
          srcLang: EN,
          tgtLang: FR,
          maxLen: MAX_LEN,
          beam: c.beam,
        };
      }),
    }),
  );
  const torch = new TorchServer(specFile);
  const hello = await torch.ready();
  const torchError = hello.error as string | undefined;
  const loadBefore = loadavg()[0];

  const results = [];
  const wasmOutput = new Map<string, number[][]>();
  let webgpu: Awaited<ReturnType<typeof webgpuCases>> | undefined;
  try {
    for (const c of CASES) {
      const src = sources[c.name];
      const fast: Run[] = [];
      const pt: Run[] = [];
      for (let i = 0; i < WARMUP; i++) {
        runWasm(model, src, c, 'fast', weights);
        if (!torchError) await torch.run(c.name);
      }
      for (let i = 0; i < c.rounds; i++) {
        fast.push(runWasm(model, src, c, 'fast', weights));
        if (!torchError) pt.push(await torch.run(c.name));
      }
      const cached = Array.from({ length: CACHED_RUNS }, () => runWasm(model, src, c, 'cached'));
      wasmOutput.set(c.name, fast[0].output);
      const ratios = pt.map((t, i) => t.ms / fast[i].ms);
      const cpuRatios = pt.map((t, i) => t.cpuMs / fast[i].cpuMs);
      const perSec = (ms: number) => (1000 * c.bs) / ms;
      results.push({
        case: c.name,
        bs: c.bs,
        beam: c.beam,
        outputTokens: OUT_WORDS,
        rounds: c.rounds,
        wasmFastMs: stats(fast.map((r) => r.ms)),
        wasmFastCpuMs: stats(fast.map((r) => r.cpuMs)),
        wasmCachedMs: stats(cached.map((r) => r.ms)),
        torchMs: pt.length ? stats(pt.map((r) => r.ms)) : undefined,
        torchCpuMs: pt.length ? stats(pt.map((r) => r.cpuMs)) : undefined,
        sentencesPerSec: {
          wasmFast: perSec(median(fast.map((r) => r.ms))),
          wasmCached: perSec(median(cached.map((r) => r.ms))),
          torch: pt.length ? perSec(median(pt.map((r) => r.ms))) : undefined,
        },
        /** Median over rounds of PyTorch time / wasm time (> 1: wasm is faster), wall clock and CPU time. */
        speedupVsTorch: pt.length ? median(ratios) : undefined,
        speedupVsTorchCpu: pt.length ? median(cpuRatios) : undefined,
        speedupVsCached: median(cached.map((r) => r.ms)) / median(fast.map((r) => r.ms)),
        sameOutputAsTorch: pt.length ? agreement(fast[0].output, pt[0].output) : undefined,
      });
    }
    webgpu = await webgpuCases(config, new Map(state), sources, wasmOutput);
  } finally {
    torch.close();
    weights.dispose();
    rmSync(dir, { recursive: true, force: true });
  }

  const out = {
    bench: 'decode',
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    loadAverage: { before: loadBefore, after: loadavg()[0] },
    backend: { name: backend.name, simd: backend.simd },
    torch: (hello.torch as string | undefined) ?? null,
    torchError,
    model: { emb_dim: 256, n_heads: 4, layers: '3+3', ffn: 1024, n_words: 8000, parameters: model.parameterCount() },
    task: `${SRC_WORDS}-token source → ${OUT_WORDS}-token output (</s> banned until max_len ${MAX_LEN}), encoder included`,
    method:
      `wasm and PyTorch runs interleaved (one each per round, after ${WARMUP} warm-up rounds) so both see the same machine load; ` +
      `ratios are medians of per-round ratios; fast-decoder weights built once (${buildMs.toFixed(0)} ms), as a loaded Translator does; ` +
      `PyTorch: 1 thread, OpenBLAS`,
    goals: 'batch 1: wasm ahead of PyTorch (speedupVsTorch > 1); batch 16: within 1.5x (speedupVsTorch >= 0.67)',
    results,
    webgpu,
  };
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'decode.json'), JSON.stringify(out, null, 2) + '\n');

  const fmt = (x?: number) => (x === undefined ? '-' : x.toFixed(1));
  const ratio = (x?: number) => (x === undefined ? '-' : x.toFixed(2) + 'x');
  console.log(`decode bench (${out.cpu}, wasm SIMD ${backend.simd}, torch ${out.torch ?? `unavailable: ${torchError}`}, load ${loadBefore.toFixed(1)})`);
  console.log('case              wasm fast ms  wasm cached ms  torch ms  sent/s wasm  sent/s torch  torch/wasm  (cpu)  same-as-torch');
  for (const r of results) {
    console.log(
      `${r.case.padEnd(17)} ${fmt(r.wasmFastMs.median).padStart(12)} ${fmt(r.wasmCachedMs.median).padStart(15)} ${fmt(r.torchMs?.median).padStart(9)} ${fmt(r.sentencesPerSec.wasmFast).padStart(12)} ${fmt(r.sentencesPerSec.torch).padStart(13)} ${ratio(r.speedupVsTorch).padStart(11)} ${ratio(r.speedupVsTorchCpu).padStart(6)}  ${r.sameOutputAsTorch === undefined ? '-' : (100 * r.sameOutputAsTorch).toFixed(0) + '%'}`,
    );
  }
  if (webgpu?.cases) {
    console.log(`webgpu on ${webgpu.adapter}:`);
    for (const r of webgpu.cases)
      console.log(
        `${r.case.padEnd(17)} ${fmt(r.ms.median).padStart(12)} ms  ${fmt(r.sentencesPerSec).padStart(8)} sent/s  same as wasm ${(100 * r.sameOutputAsWasm).toFixed(0)}%`,
      );
  } else {
    console.log(`webgpu not run: ${webgpu?.error}`);
  }
  model.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
