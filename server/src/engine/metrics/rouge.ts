import { porterStem } from './porterStemmer.js';

/**
 * ROUGE as Google's rouge-score computes it (`rouge_scorer.RougeScorer(types, use_stemmer)`):
 * ROUGE-N, ROUGE-L (sentence-level LCS) and ROUGE-Lsum (summary-level union LCS over lines).
 */
export type RougeType = `rouge${number}` | 'rougeL' | 'rougeLsum';
export const DEFAULT_ROUGE_TYPES: readonly RougeType[] = ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'];

export interface PrecisionRecallF {
  precision: number;
  recall: number;
  fmeasure: number;
}

export type RougeScores = Record<string, PrecisionRecallF>;

export interface RougeOptions {
  /** Default: rouge1, rouge2, rougeL, rougeLsum. */
  types?: readonly RougeType[];
  /** Porter-stem tokens longer than 3 characters (rouge-score's `use_stemmer`). Default false, as there. */
  useStemmer?: boolean;
}

export interface RougeCorpusResult {
  /** Scores of each (hypothesis, reference) pair, in order. */
  pairs: RougeScores[];
  /** The plain mean over pairs of each precision, recall and F. */
  average: RougeScores;
}

/**
 * rouge-score's tokenizer: lowercase, every run of characters other than [a-z0-9] becomes a space
 * (so non-ASCII letters vanish: "été" → "t"), split, stem words longer than 3 characters.
 */
export function rougeTokenize(text: string, useStemmer = false): string[] {
  const cleaned = text.toLowerCase().replace(/[^a-z0-9]+/g, ' ');
  const tokens: string[] = [];
  for (const t of cleaned.split(' ')) {
    if (t === '') continue;
    const token = useStemmer && t.length > 3 ? porterStem(t) : t;
    if (token !== '') tokens.push(token);
  }
  return tokens;
}

