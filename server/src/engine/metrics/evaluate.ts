import { chrF, type ChrFScore } from './chrF.js';
import { multiBleu, type MultiBleuResult } from './multiBleu.js';
import { removeBpe } from './removeBpe.js';
import { rouge, type RougeScores } from './rouge.js';
import { countTokenizedPeriods, sacreBleu, type BleuScore, type SacreBleuOptions } from './sacreBleu.js';

/**
 * Several metrics over one hypothesis file and its references in one call, for `mass eval` and the
 * daemon. The metric functions themselves are in their own files.
 */
export type MetricName = 'bleu' | 'sacrebleu' | 'chrf' | 'chrf++' | 'rouge';
export const METRIC_NAMES: readonly MetricName[] = ['bleu', 'sacrebleu', 'chrf', 'chrf++', 'rouge'];

export interface EvaluateOptions {
  metrics: readonly MetricName[];
  /** Undo BPE (`@@ `) in hypotheses and references first, as XLM does before BLEU. */
  removeBpe?: boolean;
  /** The text is Moses-tokenized (as MASS scores BLEU); only changes the warnings. */
  tokenized?: boolean;
  /** Case-insensitive BLEU (multi-bleu.perl -lc), sacreBLEU and chrF. ROUGE always lowercases. */
  lowercase?: boolean;
  /** sacreBLEU's tokenizer and smoothing. */
  sacreBleu?: Pick<SacreBleuOptions, 'tokenize' | 'smoothMethod' | 'smoothValue'>;
  /** ROUGE: Porter-stem words longer than 3 characters. */
  rougeStemmer?: boolean;
}

export interface EvaluationReport {
  lines: number;
  references: number;
  /** multi-bleu.perl. */
  bleu?: MultiBleuResult;
  sacrebleu?: BleuScore;
  chrf?: ChrFScore;
  'chrf++'?: ChrFScore;
  rouge?: { useStemmer: boolean; average: RougeScores };
  warnings: string[];
}

/** Parses a comma-separated metric list ("bleu,chrf++"); names it does not know come back in `unknown`. */
export function parseMetricList(list: string): { metrics: MetricName[]; unknown: string[] } {
  const metrics: MetricName[] = [];
  const unknown: string[] = [];
  for (const raw of list.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    if ((METRIC_NAMES as readonly string[]).includes(name)) {
      if (!metrics.includes(name as MetricName)) metrics.push(name as MetricName);
    } else {
      unknown.push(raw.trim());
    }
  }
  return { metrics, unknown };
}

/** Scores `hyps` against reference sets `refs` (`refs[k][i]` is reference k of line i). */
export function evaluate(hyps: readonly string[], refs: readonly (readonly string[])[], options: EvaluateOptions): EvaluationReport {
  const h = options.removeBpe ? hyps.map(removeBpe) : hyps;
  const r = options.removeBpe ? refs.map((set) => set.map(removeBpe)) : refs;
  const want = new Set(options.metrics);
  const report: EvaluationReport = { lines: h.length, references: r.length, warnings: [] };
  const lowercase = options.lowercase ?? false;

  if (want.has('bleu')) {
    report.bleu = multiBleu(h, r, { lowercase });
    if (report.bleu.warning) report.warnings.push(`BLEU: ${report.bleu.warning}`);
  }
  if (want.has('sacrebleu')) report.sacrebleu = sacreBleu(h, r, { ...options.sacreBleu, lowercase });
  if (want.has('chrf')) report.chrf = chrF(h, r, { lowercase });
  if (want.has('chrf++')) report['chrf++'] = chrF(h, r, { lowercase, wordOrder: 2 });
  if (want.has('rouge')) {
    if (r.length !== 1) throw new RangeError('ROUGE takes exactly one reference per line');
    const useStemmer = options.rougeStemmer ?? false;
    report.rouge = { useStemmer, average: rouge(h, r[0]!, { useStemmer }).average };
  }

  const sacre = want.has('sacrebleu') || want.has('chrf') || want.has('chrf++');
  if (sacre && options.tokenized) {
    report.warnings.push('sacreBLEU and chrF are computed here on tokenized text, so they are not comparable with published (detokenized) scores');
  } else if (want.has('sacrebleu')) {
    // sacreBLEU's own check: 100 or more hypotheses ending in " ." look tokenized.
    const periods = countTokenizedPeriods(h);
    if (periods >= 100)
      report.warnings.push(`${periods} hypotheses end in a tokenized period (" ."): sacreBLEU expects detokenized text, which may change the score`);
  }
  return report;
}
