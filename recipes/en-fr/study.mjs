#!/usr/bin/env node
// The recipe study's curves (recipes/en-fr/study.sh): for every run under recipes/en-fr/dumped/study,
// each validation's update, training hours (pauses over 10 minutes — a stop between sessions — are not
// training time) and greedy sacreBLEU both ways; with the shipped recipe's curve
// (docs/results/en-fr-training.json) → docs/results/recipe-study.json, plotted to recipe-study.png.
// Points of earlier sessions are kept: a run's folder does not outlive the machine it ran on.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readValidations } from './validations.mjs';

const DIR = 'recipes/en-fr/dumped/study';
const OUT = 'docs/results/recipe-study.json';
const saved = existsSync(OUT) ? JSON.parse(readFileSync(OUT, 'utf8')) : { note: '', runs: {} };

for (const name of existsSync(DIR) ? readdirSync(DIR) : []) {
  const file = join(DIR, name, 'train.jsonl');
  if (!existsSync(file)) continue;
  const params = JSON.parse(readFileSync(join(DIR, name, 'params.json'), 'utf8'));
  const points = saved.runs[name]?.points ?? [];
  for (const v of readValidations(file).points)
    if (!points.some((p) => p.time === v.time))
      points.push({ update: v.update, hours: +v.hours.toFixed(3), time: v.time, enfr: v.scores['valid_en-fr_mt_sacrebleu'], fren: v.scores['valid_fr-en_mt_sacrebleu'] });
  saved.runs[name] = {
    setting: { emb_dim: params.emb_dim, n_heads: params.n_heads, layers: `${params.n_layers}+${params.n_dec_layers}`, tokens_per_batch: params.tokens_per_batch, optimizer: params.optimizer },
    points: points.sort((a, b) => a.update - b.update),
  };
}
// the shipped recipe: MASS pre-training then fine-tuning (its curve restarts the clock after pre-training)
const shipped = JSON.parse(readFileSync('docs/results/en-fr-training.json', 'utf8'));
const pre = shipped.phases.pretrain ?? [];
const preHours = pre.length ? pre.at(-1).hours : 0;
saved.runs['shipped (MASS pre-trained)'] = {
  setting: { emb_dim: 256, n_heads: 4, layers: '3+3', tokens_per_batch: 4000, optimizer: 'lr 1e-3, 400 warm-up updates, after MASS pre-training', preTrainingHours: preHours },
  points: (shipped.phases.finetune ?? []).map((p) => ({ update: p.update, hours: p.hours, enfr: p.scores['valid_en-fr_mt_sacrebleu'], fren: p.scores['valid_fr-en_mt_sacrebleu'] })),
};
// The untuned baseline measured before the recipe existed (2026-12-07, nothing else running; the team's
// training-budget note): from scratch, lr 1e-3 with 800 warm-up updates, epoch_size 52,000, vocabulary 16,444.
saved.runs['untuned baseline (from scratch, 800 warm-up)'] = {
  setting: { emb_dim: 256, n_heads: 4, layers: '3+3', tokens_per_batch: 4000, optimizer: 'lr 1e-3, 800 warm-up updates, from scratch' },
  points: [
    [450, 26, 0.85, 1.15],
    [900, 52, 4.12, 4.85],
    [1350, 78, 8.64, 9.02],
    [1800, 104, 12.96, 13.51],
    [2250, 130, 16.77, 17.43],
  ].map(([update, minutes, enfr, fren]) => ({ update, hours: +(minutes / 60).toFixed(3), enfr, fren })),
};
saved.note =
  'Supervised en-fr runs on the 320k pairs (recipes/en-fr/study.sh), greedy sacreBLEU on the 1,040 valid pairs against training hours ' +
  'on the 2-core CPU (wasm, 2 workers; evaluation included). The shipped run\'s hours exclude its MASS pre-training (setting.preTrainingHours).';
writeFileSync(OUT, JSON.stringify(saved, null, 1) + '\n');
for (const [name, run] of Object.entries(saved.runs)) {
  const p = run.points.at(-1);
  console.log(`${name.padEnd(28)} ${run.points.length} points; last: update ${p?.update}, ${p?.hours} h, ${p?.enfr?.toFixed(2)} / ${p?.fren?.toFixed(2)}`);
}
const py = spawnSync('/usr/bin/python3', ['-c', `
import json, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
d = json.load(open(sys.argv[1]))
fig, (by_update, by_hour) = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
for name, run in d["runs"].items():
    pts = [p for p in run["points"] if p.get("enfr") is not None]
    if not pts: continue
    bleu = [(p["enfr"] + p["fren"]) / 2 for p in pts]
    line, = by_update.plot([p["update"] for p in pts], bleu, marker="o", markersize=3, label=name)
    by_hour.plot([p["hours"] for p in pts], bleu, marker="o", markersize=3, color=line.get_color())
for ax in (by_update, by_hour):
    ax.axhline(5.9, color="grey", linestyle=":", label="copy the source (5.9)" if ax is by_update else None)
    ax.grid(alpha=0.3)
by_update.set_xlabel("updates (tokens_per_batch as in the legend's runs)")
by_hour.set_xlabel("training hours (2-core CPU, evaluation included; shared cores differ per run)")
by_update.set_ylabel("valid sacreBLEU, mean of en→fr and fr→en (greedy)")
fig.suptitle("Recipe study: supervised en↔fr on 320k pairs")
by_update.legend(fontsize=8)
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=110)
`, OUT, OUT.replace(/\.json$/, '.png')], { stdio: 'inherit', env: { ...process.env, OPENBLAS_CORETYPE: '', OPENBLAS_L2_SIZE: '' } });
if (py.status !== 0) process.exit(py.status ?? 1);
