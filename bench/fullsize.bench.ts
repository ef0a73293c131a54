/**
 * Full-size inference on a CPU (issue 17, item 5): the published mass_enfr_1024 shape (emb 1024,
 * 8 heads, 6+6 layers, 64k words, 315M parameters; random weights made by the reference code,
 * scripts/fixtures/make_fullsize_standin.py) — `mass import` time and peak RSS, `mass translate` peak
 * RSS (greedy, beam 5), and the latency of one 20-word English sentence (valid.en) on the wasm backend
 * against the reference's own generate / generate_beam in PyTorch with 1 and 2 threads on the same
 * weights (bench/fullsize_torch.py), with the outputs compared token for token.
 *
 * Cases: 'greedy' as `mass translate` decodes (random weights predict </s> at once: encoder + one
 * step), 'greedy-fixed' with </s> banned until max_len (--min_len; a full-length output, the work of a
 * real translation), 'beam5' (length penalty 1, no early stopping: the translate defaults).
 *
 * Run: npm run build && node --import tsx bench/fullsize.bench.ts  →  bench/results/fullsize.json
 * Needs the stand-in in MASS_FULLSIZE_DIR (default /tmp/fullsize; skipped with how to make it when
 * absent), microsoft/MASS's MASS-unsupNMT in MASS_REF_SRC (default /tmp/massref/MASS-unsupNMT),
 * MASS_BENCH_PYTHON (default /usr/bin/python3, Debian's python3-torch), /usr/bin/time for peak RSS.
 * MASS_BENCH_QUICK=1: one round, no warm-up, PyTorch 1 thread only; results go to
 * MASS_FULLSIZE_DIR/fullsize.quick.json, never to bench/results (a check that the bench runs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { initBackend } from '../server/src/engine/backend/selectBackend.js';
import { openCheckpointModel } from '../server/src/engine/checkpoint/safetensorsCheckpoint.js';
import { beamSearch } from '../server/src/engine/generate/beamSearch.js';
import { generateGreedy } from '../server/src/engine/generate/greedy.js';
import { InferenceWeights } from '../server/src/engine/generate/inferenceWeights.js';
import type { SourceBatch } from '../server/src/engine/generate/source.js';
import { TextCodec, codesFromText, vocabularyFromText } from '../server/src/engine/generate/textCodec.js';

const ROOT = resolve(import.meta.dirname, '..');
const DIR = process.env.MASS_FULLSIZE_DIR ?? '/tmp/fullsize';
const REF_SRC = process.env.MASS_REF_SRC ?? '/tmp/massref/MASS-unsupNMT';
const PYTHON = process.env.MASS_BENCH_PYTHON ?? '/usr/bin/python3';
const QUICK = !!process.env.MASS_BENCH_QUICK;
const PTH = join(DIR, 'mass_enfr_1024_standin.pth');
const MODEL = join(DIR, 'standin.safetensors');
const CLI = join(ROOT, 'dist', 'cli.js');
const EN = 0;
const FR = 1;
const ROUNDS = QUICK ? 1 : 5;
const WARMUP = QUICK ? 0 : 1;
const THREADS = QUICK ? [1] : [1, 2];
const CASES = [
  { name: 'greedy', beam: 1, banEos: false },
  { name: 'greedy-fixed', beam: 1, banEos: true },
  { name: 'beam5', beam: 5, banEos: false },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs a command under /usr/bin/time: its peak RSS (MB), wall seconds and output. */
function timed(cmd: string[], input?: string): { rssMb: number; seconds: number; stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', '%M %e', ...cmd], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [kb, s] = last.split(' ').map(Number);
  if (r.status !== 0 || !Number.isFinite(kb)) throw new Error(`${cmd.join(' ')} failed (${r.status}): ${r.stderr.slice(-500)}`);
  return { rssMb: kb! / 1024, seconds: s!, stdout: r.stdout };
}

/** What else used the CPU when the bench started (the figures are only comparable on a quiet machine). */
function busyProcesses(): string[] {
  const r = spawnSync('ps', ['-eo', 'pid,pcpu,rss,args', '--sort=-pcpu'], { encoding: 'utf8' });
  return (r.stdout ?? '')
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 4 && Number(f[0]) !== process.pid && parseFloat(f[1]!) >= 5)
    .slice(0, 5)
    .map((f) => `${f[1]}% CPU, ${(Number(f[2]) / 1024).toFixed(0)} MB: ${f.slice(3).join(' ').slice(0, 100)}`);
}

