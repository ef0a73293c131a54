/**
 * Speed of our Moses pipeline (server/src/engine/text/moses) on real text: the first 100,000 lines of
 * mono.en.gz and mono.fr.gz, read into memory first so only the text processing is timed.
 * Run: node --import tsx bench/tokenize.bench.ts [lines]  →  bench/results/tokenize.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { readLines } from '../server/src/engine/text/corpusReader.js';
import {
  mosesDetokenize,
  mosesPreprocess,
  mosesTokenize,
  normalizePunctuation,
  removeNonPrintingChar,
  replaceUnicodePunctuation,
} from '../server/src/engine/text/moses/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const CORPORA = join(ROOT, 'data', 'corpora', 'en-fr');
const LINES = Number(process.argv[2] ?? 100_000);
const RUNS = 3;

async function firstLines(file: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for await (const { text } of readLines(file)) {
    out.push(text);
    if (out.length >= n) break;
  }
  return out;
}

interface Result {
  lang: string;
  what: string;
  lines: number;
  /** Best of RUNS, after one warm-up run. */
  seconds: number;
  linesPerSec: number;
  mbPerSec: number;
}

function time(lang: string, what: string, lines: string[], f: (line: string) => string): Result {
  const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  let sink = 0;
  let best = Infinity;
  for (let run = 0; run <= RUNS; run++) {
    const t0 = process.hrtime.bigint();
    for (const line of lines) sink += f(line).length;
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (run > 0) best = Math.min(best, s);
  }
  if (sink < 0) throw new Error('unreachable');
  return { lang, what, lines: lines.length, seconds: best, linesPerSec: Math.round(lines.length / best), mbPerSec: bytes / 1e6 / best };
}

async function main(): Promise<void> {
  const results: Result[] = [];
  for (const lang of ['en', 'fr']) {
    const raw = await firstLines(join(CORPORA, `mono.${lang}.gz`), LINES);
    const cleaned = raw.map((l) => mosesPreprocess(l, lang, 'remove-non-printing'));
    const tokenized = cleaned.map((l) => mosesTokenize(l, lang));
    results.push(time(lang, 'pipeline (4 stages)', raw, (l) => mosesPreprocess(l, lang)));
    results.push(time(lang, '1 replace-unicode-punctuation', raw, replaceUnicodePunctuation));
    results.push(time(lang, '2 normalize-punctuation', raw, (l) => normalizePunctuation(l, lang)));
    results.push(time(lang, '3 remove-non-printing-char', raw, removeNonPrintingChar));
    results.push(time(lang, '4 tokenizer -no-escape', cleaned, (l) => mosesTokenize(l, lang)));
    results.push(time(lang, 'detokenizer', tokenized, (l) => mosesDetokenize(l, lang)));
  }

  const report = {
    bench: 'tokenize',
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    source: 'first lines of data/corpora/en-fr/mono.{en,fr}.gz',
    runs: `best of ${RUNS} after 1 warm-up`,
    results,
  };
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'tokenize.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(`tokenize bench (${report.node}, ${report.cpu})`);
  console.log('lang  what                            lines/s      MB/s');
  for (const r of results) console.log(`${r.lang.padEnd(6)}${r.what.padEnd(32)}${String(r.linesPerSec).padStart(9)}${r.mbPerSec.toFixed(1).padStart(10)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
