import { bleuTokenizer, type BleuTokenizerName } from './bleuTokenizers.js';
import { formatFixed } from './formatFixed.js';
import { pyRstrip, pySplit } from './pythonText.js';

/**
 * BLEU as sacreBLEU 2.6.0 computes it (`sacrebleu.metrics.bleu.BLEU`): corpus and sentence level,
 * with its signature and formatted score strings.
 */
export const SACREBLEU_VERSION = '2.6.0';

export type SmoothMethod = 'none' | 'floor' | 'add-k' | 'exp';
export const SMOOTH_METHODS: readonly SmoothMethod[] = ['none', 'floor', 'add-k', 'exp'];
const SMOOTH_DEFAULTS: Record<SmoothMethod, number | undefined> = { none: undefined, floor: 0.1, 'add-k': 1, exp: undefined };

export interface SacreBleuOptions {
  /** Lowercase hypotheses and references first (signature `case:lc`). Default false. */
  lowercase?: boolean;
  /** Default '13a'. */
  tokenize?: BleuTokenizerName;
  /** Default 'exp'. */
  smoothMethod?: SmoothMethod;
  /** For 'floor' (default 0.1) and 'add-k' (default 1). */
  smoothValue?: number;
  /** Default 4. */
  maxNgramOrder?: number;
  /** Leave out n-gram orders the hypothesis has none of. Default false for corpus, true for sentence BLEU. */
  effectiveOrder?: boolean;
}

export interface BleuScore {
  /** BLEU, 0–100. */
  score: number;
  /** Matched n-grams per order (with 'add-k', k is already added for orders > 1, as sacreBLEU reports them). */
  counts: number[];
  /** Hypothesis n-grams per order. */
  totals: number[];
  /** 100 × precision per order, after smoothing. */
  precisions: number[];
  bp: number;
  ratio: number;
  sysLen: number;
  refLen: number;
  /** `BLEU = 79.83 96.0/84.8/77.7/71.5 (BP = 0.974 ratio = 0.974 hyp_len = 8120 ref_len = 8338)` */
  formatted: string;
  /** `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0` */
  signature: string;
}

interface Resolved {
  lowercase: boolean;
  tokenize: BleuTokenizerName;
  smoothMethod: SmoothMethod;
  smoothValue: number | undefined;
  maxOrder: number;
  effectiveOrder: boolean;
}

function resolve(options: SacreBleuOptions, effectiveDefault: boolean): Resolved {
  const smoothMethod = options.smoothMethod ?? 'exp';
  if (!SMOOTH_METHODS.includes(smoothMethod)) throw new RangeError(`sacreBleu: unknown smooth method '${smoothMethod}'`);
  const maxOrder = options.maxNgramOrder ?? 4;
  if (!Number.isInteger(maxOrder) || maxOrder < 1) throw new RangeError(`sacreBleu: maxNgramOrder must be a positive integer, got ${maxOrder}`);
  return {
    lowercase: options.lowercase ?? false,
    tokenize: options.tokenize ?? '13a',
    smoothMethod,
    smoothValue: options.smoothValue ?? SMOOTH_DEFAULTS[smoothMethod],
    maxOrder,
    effectiveOrder: options.effectiveOrder ?? effectiveDefault,
  };
}

/** n-gram counts per order (index n-1) and the token count. */
function wordNgrams(line: string, maxOrder: number): { ngrams: Map<string, number>[]; length: number } {
  const tokens = pySplit(line);
  const ngrams: Map<string, number>[] = [];
  for (let n = 1; n <= maxOrder; n++) {
    const counts = new Map<string, number>();
    for (let i = 0; i + n <= tokens.length; i++) {
      const key = n === 1 ? tokens[i]! : tokens.slice(i, i + n).join(' ');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    ngrams.push(counts);
  }
  return { ngrams, length: tokens.length };
}

/** The closest reference length; on a tie, the shorter reference. */
function closestRefLen(hypLen: number, refLens: readonly number[]): number {
  let closestDiff = -1;
  let closestLen = -1;
  for (const len of refLens) {
    const diff = Math.abs(hypLen - len);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closestLen = len;
    } else if (diff === closestDiff && len < closestLen) {
      closestLen = len;
    }
  }
  return closestLen;
}

/** Sufficient statistics of one segment: [hypLen, refLen, correct_1..N, total_1..N]. */
function segmentStats(hyp: string, refs: readonly string[], r: Resolved, prep: (s: string) => string): number[] {
  const refMax: Map<string, number>[] = [];
  for (let n = 0; n < r.maxOrder; n++) refMax.push(new Map());
  const refLens: number[] = [];
  for (const ref of refs) {
    const { ngrams, length } = wordNgrams(prep(ref), r.maxOrder);
    refLens.push(length);
    ngrams.forEach((counts, n) => {
      const best = refMax[n]!;
      for (const [ngram, count] of counts) if ((best.get(ngram) ?? 0) < count) best.set(ngram, count);
    });
  }
  const { ngrams, length } = wordNgrams(prep(hyp), r.maxOrder);
  const correct = new Array<number>(r.maxOrder).fill(0);
  const total = new Array<number>(r.maxOrder).fill(0);
  ngrams.forEach((counts, n) => {
    const best = refMax[n]!;
    for (const [ngram, count] of counts) {
      total[n]! += count;
      const refCount = best.get(ngram);
      if (refCount !== undefined) correct[n]! += Math.min(count, refCount);
    }
  });
  return [length, closestRefLen(length, refLens), ...correct, ...total];
}

