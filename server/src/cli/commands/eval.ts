import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { UserError } from '../../engine/errors.js';
import { BLEU_TOKENIZERS, type BleuTokenizerName } from '../../engine/metrics/bleuTokenizers.js';
import { evaluate, METRIC_NAMES, parseMetricList, type EvaluationReport } from '../../engine/metrics/evaluate.js';
import { formatFixed } from '../../engine/metrics/formatFixed.js';
import { SMOOTH_METHODS, type SmoothMethod } from '../../engine/metrics/sacreBleu.js';
import { readLines } from '../../engine/text/corpusReader.js';
import { parseArgs } from '../args.js';
import type { Command } from '../command.js';
import { plural } from '../../engine/util/plural.js';

const DEFAULT_METRICS = 'bleu,sacrebleu,chrf';

/**
 * The reference files for REF, found as multi-bleu.perl finds them: REF0, REF1, … (several
 * references) and REF itself, or REF.ref0, REF.ref1, … when neither REF nor REF0 exists.
 */
export function referenceFiles(stem: string): string[] {
  let base = stem;
  if (!existsSync(base) && !existsSync(`${base}0`) && existsSync(`${base}.ref0`)) base += '.ref';
  const files: string[] = [];
  for (let k = 0; existsSync(`${base}${k}`); k++) files.push(`${base}${k}`);
  if (existsSync(base)) files.push(base);
  if (files.length === 0) throw new UserError(`${stem}: no such file (nor ${stem}0, ${stem}1, … for several references)`);
  return files;
}

/** Whether a non-empty file ends in "\n" (multi-bleu.perl's `chop` eats the last character of a final line without one). */
function endsWithNewline(file: string): boolean {
  const size = statSync(file).size;
  if (size === 0) return true;
  const fd = openSync(file, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 10;
  } finally {
    closeSync(fd);
  }
}

async function readAll(file: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readLines(file)) lines.push(line.text);
  return lines;
}

const pct = (x: number) => formatFixed(100 * x, 2).padStart(6);

