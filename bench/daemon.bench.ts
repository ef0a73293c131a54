/**
 * Responsiveness of the daemon (the real one, spawned over stdio, with a JSON-RPC client):
 * - mass/translate of one real sentence while a pre-training job runs (live weights), against the
 *   same request on an idle daemon (a loaded checkpoint);
 * - mass/status while training;
 * - textDocument/hover and completion while a 200,000-line corpus is being checked (mass/analyseCorpus).
 * Round-trip times, p50/p95/max over sequential requests, and the words each translation produced
 * (its decoding length). The model is the bundled sample config's size (emb_dim 128, 2+2 layers) on
 * real en/fr text, after 40 updates, on whatever backend `auto` picks.
 * Run: node --import tsx bench/daemon.bench.ts [requests] [requests while training]  →  bench/results/daemon.json
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DaemonClient, fileUri } from '../test/helpers/daemonClient.js';
import { readLines } from '../server/src/engine/text/corpusReader.js';
import type { JobStarted, StopResult, TrainingProgress } from '../server/src/protocol.js';

const ROOT = resolve(import.meta.dirname, '..');
const CORPORA = join(ROOT, 'data', 'corpora', 'en-fr');
const N = Number(process.argv[2] ?? 40);
/**
 * Requests while training: each translation waits at most for the update in progress, then decodes
 * from a snapshot of the live weights: the worst case is about one update plus the decoding.
 */
const N_TRAINING = Number(process.argv[3] ?? 40);

async function lines(file: string, n: number, skip = 0): Promise<string[]> {
  const out: string[] = [];
  let i = 0;
  for await (const { text } of readLines(join(CORPORA, file))) {
    if (!text.trim() || i++ < skip) continue;
    out.push(text);
    if (out.length >= n) break;
  }
  return out;
}

interface Stats {
  what: string;
  n: number;
  p50: number;
  p95: number;
  max: number;
}

function stats(what: string, ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))]!;
  return { what, n: s.length, p50: +q(0.5).toFixed(1), p95: +q(0.95).toFixed(1), max: +s[s.length - 1]!.toFixed(1) };
}

