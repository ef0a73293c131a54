#!/usr/bin/env node
// The learning curve of the bundled en↔fr model: every validation of its training phases (from each
// run's train.jsonl) with the update count and the training time it took, merged into
// docs/results/en-fr-training.json (points of earlier sessions are kept: a run's files do not outlive
// the machine it ran on), then plotted to docs/results/en-fr-training.png.
// Usage (repository root): node recipes/en-fr/curve.mjs
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { readValidations } from './validations.mjs';

const OUT = 'docs/results/en-fr-training.json';
const PHASES = { pretrain: 'recipes/en-fr/dumped/en-fr/pretrain/train.jsonl', finetune: 'recipes/en-fr/dumped/en-fr/finetune/train.jsonl' };

const saved = existsSync(OUT) ? JSON.parse(readFileSync(OUT, 'utf8')) : { note: '', phases: {} };
for (const [phase, file] of Object.entries(PHASES)) {
  if (!existsSync(file)) continue;
  const points = saved.phases[phase] ?? [];
  // Training time continues from the last point saved by an earlier session.
  // A run continued from packed weights (a fresh optimizer) counts updates from 0 again: continue the count.
  const run = readValidations(file);
  const lastSaved = points.at(-1);
  const newer = lastSaved && run.startTime && Date.parse(run.startTime) > Date.parse(lastSaved.time);
  const offsetUpdates = newer && run.firstStep < lastSaved.update ? lastSaved.update : 0;
  const offsetHours = newer ? lastSaved.hours : 0;
  for (const v of run.points) {
    if (points.some((p) => p.time === v.time)) continue;
    const { epoch, ...scores } = v.scores;
    points.push({ update: v.update + offsetUpdates, epoch, hours: +(offsetHours + v.hours).toFixed(3), time: v.time, scores });
  }
  saved.phases[phase] = points.sort((a, b) => a.update - b.update);
}
// The shipped translation model was fine-tuned from the pre-training's best checkpoint at update 504
// (the first session); the pre-training then went on for models/en-fr/pretrained.safetensors.
saved.finetuneFromPretrainUpdate ??= 504;
saved.note =
  'Validation of the bundled en-fr model during training (recipes/en-fr): update count, training hours on the 2-core CPU ' +
  '(wasm, 2 workers, other work sharing the cores), and the validation scores the trainer logs (greedy decoding).';
writeFileSync(OUT, JSON.stringify(saved, null, 1) + '\n');
console.log(`${OUT}: ${Object.entries(saved.phases).map(([k, v]) => `${k} ${v.length} points`).join(', ')}`);
const py = spawnSync('/usr/bin/python3', ['recipes/en-fr/plot.py', OUT, OUT.replace(/\.json$/, '.png')], { stdio: 'inherit', env: { ...process.env, OPENBLAS_CORETYPE: '', OPENBLAS_L2_SIZE: '' } });
if (py.status !== 0) process.exit(py.status ?? 1);
