// Baselines for docs/results.md: copy-the-source BLEU for unsupervised en↔fr, and the lead-N-words
// ROUGE for summarization, on the same valid sets and with the same metrics as the trained runs.
// Run from the repository root: node --import tsx study/baselines.ts
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { multiBleu } from '../server/src/engine/metrics/multiBleu.js';
import { sacreBleu } from '../server/src/engine/metrics/sacreBleu.js';
import { rouge } from '../server/src/engine/metrics/rouge.js';

const lines = (p: string) => readFileSync(p, 'utf8').replace(/\n$/, '').split('\n');
const gz = (p: string) => gunzipSync(readFileSync(p)).toString('utf8').replace(/\n$/, '').split('\n');
const data = 'study/processed/pretrain';
const out: Record<string, number> = {};
for (const [src, tgt] of [['en', 'fr'], ['fr', 'en']] as const) {
  const hypTok = lines(`${data}/valid.en-fr.${src}.ref`);
  const refTok = lines(`${data}/valid.en-fr.${tgt}.ref`);
  out[`copy_${src}-${tgt}_bleu`] = multiBleu(hypTok, [refTok]).score;
  out[`copy_${src}-${tgt}_sacrebleu`] = sacreBleu(lines(`${data}/valid.en-fr.${src}.raw`), [lines(`${data}/valid.en-fr.${tgt}.raw`)]).score;
}
const records = gz('data/corpora/summarization/valid.jsonl.gz').map((l) => JSON.parse(l) as { article: string; summary: string });
for (const n of [5, 8, 10, 15, 20]) {
  const hyps = records.map((r) => r.article.split(/\s+/).filter(Boolean).slice(0, n).join(' '));
  const r = rouge(hyps, records.map((x) => x.summary), { useStemmer: true });
  for (const t of ['rouge1', 'rouge2', 'rougeL'] as const) out[`lead${n}_${t}`] = 100 * r.average[t]!.fmeasure;
}
console.log(JSON.stringify(out, null, 2));
