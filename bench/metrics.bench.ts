/**
 * Speed of our metrics (server/src/engine/metrics) on real text: the first N lines of train.fr.gz
 * as references and, as hypotheses, the same lines with every fifth word dropped and the second and
 * third words swapped; ROUGE on the 670 records of summarization/valid.jsonl.gz (summary vs the
 * article's first 3 sentences, one per line). Lines are read into memory first, so only scoring is
 * timed.
 * Run: node --import tsx bench/metrics.bench.ts [lines]  →  bench/results/metrics.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { readLines } from '../server/src/engine/text/corpusReader.js';
import { chrF, multiBleu, rouge, sacreBleu, sentenceBleu } from '../server/src/engine/metrics/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const CORPORA = join(ROOT, 'data', 'corpora');
const LINES = Number(process.argv[2] ?? 20_000);
const RUNS = 3;

async function firstLines(file: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for await (const { text } of readLines(file)) {
    out.push(text);
    if (out.length >= n) break;
  }
  return out;
}

function edit(line: string): string {
  const w = line.split(' ').filter((_, i) => i % 5 !== 4);
  if (w.length > 2) [w[1], w[2]] = [w[2]!, w[1]!];
  return w.join(' ');
}

interface Result {
  metric: string;
  lines: number;
  /** Best of RUNS, after one warm-up run. */
  seconds: number;
  linesPerSec: number;
  score: number;
}

function time(metric: string, lines: number, f: () => number): Result {
  let best = Infinity;
  let score = 0;
  for (let run = 0; run <= RUNS; run++) {
    const t0 = process.hrtime.bigint();
    score = f();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (run > 0) best = Math.min(best, s);
  }
  return { metric, lines, seconds: best, linesPerSec: Math.round(lines / best), score };
}

async function main(): Promise<void> {
  const refs = await firstLines(join(CORPORA, 'en-fr', 'train.fr.gz'), LINES);
  const hyps = refs.map(edit);
  const records: { article: string; summary: string }[] = [];
  for await (const { text } of readLines(join(CORPORA, 'summarization', 'valid.jsonl.gz'))) records.push(JSON.parse(text));
  const summaries = records.map((r) => r.summary);
  const leads = records.map((r) =>
    r.article
      .split(/(?<=[.!?])\s+/)
      .slice(0, 3)
      .join('\n'),
  );

  const results: Result[] = [
    time('multi-bleu.perl BLEU', hyps.length, () => multiBleu(hyps, [refs]).score),
    time('sacreBLEU corpus BLEU (13a)', hyps.length, () => sacreBleu(hyps, [refs]).score),
    time('sacreBLEU sentence BLEU, every line', hyps.length, () => hyps.reduce((a, h, i) => a + sentenceBleu(h, [refs[i]!]).score, 0) / hyps.length),
    time('chrF', hyps.length, () => chrF(hyps, [refs]).score),
    time('chrF++', hyps.length, () => chrF(hyps, [refs], { wordOrder: 2 }).score),
    time('ROUGE-1/2/L/Lsum', records.length, () => rouge(leads, summaries).average.rougeL!.fmeasure),
    time('ROUGE-1/2/L/Lsum, Porter stemmer', records.length, () => rouge(leads, summaries, { useStemmer: true }).average.rougeL!.fmeasure),
  ];

  console.log('| metric | lines | seconds | lines/s | score |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of results) console.log(`| ${r.metric} | ${r.lines} | ${r.seconds.toFixed(3)} | ${r.linesPerSec} | ${r.score.toFixed(4)} |`);
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(ROOT, 'bench', 'results', 'metrics.json'),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cpu: cpus()[0]?.model,
        text: `first ${LINES} lines of train.fr.gz (edited as hypotheses); summarization valid.jsonl.gz for ROUGE`,
        results,
      },
      null,
      2,
    ) + '\n',
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
