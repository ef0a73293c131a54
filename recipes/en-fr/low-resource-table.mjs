#!/usr/bin/env node
// The low-resource comparison's table (recipes/en-fr/low-resource.sh table): every validation of each
// run under recipes/en-fr/dumped/low-resource → docs/results/low-resource.json, printed side by side
// (from the pre-trained model, from scratch, their gain). Runs whose folder is gone (another machine)
// keep the points the file already has.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readValidations } from './validations.mjs';

const DIR = 'recipes/en-fr/dumped/low-resource';
const OUT = 'docs/results/low-resource.json';
const PAIRS = [
  ['pretrained', 'scratch', 'tokens_per_batch 2000, lr 5e-4 with 100 warm-up updates'],
  ['pretrained-fast', 'scratch-fast', 'tokens_per_batch 2000, lr 1e-3 with 400 warm-up updates (SCHEDULE=fast)'],
];
const saved = existsSync(OUT) ? JSON.parse(readFileSync(OUT, 'utf8')) : { runs: {} };

for (const id of PAIRS.flatMap(([a, b]) => [a, b])) {
  const file = join(DIR, id, 'train.jsonl');
  if (!existsSync(file)) continue;
  saved.runs[id] = readValidations(file).points.map(({ update, scores }) => ({
    update,
    enfr: scores['valid_en-fr_mt_sacrebleu'],
    fren: scores['valid_fr-en_mt_sacrebleu'],
    pplEnFr: scores['valid_en-fr_mt_ppl'],
    pplFrEn: scores['valid_fr-en_mt_ppl'],
  }));
}
saved.note = 'recipes/en-fr/low-resource.sh: 10,000 pairs (every 32nd of train), greedy sacreBLEU on the 1,040 valid pairs';
writeFileSync(OUT, JSON.stringify(saved, null, 2) + '\n');

const f = (x) => x.toFixed(2);
for (const [pre, scratch, setting] of PAIRS) {
  const a = saved.runs[pre];
  const b = saved.runs[scratch];
  if (!a || !b) continue;
  console.log(`${pre} / ${scratch}: ${setting}`);
  console.log('update   from pre-trained en→fr / fr→en   from scratch en→fr / fr→en   gain');
  a.forEach((p, i) => {
    const s = b[i];
    if (!s) return;
    console.log(
      `${String(p.update).padStart(6)}   ${f(p.enfr).padStart(8)} / ${f(p.fren).padEnd(8)}         ${f(s.enfr).padStart(8)} / ${f(s.fren).padEnd(8)}     ${f(p.enfr - s.enfr)} / ${f(p.fren - s.fren)}`,
    );
  });
}