function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function scoreNgrams(target: readonly string[], prediction: readonly string[], n: number): PrecisionRecallF {
  const t = ngramCounts(target, n);
  const p = ngramCounts(prediction, n);
  let overlap = 0;
  for (const [g, c] of t) overlap += Math.min(c, p.get(g) ?? 0);
  const targetCount = Math.max(0, target.length - n + 1);
  const predictionCount = Math.max(0, prediction.length - n + 1);
  const precision = overlap / Math.max(predictionCount, 1);
  const recall = overlap / Math.max(targetCount, 1);
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** The (rows+1)×(cols+1) LCS length table, row-major. */
function lcsTable(ref: readonly string[], can: readonly string[]): Int32Array {
  const cols = can.length + 1;
  const t = new Int32Array((ref.length + 1) * cols);
  for (let i = 1; i <= ref.length; i++) {
    for (let j = 1; j <= can.length; j++) {
      t[i * cols + j] = ref[i - 1] === can[j - 1] ? t[(i - 1) * cols + j - 1]! + 1 : Math.max(t[(i - 1) * cols + j]!, t[i * cols + j - 1]!);
    }
  }
  return t;
}

function scoreLcs(target: readonly string[], prediction: readonly string[]): PrecisionRecallF {
  if (target.length === 0 || prediction.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const lcs = lcsTable(target, prediction)[target.length * (prediction.length + 1) + prediction.length]!;
  const precision = lcs / prediction.length;
  const recall = lcs / target.length;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/**
 * Indices into `ref` of one longest common subsequence — the one rouge-score's backtracking picks
 * (on a tie it moves up, not left), since which one it is changes the union below.
 */
function lcsIndices(ref: readonly string[], can: readonly string[]): number[] {
  const t = lcsTable(ref, can);
  const cols = can.length + 1;
  const out: number[] = [];
  let i = ref.length;
  let j = can.length;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === can[j - 1]) {
      out.push(i - 1);
      i--;
      j--;
    } else if (t[i * cols + j - 1]! > t[(i - 1) * cols + j]!) {
      j--;
    } else {
      i--;
    }
  }
  return out.reverse();
}

/** ROUGE-Lsum: summary-level LCS (Lin 2004, §3.2) with ROUGE-1.5.5's guard against counting a token twice. */
function scoreSummaryLcs(refSents: readonly string[][], canSents: readonly string[][]): PrecisionRecallF {
  const zero = { precision: 0, recall: 0, fmeasure: 0 };
  if (refSents.length === 0 || canSents.length === 0) return zero;
  const m = refSents.reduce((a, s) => a + s.length, 0);
  const n = canSents.reduce((a, s) => a + s.length, 0);
  if (m === 0 || n === 0) return zero;
  const refLeft = new Map<string, number>();
  const canLeft = new Map<string, number>();
  for (const s of refSents) for (const tok of s) refLeft.set(tok, (refLeft.get(tok) ?? 0) + 1);
  for (const s of canSents) for (const tok of s) canLeft.set(tok, (canLeft.get(tok) ?? 0) + 1);
  let hits = 0;
  for (const r of refSents) {
    const union = new Set<number>();
    for (const c of canSents) for (const idx of lcsIndices(r, c)) union.add(idx);
    for (const idx of [...union].sort((a, b) => a - b)) {
      const tok = r[idx]!;
      const c = canLeft.get(tok) ?? 0;
      const rr = refLeft.get(tok) ?? 0;
      if (c > 0 && rr > 0) {
        hits++;
        canLeft.set(tok, c - 1);
        refLeft.set(tok, rr - 1);
      }
    }
  }
  const recall = hits / m;
  const precision = hits / n;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** Lines for ROUGE-Lsum: split on "\n", empty pieces dropped (rouge-score with split_summaries=False). */
function summaryLines(text: string, useStemmer: boolean): string[][] {
  return text
    .split('\n')
    .filter((s) => s.length > 0)
    .map((s) => rougeTokenize(s, useStemmer));
}

/** rouge-score's `scorer.score(target, prediction)` for one pair. */
export function rougePair(reference: string, candidate: string, options: RougeOptions = {}): RougeScores {
  const types = options.types ?? DEFAULT_ROUGE_TYPES;
  const stem = options.useStemmer ?? false;
  const target = rougeTokenize(reference, stem);
  const prediction = rougeTokenize(candidate, stem);
  const out: RougeScores = {};
  for (const type of types) {
    if (type === 'rougeL') {
      out[type] = scoreLcs(target, prediction);
    } else if (type === 'rougeLsum') {
      out[type] = scoreSummaryLcs(summaryLines(reference, stem), summaryLines(candidate, stem));
    } else {
      const m = /^rouge([0-9])$/.exec(type);
      const n = m ? Number(m[1]) : 0;
      if (n <= 0) throw new RangeError(`rouge: invalid ROUGE type '${type}' (rouge1..rouge9, rougeL, rougeLsum)`);
      out[type] = scoreNgrams(target, prediction, n);
    }
  }
  return out;
}

/** ROUGE of each hypothesis against the reference on the same line, and the mean over lines. */
export function rouge(hyps: readonly string[], refs: readonly string[], options: RougeOptions = {}): RougeCorpusResult {
  if (hyps.length !== refs.length) throw new RangeError(`rouge: ${hyps.length} hypotheses but ${refs.length} references`);
  const types = options.types ?? DEFAULT_ROUGE_TYPES;
  const pairs = hyps.map((h, i) => rougePair(refs[i]!, h, options));
  const average: RougeScores = {};
  for (const type of types) {
    // A left-to-right sum, like Python's sum() before 3.12.
    let p = 0;
    let r = 0;
    let f = 0;
    for (const s of pairs) {
      p += s[type]!.precision;
      r += s[type]!.recall;
      f += s[type]!.fmeasure;
    }
    const n = pairs.length;
    average[type] = n ? { precision: p / n, recall: r / n, fmeasure: f / n } : { precision: 0, recall: 0, fmeasure: 0 };
  }
  return { pairs, average };
}