const t0 = performance.now();
function stage(what: string): void {
  process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1)}s] ${what}\n`);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main(): Promise<void> {
  const loadAtStart = +loadavg()[0]!.toFixed(2);
  const ws = mkdtempSync(join(tmpdir(), 'mass-bench-daemon-'));
  const results: Stats[] = [];
  let client: DaemonClient | undefined;
  try {
    writeFileSync(join(ws, 'mono.en'), (await lines('mono.en.gz', 6000)).join('\n') + '\n');
    writeFileSync(join(ws, 'mono.fr'), (await lines('mono.fr.gz', 6000)).join('\n') + '\n');
    const config = join(ws, 'mass.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        lgs: 'en-fr',
        data_path: './data/processed',
        dump_path: './dumped',
        corpora: { mono: { en: ['mono.en'], fr: ['mono.fr'] }, valid_size: 200 },
        bpe: { codes: 2000 },
        mass_steps: 'en,fr',
        emb_dim: 128,
        n_layers: 2,
        n_dec_layers: 2,
        n_heads: 4,
        tokens_per_batch: 1500,
        // a short warm-up: after a few dozen updates the model emits words (not just </s>), so the
        // translations below decode for several steps, as real ones do
        optimizer: 'adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.001,warmup_updates=10',
        epoch_size: 100000,
        max_epoch: 1000,
        max_len: 100,
        log_every: 1,
      }),
    );
    const sentences = (await lines('valid.en.gz', 4 * N, 100)).filter((l) => l.split(' ').length >= 5 && l.split(' ').length <= 15).slice(0, N);
    client = await DaemonClient.start(ws);
    const c = client;

    // ---- while training
    stage('pre-training (preprocessing first)');
    const { job } = (await c.connection.sendRequest('mass/pretrain', { config })) as JobStarted;
    const progress = () => c.notifications.filter((n) => n.method === 'mass/trainingProgress').map((n) => n.params as TrainingProgress);
    await c.waitFor('training to report progress', () => progress().filter((p) => p.jobId === job.id && p.step >= 40).length > 0, 900_000);
    const warm = progress().slice(2);
    const alone = (warm.at(-1)!.step - warm[0]!.step) / Math.max(1e-3, warm.at(-1)!.elapsedSeconds - warm[0]!.elapsedSeconds);
    const stepBefore = progress().at(-1)!;
    stage(`training at ${alone.toFixed(2)} updates/s; translating`);
    const during: number[] = [];
    let live = true;
    const wordsOut: number[] = [];
    for (const s of sentences.slice(0, N_TRAINING)) {
      during.push(
        await timed(async () => {
          const r = (await c.connection.sendRequest('mass/translate', { text: [s], src: 'en', tgt: 'fr' })) as { live: boolean; translations: string[] };
          live &&= r.live;
          wordsOut.push(r.translations[0]!.split(/\s+/).filter(Boolean).length);
        }),
      );
    }
    if (!live) throw new Error('translations did not come from the live model');
    results.push(stats('translate 1 sentence, while training (live weights)', during));
    stage('status requests');
    const status: number[] = [];
    for (let i = 0; i < 4 * N_TRAINING; i++) status.push(await timed(() => c.connection.sendRequest('mass/status')));
    results.push(stats('status, while training', status));
    // the training rate over the measured stretch, translations included, up to the first progress
    // report after it (a stretch shorter than one update would otherwise show no update at all)
    const stretchUpdates = progress().at(-1)!.step - stepBefore.step;
    const stepAfter = await c.waitFor(
      'a progress report after the measured stretch',
      () =>
        progress()
          .filter((p) => p.step > stepBefore.step + stretchUpdates)
          .at(0),
      120_000,
    );
    const updatesPerSecond = (stepAfter.step - stepBefore.step) / Math.max(1e-3, stepAfter.elapsedSeconds - stepBefore.elapsedSeconds);
    stage('stopping');
    const stopped = (await c.connection.sendRequest('mass/stopTraining', {})) as StopResult;
    stage(`stopped: ${stopped.checkpoint}`);

    // ---- idle, same model from its checkpoint
    await c.connection.sendRequest('mass/loadCheckpoint', { path: stopped.checkpoint });
    stage('translating, idle');
    const idle: number[] = [];
    const idleWords: number[] = [];
    for (const s of sentences) {
      idle.push(
        await timed(async () => {
          const r = (await c.connection.sendRequest('mass/translate', { text: [s], src: 'en', tgt: 'fr' })) as { translations: string[] };
          idleWords.push(r.translations[0]!.split(/\s+/).filter(Boolean).length);
        }),
      );
    }
    results.push(stats('translate 1 sentence, idle (loaded checkpoint)', idle));

    // ---- editor requests while a big corpus is checked
    mkdirSync(join(ws, 'big'));
    const big = join(ws, 'big', 'news.en');
    writeFileSync(big, (await lines('mono.en.gz', 200000)).join('\n') + '\n');
    const text = '{\n  "n_heads": 8,\n  "attention_setting": "v1"\n}';
    await c.open(config, text, 100);
    stage('editor requests while a corpus is checked');
    let scanning = true;
    const scan = c.connection.sendRequest('mass/analyseCorpus', { path: big }).finally(() => (scanning = false));
    const hover: number[] = [];
    const completion: number[] = [];
    while (scanning && hover.length < 400) {
      hover.push(
        await timed(() => c.connection.sendRequest('textDocument/hover', { textDocument: { uri: fileUri(config) }, position: { line: 1, character: 5 } })),
      );
      completion.push(
        await timed(() =>
          c.connection.sendRequest('textDocument/completion', { textDocument: { uri: fileUri(config) }, position: { line: 2, character: 25 } }),
        ),
      );
    }
    const scanMs = await timed(() => scan);
    if (hover.length < 5) throw new Error(`the corpus check ended before enough requests were measured (${hover.length})`);
    results.push(stats('hover, while a 200,000-line corpus is checked', hover));
    results.push(stats('completion, while a 200,000-line corpus is checked', completion));

    const out = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
      // other work on a shared machine slows training and decoding alike: the load when this run began
      loadAverageAtStart: loadAtStart,
      model: 'emb_dim 128, 2+2 layers, 4 heads, tokens_per_batch 1500, BPE 2000',
      trainingUpdatesPerSecond: +alone.toFixed(2),
      trainingUpdatesPerSecondWhileServing: +updatesPerSecond.toFixed(2),
      updatesDuringTheTrainingStretch: stretchUpdates,
      meanOutputWords: {
        whileTraining: +(wordsOut.reduce((a, b) => a + b, 0) / wordsOut.length).toFixed(1),
        idle: +(idleWords.reduce((a, b) => a + b, 0) / idleWords.length).toFixed(1),
      },
      corpusCheckRemainingMs: Math.round(scanMs),
      results,
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'daemon.json'), JSON.stringify(out, null, 2) + '\n');
    console.log(
      `daemon latency (ms), ${out.cpus}; training alone: ${out.trainingUpdatesPerSecond} updates/s; output words per translation: ${out.meanOutputWords.whileTraining} (training), ${out.meanOutputWords.idle} (idle)`,
    );
    console.log(`${'request'.padEnd(56)} ${'n'.padStart(4)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}`);
    for (const r of results)
      console.log(
        `${r.what.padEnd(56)} ${String(r.n).padStart(4)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)}`,
      );
  } finally {
    await client?.stop();
    rmSync(ws, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
