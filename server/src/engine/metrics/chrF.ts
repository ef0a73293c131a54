import { SACREBLEU_VERSION } from './sacreBleu.js';
import { formatFixed } from './formatFixed.js';
import { codePoints, pyRemoveSpaces, pySplit } from './pythonText.js';

/**
 * chrF (Popović 2015) and chrF++ (word order 2, Popović 2017) as sacreBLEU 2.6.0 computes them
 * (`sacrebleu.metrics.chrf.CHRF`): corpus and sentence level, with signature and formatted string.
 */
export interface ChrFOptions {
  /** Character n-gram order, default 6. */
  charOrder?: number;
  /** Word n-gram order, default 0; 2 gives chrF++. */
  wordOrder?: number;
  /** Recall weight, default 2. */
  beta?: number;
  /** Default false (signature `case:mixed`). */
  lowercase?: boolean;
  /** Keep whitespace inside character n-grams. Default false. */
  whitespace?: boolean;
  /** chrF++.py-style epsilon smoothing instead of sacreBLEU's effective order. Default false. */
  epsSmoothing?: boolean;
}

export interface ChrFScore {
  /** 0–100. */
  score: number;
  /** `chrF2`, `chrF2++`. */
  name: string;
  /** `chrF2 = 89.38` */
  formatted: string;
  /** `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0` */
  signature: string;
}

/** Python's `string.punctuation`, which chrF++ splits off the ends of words. */
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

interface Resolved {
  charOrder: number;
  wordOrder: number;
  beta: number;
  lowercase: boolean;
  whitespace: boolean;
  epsSmoothing: boolean;
}

function resolve(o: ChrFOptions): Resolved {
  const r = {
    charOrder: o.charOrder ?? 6,
    wordOrder: o.wordOrder ?? 0,
    beta: o.beta ?? 2,
    lowercase: o.lowercase ?? false,
    whitespace: o.whitespace ?? false,
    epsSmoothing: o.epsSmoothing ?? false,
  };
  if (!Number.isInteger(r.charOrder) || r.charOrder < 0 || !Number.isInteger(r.wordOrder) || r.wordOrder < 0 || r.charOrder + r.wordOrder === 0) {
    throw new RangeError(`chrF: bad n-gram orders (char ${r.charOrder}, word ${r.wordOrder})`);
  }
  return r;
}

function count(items: Iterable<string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const it of items) m.set(it, (m.get(it) ?? 0) + 1);
  return m;
}

/** Character n-grams of orders 1..maxOrder, over code points. */
function charNgrams(line: string, maxOrder: number, whitespace: boolean): Map<string, number>[] {
  const text = whitespace ? line : pyRemoveSpaces(line);
  const chars = codePoints(text);
  const bmp = chars.length === text.length;
  const out: Map<string, number>[] = [];
  for (let n = 1; n <= maxOrder; n++) {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= chars.length; i++) {
      const g = bmp ? text.slice(i, i + n) : chars.slice(i, i + n).join('');
      m.set(g, (m.get(g) ?? 0) + 1);
    }
    out.push(m);
  }
  return out;
}

/**
 * chrF++'s word splitter: a word of 2+ characters loses one trailing punctuation mark, or else one
 * leading one, which becomes a word of its own (so "(hi)" gives "(hi" and ")", as in sacreBLEU).
 */
function splitPunctuation(sent: string): string[] {
  const out: string[] = [];
  for (const w of pySplit(sent)) {
    if (codePoints(w).length === 1) {
      out.push(w);
    } else if (PUNCTUATION.has(w[w.length - 1]!)) {
      out.push(w.slice(0, -1), w[w.length - 1]!);
    } else if (PUNCTUATION.has(w[0]!)) {
      out.push(w[0]!, w.slice(1));
    } else {
      out.push(w);
    }
  }
  return out;
}

function wordNgrams(words: readonly string[], n: number): Map<string, number> {
  const grams: string[] = [];
  for (let i = 0; i + n <= words.length; i++) grams.push(words.slice(i, i + n).join(' '));
  return count(grams);
}

function allNgrams(line: string, r: Resolved): Map<string, number>[] {
  const grams = charNgrams(line, r.charOrder, r.whitespace);
  if (r.wordOrder > 0) {
    const words = splitPunctuation(line);
    for (let n = 1; n <= r.wordOrder; n++) grams.push(wordNgrams(words, n));
  }
  return grams;
}