function formatReport(report: EvaluationReport, hypFile: string, refFiles: string[], tokenized: boolean): string {
  const out: string[] = [];
  const refs = refFiles.length === 1 ? refFiles[0]! : `${refFiles.length} references (${refFiles.join(', ')})`;
  out.push(`${plural(report.lines, 'line')}: ${hypFile} against ${refs}`);
  const row = (label: string, value: string) => out.push(`${label.padEnd(26)}${value}`);
  if (report.bleu) row(`BLEU (multi-bleu.perl${tokenized ? ', tokenized' : ''})`, report.bleu.line);
  if (report.sacrebleu) {
    row('sacreBLEU', report.sacrebleu.formatted);
    row('', report.sacrebleu.signature);
  }
  for (const key of ['chrf', 'chrf++'] as const) {
    const s = report[key];
    if (s) row(key === 'chrf' ? 'chrF' : 'chrF++', `${s.formatted}  ${s.signature}`);
  }
  if (report.rouge) {
    row(`ROUGE (${report.rouge.useStemmer ? 'Porter stemmer' : 'no stemmer'})`, 'precision  recall       F');
    for (const [type, s] of Object.entries(report.rouge.average)) {
      row(`  ${type}`, `${pct(s.precision)}     ${pct(s.recall)}  ${pct(s.fmeasure)}`);
    }
  }
  return out.join('\n') + '\n';
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'score hypotheses against references: BLEU (multi-bleu.perl, sacreBLEU), chrF, ROUGE',
  usage: '--hyp HYP --ref REF [options]',
  description: [
    'Scores HYP line by line against REF (same number of lines). Several references: REF0, REF1, …',
    '(found as multi-bleu.perl finds them). Metrics:',
    '  bleu       multi-bleu.perl, the BLEU MASS/XLM report (on Moses-tokenized text, BPE removed)',
    '  sacrebleu  sacreBLEU 2.6.0 corpus BLEU (13a tokenizer, exp smoothing) on detokenized text',
    '  chrf       sacreBLEU chrF2; chrf++ adds word bigrams',
    '  rouge      rouge-score ROUGE-1/2/L/Lsum, averaged over lines (one reference only)',
  ].join('\n'),
  options: [
    { name: 'hyp', type: 'string', help: 'hypothesis file, one sentence a line' },
    { name: 'ref', type: 'string', help: 'reference file (or stem of REF0, REF1, …)' },
    { name: 'metric', short: 'm', type: 'string', help: `comma-separated: ${METRIC_NAMES.join(', ')}`, default: DEFAULT_METRICS },
    { name: 'tokenized', type: 'boolean', help: 'the files are Moses-tokenized (as MASS scores BLEU); only changes labels and warnings' },
    { name: 'remove-bpe', type: 'boolean', help: "undo BPE first: sed -r 's/(@@ )|(@@ ?$)//g'" },
    { name: 'lowercase', short: 'l', type: 'boolean', help: 'case-insensitive BLEU (multi-bleu -lc), sacreBLEU and chrF' },
    { name: 'tokenize', type: 'string', help: `sacreBLEU tokenizer: ${BLEU_TOKENIZERS.join(', ')}`, default: '13a' },
    { name: 'smooth', type: 'string', help: `sacreBLEU smoothing: ${SMOOTH_METHODS.join(', ')}`, default: 'exp' },
    {
      name: 'stemmer',
      type: 'boolean',
      help: "ROUGE: Porter-stem words longer than 3 characters, like ROUGE-1.5.5 -m ('--stemmer false': off)",
      default: true,
    },
    { name: 'json', type: 'boolean', help: 'print the scores as JSON' },
  ],
  async run(argv) {
    const { options, positionals } = parseArgs('eval', argv, this.options);
    if (positionals.length > 0) throw new UserError(`eval: unexpected argument '${positionals[0]}' (give files with --hyp and --ref)`);
    const hypFile = options.hyp as string | undefined;
    const refStem = options.ref as string | undefined;
    if (hypFile === undefined || refStem === undefined) throw new UserError("eval: both --hyp and --ref are needed (see 'mass eval --help')");
    const { metrics, unknown } = parseMetricList(options.metric as string);
    if (unknown.length > 0) throw new UserError(`eval: --metric: unknown metric '${unknown[0]}' (known: ${METRIC_NAMES.join(', ')})`);
    if (metrics.length === 0) throw new UserError('eval: --metric: no metric named');
    const tokenize = options.tokenize as string;
    if (!(BLEU_TOKENIZERS as readonly string[]).includes(tokenize))
      throw new UserError(`eval: --tokenize: unknown tokenizer '${tokenize}' (known: ${BLEU_TOKENIZERS.join(', ')})`);
    const smooth = options.smooth as string;
    if (!(SMOOTH_METHODS as readonly string[]).includes(smooth))
      throw new UserError(`eval: --smooth: unknown method '${smooth}' (known: ${SMOOTH_METHODS.join(', ')})`);

    const refFiles = referenceFiles(refStem);
    if (metrics.includes('rouge') && refFiles.length > 1)
      throw new UserError(`eval: ROUGE takes one reference, but ${refStem} names ${refFiles.length} (${refFiles.join(', ')})`);
    const hyps = await readAll(hypFile);
    const refs: string[][] = [];
    for (const file of refFiles) {
      const lines = await readAll(file);
      if (lines.length !== hyps.length)
        throw new UserError(`eval: ${hypFile} has ${hyps.length} lines but ${file} has ${lines.length}; they must match line for line`);
      refs.push(lines);
    }
    const tokenized = options.tokenized === true;
    const report = evaluate(hyps, refs, {
      metrics,
      removeBpe: options['remove-bpe'] === true,
      tokenized,
      lowercase: options.lowercase === true,
      sacreBleu: { tokenize: tokenize as BleuTokenizerName, smoothMethod: smooth as SmoothMethod },
      rougeStemmer: options.stemmer === true,
    });
    if (metrics.includes('bleu')) {
      // Deliberate difference: we read the last line whole. multi-bleu.perl `chop`s every line, so
      // a final line without "\n" loses its last character there; say so rather than copy it.
      for (const file of [hypFile, ...refFiles]) {
        if (!endsWithNewline(file))
          report.warnings.push(`${file} does not end in a newline: multi-bleu.perl would drop the last character of its last line (we do not)`);
      }
    }
    if (options.json) {
      process.stdout.write(JSON.stringify({ hyp: hypFile, refs: refFiles, ...report }, null, 2) + '\n');
    } else {
      process.stdout.write(formatReport(report, hypFile, refFiles, tokenized));
      for (const w of report.warnings) process.stderr.write(`mass: eval: warning: ${w}\n`);
    }
  },
};