function sentence20(): string {
  const text = gunzipSync(readFileSync(join(ROOT, 'data', 'corpora', 'en-fr', 'valid.en.gz'))).toString('utf8');
  const line = text.split('\n').find((l) => l.trim().split(/\s+/).length === 20);
  if (!line) throw new Error('no 20-word line in valid.en.gz');
  return line.trim();
}

interface TorchAnswer {
  torch: string;
  threads: number;
  loadSeconds: number;
  maxRssKb: number;
  results: { name: string; outputs: number[][]; ms: number[][] }[];
  encoderOutput0: number[];
}

async function main(): Promise<void> {
  if (!existsSync(PTH)) {
    console.log(
      `fullsize bench skipped: ${PTH} is absent. Make the stand-in (1.3 GB) with\n` +
        `  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 scripts/fixtures/make_fullsize_standin.py ${REF_SRC} ${DIR}\n` +
        `(microsoft/MASS's MASS-unsupNMT in ${REF_SRC}; set MASS_FULLSIZE_DIR / MASS_REF_SRC to use other folders).`,
    );
    return;
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} is absent: run npm run build first`);
  const loadBefore = loadavg()[0];
  const busy = busyProcesses();

  // 1. mass import, and mass translate as a user runs it (fresh process: load + translate), peak RSS.
  const imported = timed([process.execPath, CLI, 'import', PTH, '--codes', join(DIR, 'codes'), '--vocab', join(DIR, 'vocab'), '--out', MODEL]);
  const line = sentence20();
  const cli = Object.fromEntries(
    [1, 5].map((beam) => {
      const r = timed([process.execPath, CLI, 'translate', '--model', MODEL, '--src', 'en', '--tgt', 'fr', '--beam', String(beam), '--quiet'], line + '\n');
      return [beam === 1 ? 'greedy' : 'beam5', { peakRssMb: r.rssMb, seconds: r.seconds, output: r.stdout.trim() }];
    }),
  );

  // 2. Latency in one process (the model loaded once, as the daemon keeps it): the engine API.
  const backend = await initBackend('wasm');
  const t0 = performance.now();
  const { meta, model } = openCheckpointModel(MODEL);
  const { dictionary, bpeVocab } = vocabularyFromText(meta.vocab, MODEL, {});
  const codec = new TextCodec(dictionary, codesFromText(meta.codes, MODEL), bpeVocab);
  const weights = InferenceWeights.build(model, FR);
  const loadMs = performance.now() - t0;
  const ids = Array.from(codec.encode(line, 'en'));
  const row = Int32Array.from([1, ...ids, 1]);
  const src: SourceBatch = { bs: 1, len: row.length, tokens: row, lengths: Int32Array.of(row.length), langs: new Int32Array(row.length).fill(EN) };
  const maxLen = Math.floor(1.5 * row.length + 10);
  const run = (c: (typeof CASES)[number]) => {
    const opts = { weights, minLen: c.banEos ? maxLen - 2 : 0 };
    const t = performance.now();
    const out = c.beam === 1 ? generateGreedy(model, src, FR, maxLen, opts).ids[0]! : beamSearch(model, src, FR, maxLen, { ...opts, beamSize: c.beam }).ids[0]!;
    return { ms: performance.now() - t, output: Array.from(out) };
  };
  const ours = CASES.map((c) => {
    for (let i = 0; i < WARMUP; i++) run(c);
    const runs = Array.from({ length: ROUNDS }, () => run(c));
    return { case: c.name, ms: runs.map((r) => r.ms), output: runs[0]!.output };
  });
  const oursRssMb = process.resourceUsage().maxRSS / 1024;
  weights.dispose();
  model.dispose();

  // 3. The reference in PyTorch, same weights (the .pth), same source ids, 1 and 2 threads.
  const spec = join(DIR, 'fullsize.spec.json');
  writeFileSync(spec, JSON.stringify({ srcLang: EN, tgtLang: FR, rounds: ROUNDS, warmup: WARMUP, sentences: [ids], cases: CASES }));
  const torch: Record<string, TorchAnswer | { error: string }> = {};
  for (const n of THREADS) {
    const r = spawnSync(PYTHON, [join(ROOT, 'bench', 'fullsize_torch.py'), REF_SRC, PTH, spec, String(n)], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      // Debian's torch with its pthread OpenBLAS; the slow-kernel overrides of this machine unset.
      env: { ...process.env, OPENBLAS_CORETYPE: undefined, OPENBLAS_L2_SIZE: undefined, OMP_NUM_THREADS: String(n), OPENBLAS_NUM_THREADS: String(n) },
    });
    torch[`${n}thread`] = r.status === 0 ? (JSON.parse(r.stdout) as TorchAnswer) : { error: r.stderr.trim().split('\n').slice(-3).join(' | ') };
  }

  type TorchCase = { ms: number; sameOutput: boolean; speedupVsOurs: number } | { error: string };
  const results = ours.map((o) => {
    const byThreads: Record<string, TorchCase> = Object.fromEntries(
      Object.entries(torch).map(([k, t]): [string, TorchCase] => {
        if ('error' in t) return [k, t];
        const res = t.results.find((x) => x.name === o.case)!;
        const ms = median(res.ms[0]!);
        return [k, { ms, sameOutput: JSON.stringify(res.outputs[0]) === JSON.stringify(o.output), speedupVsOurs: ms / median(o.ms) }];
      }),
    );
    return { case: o.case, outputTokens: o.output.length, oursMs: median(o.ms), oursRuns: o.ms, torch: byThreads };
  });
  const first = Object.values(torch).find((t): t is TorchAnswer => !('error' in t));
  let encoderMaxDiff: number | undefined;
  if (first) {
    const m = openCheckpointModel(MODEL);
    const w = InferenceWeights.build(m.model, FR);
    const { encodeFast } = await import('../server/src/engine/generate/fastEncoder.js');
    const enc = encodeFast(m.model, w, src);
    const got = enc.dataSync();
    enc.dispose();
    w.dispose();
    m.model.dispose();
    encoderMaxDiff = Math.max(...first.encoderOutput0.map((v, k) => Math.abs(v - got[k]!)));
  }

  const out = {
    bench: 'fullsize',
    quick: QUICK,
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGb: totalmem() / 2 ** 30,
    loadAverage: { before: loadBefore, after: loadavg()[0] },
    otherProcesses: busy,
    backend: { name: backend.name, simd: backend.simd },
    model: { ...meta.model, parameters: model.parameterCount(), file: MODEL },
    sentence: { text: line, bpeTokens: ids.length, maxLen },
    import: { seconds: imported.seconds, peakRssMb: imported.rssMb },
    translateCli: cli,
    ours: { loadMs, peakRssMb: oursRssMb },
    torch: Object.fromEntries(
      Object.entries(torch).map(([k, t]) => [
        k,
        'error' in t ? t : { version: t.torch, threads: t.threads, loadSeconds: t.loadSeconds, peakRssMb: t.maxRssKb / 1024 },
      ]),
    ),
    encoderMaxDiff,
    method:
      `batch 1; ${WARMUP} warm-up and ${ROUNDS} timed runs per case, medians; ours: wasm backend, model loaded once (openCheckpointModel + InferenceWeights), ` +
      `greedy/beam from the engine API; PyTorch: the reference's TransformerModel.generate / generate_beam (bench/fullsize_torch.py), OMP/OpenBLAS threads as named; ` +
      `peak RSS of import and translate from /usr/bin/time (fresh processes), of PyTorch from ru_maxrss (torch.load of the .pth included)`,
    goals: 'peak RSS <= 2.5 GB (import, translate); greedy no slower than PyTorch (speedupVsOurs >= 1)',
    results,
  };
  const file = QUICK ? join(DIR, 'fullsize.quick.json') : join(ROOT, 'bench', 'results', 'fullsize.json');
  if (!QUICK) mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');

  const f = (x: number) => x.toFixed(0);
  console.log(
    `fullsize bench${QUICK ? ' (QUICK: not a measurement)' : ''}: ${out.cpu}, ${out.cores} cores, load ${loadBefore.toFixed(1)}${busy.length ? `; busy: ${busy.join(' / ')}` : ''}`,
  );
  console.log(
    `import ${imported.seconds.toFixed(1)} s, peak RSS ${f(imported.rssMb)} MB; translate peak RSS greedy ${f(cli.greedy!.peakRssMb)} MB, beam 5 ${f(cli.beam5!.peakRssMb)} MB`,
  );
  console.log(`encoder output vs reference: max diff ${encoderMaxDiff?.toExponential(2) ?? '-'}`);
  for (const r of results) {
    const t = Object.entries(r.torch)
      .map(([k, v]) =>
        'error' in v ? `${k}: ${v.error}` : `${k} ${f(v.ms)} ms (${v.speedupVsOurs.toFixed(2)}x, ${v.sameOutput ? 'same output' : 'DIFFERENT output'})`,
      )
      .join('; ');
    console.log(`${r.case.padEnd(13)} ours ${f(r.oursMs)} ms, ${r.outputTokens} tokens; torch ${t}`);
  }
  console.log(`results: ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