/** [hyp, ref, match] per order, flattened. Hypothesis n-grams count only where the reference has some. */
function matchStats(hyp: Map<string, number>[], ref: Map<string, number>[]): number[] {
  const stats: number[] = [];
  hyp.forEach((h, k) => {
    const r = ref[k]!;
    let hypCount = 0;
    let match = 0;
    for (const [g, c] of h) {
      hypCount += c;
      const rc = r.get(g);
      if (rc !== undefined) match += Math.min(c, rc);
    }
    let refCount = 0;
    for (const c of r.values()) refCount += c;
    stats.push(r.size > 0 ? hypCount : 0, refCount, match);
  });
  return stats;
}

/** sacreBLEU's `CHRF._compute_f_score`, operation for operation. */
function fScore(stats: readonly number[], r: Resolved): number {
  const eps = 1e-16;
  const order = r.charOrder + r.wordOrder;
  const factor = r.beta ** 2;
  let score = 0;
  let effectiveOrder = 0;
  let avgPrec = 0;
  let avgRec = 0;
  for (let i = 0; i < order; i++) {
    const nHyp = stats[3 * i]!;
    const nRef = stats[3 * i + 1]!;
    const nMatch = stats[3 * i + 2]!;
    const prec = nHyp > 0 ? nMatch / nHyp : eps;
    const rec = nRef > 0 ? nMatch / nRef : eps;
    const denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effectiveOrder++;
    }
  }
  if (r.epsSmoothing) return (100 * score) / order;
  if (effectiveOrder === 0) {
    avgPrec = avgRec = 0;
  } else {
    avgPrec /= effectiveOrder;
    avgRec /= effectiveOrder;
  }
  if (avgPrec + avgRec) {
    let s = (1 + factor) * avgPrec * avgRec;
    s /= factor * avgPrec + avgRec;
    return 100 * s;
  }
  return 0;
}

/** Statistics of one segment against its references: those of the reference with the best F (the first on a tie). */
function segmentStats(hyp: string, refs: readonly string[], r: Resolved): number[] {
  const prep = (s: string) => (r.lowercase ? s.toLowerCase() : s);
  const hypGrams = allNgrams(prep(hyp), r);
  let best: number[] = [];
  let bestF = -1;
  for (const ref of refs) {
    const stats = matchStats(hypGrams, allNgrams(prep(ref), r));
    const f = fScore(stats, r);
    if (f > bestF) {
      bestF = f;
      best = stats;
    }
  }
  return best;
}

function makeScore(score: number, r: Resolved, nrefs: number): ChrFScore {
  const name = `chrF${r.beta}${'+'.repeat(r.wordOrder)}`;
  const signature = [
    `nrefs:${nrefs}`,
    `case:${r.lowercase ? 'lc' : 'mixed'}`,
    `eff:${r.epsSmoothing ? 'no' : 'yes'}`,
    `nc:${r.charOrder}`,
    `nw:${r.wordOrder}`,
    `space:${r.whitespace ? 'yes' : 'no'}`,
    `version:${SACREBLEU_VERSION}`,
  ].join('|');
  return { score, name, formatted: `${name} = ${formatFixed(score, 2)}`, signature };
}

/** Corpus chrF: `CHRF(**options).corpus_score(hyps, refs)`; `refs[k][i]` is reference k of line i. */
export function chrF(hyps: readonly string[], refs: readonly (readonly string[])[], options: ChrFOptions = {}): ChrFScore {
  if (hyps.length === 0) throw new RangeError('chrF: no hypotheses');
  if (refs.length === 0) throw new RangeError('chrF: at least one reference set is needed');
  for (const [k, set] of refs.entries()) {
    if (set.length !== hyps.length) throw new RangeError(`chrF: reference set ${k} has ${set.length} lines, the hypotheses ${hyps.length}`);
  }
  const r = resolve(options);
  const sums = new Array<number>(3 * (r.charOrder + r.wordOrder)).fill(0);
  for (let i = 0; i < hyps.length; i++) {
    const stats = segmentStats(
      hyps[i]!,
      refs.map((set) => set[i]!),
      r,
    );
    for (let k = 0; k < sums.length; k++) sums[k]! += stats[k]!;
  }
  return makeScore(fScore(sums, r), r, refs.length);
}

/** Sentence chrF: `sacrebleu.sentence_chrf(hyp, refs)`. */
export function sentenceChrF(hyp: string, refs: readonly string[], options: ChrFOptions = {}): ChrFScore {
  if (refs.length === 0) throw new RangeError('sentenceChrF: at least one reference is needed');
  const r = resolve(options);
  return makeScore(fScore(segmentStats(hyp, refs, r), r), r, refs.length);
}
