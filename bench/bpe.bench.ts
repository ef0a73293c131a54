/**
 * Speed of our BPE (server/src/engine/text/bpe) on tokenized English: learn-bpe 10,000 codes,
 * apply-bpe (without and with a vocabulary) and get-vocab, each a whole file-to-file job (reading
 * and writing included). Text: the first 200,000 lines of mono.en.gz through our Moses pipeline,
 * cached under the OS temp dir; if that fails, the nlp-parity bpe fixture text (54,000 lines).
 * With env FASTBPE=/path/to/fast (glample/fastBPE built by you, never committed) the same jobs are
 * timed with fastBPE and the outputs compared (codes: merges in common / before the first
 * difference; apply/get-vocab: byte for byte).
 * Run: node --import tsx bench/bpe.bench.ts [lines]  →  bench/results/bpe.json
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readLines } from '../server/src/engine/text/corpusReader.js';
import { applyBpeFile } from '../server/src/engine/text/bpe/applyBpe.js';
import { BpeCodes } from '../server/src/engine/text/bpe/codes.js';
import { formatCodes, learnBpe } from '../server/src/engine/text/bpe/learnBpe.js';
import { BpeVocab, formatVocab, getVocab } from '../server/src/engine/text/bpe/vocab.js';
import { mosesPreprocess } from '../server/src/engine/text/moses/index.js';

const ROOT = resolve(import.meta.dirname, '..');

const LINES = Number(process.argv[2] ?? 200_000);
const CODES = 10_000;
const RUNS = 2;
const WORK = join(tmpdir(), 'mass-bpe-bench');

async function benchText(): Promise<{ file: string; source: string }> {
  const file = join(WORK, `mono.en.tok.${LINES}`);
  const source = `first ${LINES} lines of data/corpora/en-fr/mono.en.gz, tokenized by our Moses pipeline (en)`;
  if (existsSync(file)) return { file, source };
  try {
    const parts: string[] = [];
    for await (const { text } of readLines(join(ROOT, 'data', 'corpora', 'en-fr', 'mono.en.gz'))) {
      parts.push(mosesPreprocess(text, 'en') + '\n');
      if (parts.length >= LINES) break;
    }
    writeFileSync(file + '.tmp', parts.join(''));
    writeFileSync(file, readFileSync(file + '.tmp'));
    return { file, source };
  } catch (e) {
    console.error(`could not tokenize mono.en (${(e as Error).message}); using the bpe fixture text`);
    const fx = join(ROOT, 'test', 'fixtures', 'nlp-parity', 'bpe');
    const fallback = join(WORK, 'fixture-text');
    writeFileSync(fallback, ['train.en', 'train.fr', 'heldout.en', 'heldout.fr'].map((f) => readFileSync(join(fx, f), 'utf8')).join(''));
    return { file: fallback, source: 'nlp-parity bpe fixture train.{en,fr} + heldout.{en,fr}' };
  }
}

async function best<T>(f: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  let seconds = Infinity;
  let value: T | undefined;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    value = await f();
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { seconds, value: value! };
}

function bestSpawn(cmd: string, args: string[], stdoutFile?: string): number {
  let seconds = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { maxBuffer: 1 << 30, encoding: 'buffer' });
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - t0) / 1e9);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.toString()}`);
    if (stdoutFile) writeFileSync(stdoutFile, r.stdout);
  }
  return seconds;
}

function compareCodes(ours: string, theirs: string) {
  const a = ours.split('\n').filter(Boolean);
  const b = theirs.split('\n').filter(Boolean);
  let same = 0;
  while (same < Math.min(a.length, b.length) && a[same] === b[same]) same++;
  const pair = (l: string) => l.split(' ').slice(0, 2).join(' ');
  const theirPairs = new Set(b.map(pair));
  const common = a.filter((l) => theirPairs.has(pair(l))).length;
  return { identical: ours === theirs, linesBeforeFirstDifference: same, mergesInCommon: common, of: b.length };
}

async function main(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const { file, source } = await benchText();
  let lines = 0;
  let words = 0;
  for (const l of readFileSync(file, 'utf8').split('\n')) {
    if (l === '') continue;
    lines++;
    words += l.split(' ').filter(Boolean).length;
  }
  const codesFile = join(WORK, 'codes.ours');
  const bpeFile = join(WORK, 'out.bpe.ours');
  const bpeVocabFile = join(WORK, 'out.bpe-vocab.ours');

  const learn = await best(() => learnBpe([file], CODES));
  writeFileSync(codesFile, formatCodes(learn.value.merges));
  const codes = await BpeCodes.load(codesFile);
  const apply = await best(() => applyBpeFile(bpeFile, file, codes));
  const vocabEntries = await getVocab([bpeFile]);
  const vocabFile = join(WORK, 'vocab.ours');
  writeFileSync(vocabFile, formatVocab(vocabEntries));
  const vocab = await BpeVocab.load(vocabFile);
  const applyVocab = await best(() => applyBpeFile(bpeVocabFile, file, codes, vocab));
  const getvocab = await best(async () => formatVocab(await getVocab([file])));

  const ours = {
    learnSeconds: learn.seconds,
    tiedMerges: learn.value.tiedMerges,
    applySeconds: apply.seconds,
    applyLinesPerSec: Math.round(lines / apply.seconds),
    applyVocabSeconds: applyVocab.seconds,
    applyVocabLinesPerSec: Math.round(lines / applyVocab.seconds),
    getVocabSeconds: getvocab.seconds,
  };

  let fastbpe: Record<string, unknown> | null = null;
  const fast = process.env.FASTBPE;
  if (fast) {
    const fCodes = join(WORK, 'codes.fast');
    const learnS = bestSpawn(fast, ['learnbpe', String(CODES), file], fCodes);
    // Apply fastBPE's own codes and vocab with both tools, so the comparison does not depend on learn.
    const fBpe = join(WORK, 'out.bpe.fast');
    const applyS = bestSpawn(fast, ['applybpe', fBpe, file, fCodes]);
    const fVocab = join(WORK, 'vocab.fast');
    bestSpawn(fast, ['getvocab', fBpe], fVocab);
    const fBpeVocab = join(WORK, 'out.bpe-vocab.fast');
    const applyVocabS = bestSpawn(fast, ['applybpe', fBpeVocab, file, fCodes, fVocab]);
    const fWords = join(WORK, 'vocab.words.fast');
    const getVocabS = bestSpawn(fast, ['getvocab', file], fWords);
    const theirCodes = await BpeCodes.load(fCodes);
    const check1 = join(WORK, 'check.bpe');
    await applyBpeFile(check1, file, theirCodes);
    const check2 = join(WORK, 'check.bpe-vocab');
    await applyBpeFile(check2, file, theirCodes, await BpeVocab.load(fVocab));
    fastbpe = {
      binary: fast,
      learnSeconds: learnS,
      applySeconds: applyS,
      applyLinesPerSec: Math.round(lines / applyS),
      applyVocabSeconds: applyVocabS,
      getVocabSeconds: getVocabS,
      learnRatio: ours.learnSeconds / learnS,
      parity: {
        codes: compareCodes(readFileSync(codesFile, 'utf8'), readFileSync(fCodes, 'utf8')),
        applyIdentical: readFileSync(check1).equals(readFileSync(fBpe)),
        applyVocabIdentical: readFileSync(check2).equals(readFileSync(fBpeVocab)),
        getVocabIdentical: formatVocab(await getVocab([file])) === readFileSync(fWords, 'utf8'),
      },
    };
  }

  const report = {
    bench: 'bpe',
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    text: { source, lines, words },
    codes: CODES,
    runs: `best of ${RUNS}; whole jobs, file in to file out (fastBPE: process wall time)`,
    ours,
    fastbpe,
  };
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'bpe.json'), JSON.stringify(report, null, 2) + '\n');

  const row = (what: string, o: number, f?: unknown) =>
    console.log(`${what.padEnd(28)}${o.toFixed(2).padStart(8)} s${typeof f === 'number' ? `${f.toFixed(2).padStart(10)} s` : ''}`);
  console.log(`${lines} lines, ${words} words (${source})`);
  console.log(`${''.padEnd(28)}${'ours'.padStart(10)}${fastbpe ? 'fastBPE'.padStart(12) : ''}`);
  row(`learn-bpe ${CODES}`, ours.learnSeconds, fastbpe?.learnSeconds);
  row('apply-bpe', ours.applySeconds, fastbpe?.applySeconds);
  row('apply-bpe with vocab', ours.applyVocabSeconds, fastbpe?.applyVocabSeconds);
  row('get-vocab', ours.getVocabSeconds, fastbpe?.getVocabSeconds);
  console.log(`apply-bpe: ${ours.applyLinesPerSec} lines/s (with vocab ${ours.applyVocabLinesPerSec})`);
  if (fastbpe) console.log(`parity: ${JSON.stringify(fastbpe.parity)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