/** sacreBLEU's `my_log`: log, with log(0) floored to -9999999999. */
function myLog(x: number): number {
  return x === 0 ? -9999999999 : Math.log(x);
}

/** sacreBLEU's `BLEU.compute_bleu` from summed statistics. */
function computeBleu(stats: readonly number[], r: Resolved, nrefs: number): BleuScore {
  const sysLen = stats[0]!;
  const refLen = stats[1]!;
  const counts = stats.slice(2, 2 + r.maxOrder);
  const totals = stats.slice(2 + r.maxOrder, 2 + 2 * r.maxOrder);
  let bp = 1.0;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0;
  const precisions = new Array<number>(r.maxOrder).fill(0);
  let score = 0;
  if (counts.some((c) => c !== 0)) {
    let smoothMteval = 1;
    let effOrder = r.maxOrder;
    for (let n = 1; n <= r.maxOrder; n++) {
      if (r.smoothMethod === 'add-k' && n > 1) {
        counts[n - 1]! += r.smoothValue!;
        totals[n - 1]! += r.smoothValue!;
      }
      if (totals[n - 1] === 0) break;
      if (r.effectiveOrder) effOrder = n;
      if (counts[n - 1] === 0) {
        if (r.smoothMethod === 'exp') {
          smoothMteval *= 2;
          precisions[n - 1] = 100 / (smoothMteval * totals[n - 1]!);
        } else if (r.smoothMethod === 'floor') {
          precisions[n - 1] = (100 * r.smoothValue!) / totals[n - 1]!;
        }
      } else {
        precisions[n - 1] = (100 * counts[n - 1]!) / totals[n - 1]!;
      }
    }
    let logSum = 0;
    for (let k = 0; k < effOrder; k++) logSum += myLog(precisions[k]!);
    score = bp * Math.exp(logSum / effOrder);
  }
  const ratio = refLen ? sysLen / refLen : 0;
  const formatted =
    `BLEU = ${formatFixed(score, 2)} ${precisions.map((p) => formatFixed(p, 1)).join('/')} ` +
    `(BP = ${formatFixed(bp, 3)} ratio = ${formatFixed(ratio, 3)} hyp_len = ${sysLen} ref_len = ${refLen})`;
  return { score, counts, totals, precisions, bp, ratio, sysLen, refLen, formatted, signature: bleuSignature(r, nrefs) };
}

function bleuSignature(r: Resolved, nrefs: number): string {
  let smooth: string = r.smoothMethod;
  if (SMOOTH_DEFAULTS[r.smoothMethod] !== undefined) smooth += `[${formatFixed(r.smoothValue!, 2)}]`;
  return [
    `nrefs:${nrefs}`,
    `case:${r.lowercase ? 'lc' : 'mixed'}`,
    `eff:${r.effectiveOrder ? 'yes' : 'no'}`,
    `tok:${r.tokenize}`,
    `smooth:${smooth}`,
    `version:${SACREBLEU_VERSION}`,
  ].join('|');
}

function preprocessor(r: Resolved): (s: string) => string {
  const tokenize = bleuTokenizer(r.tokenize);
  // sacreBLEU lowercases, then strips trailing whitespace, then tokenizes.
  return (s) => tokenize(pyRstrip(r.lowercase ? s.toLowerCase() : s));
}

/**
 * Corpus BLEU: `BLEU(**options).corpus_score(hyps, refs)`, where `refs[k][i]` is reference k of
 * line i (sacreBLEU's layout) and every reference set has as many lines as `hyps`.
 */
export function sacreBleu(hyps: readonly string[], refs: readonly (readonly string[])[], options: SacreBleuOptions = {}): BleuScore {
  if (hyps.length === 0) throw new RangeError('sacreBleu: no hypotheses');
  if (refs.length === 0) throw new RangeError('sacreBleu: at least one reference set is needed');
  for (const [k, set] of refs.entries()) {
    if (set.length !== hyps.length) throw new RangeError(`sacreBleu: reference set ${k} has ${set.length} lines, the hypotheses ${hyps.length}`);
  }
  const r = resolve(options, false);
  const prep = preprocessor(r);
  const sums = new Array<number>(2 + 2 * r.maxOrder).fill(0);
  for (let i = 0; i < hyps.length; i++) {
    const stats = segmentStats(
      hyps[i]!,
      refs.map((set) => set[i]!),
      r,
      prep,
    );
    for (let k = 0; k < sums.length; k++) sums[k]! += stats[k]!;
  }
  return computeBleu(sums, r, refs.length);
}

/**
 * Sentence BLEU: `sacrebleu.sentence_bleu(hyp, refs)` — effective order and 'exp' smoothing by
 * default.
 */
export function sentenceBleu(hyp: string, refs: readonly string[], options: SacreBleuOptions = {}): BleuScore {
  if (refs.length === 0) throw new RangeError('sentenceBleu: at least one reference is needed');
  const r = resolve(options, true);
  return computeBleu(segmentStats(hyp, refs, r, preprocessor(r)), r, refs.length);
}

/**
 * How many hypotheses end in " ." — sacreBLEU warns from 100 on that the text looks tokenized
 * (its scores are meant for detokenized text).
 */
export function countTokenizedPeriods(hyps: readonly string[]): number {
  let n = 0;
  for (const h of hyps) if (h.endsWith(' .')) n++;
  return n;
}
