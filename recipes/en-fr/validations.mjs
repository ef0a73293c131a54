// A training run's validations, read from its train.jsonl: the update count at each one (the last
// progress record before it), its scores, and the training hours up to it. A pause longer than
// GAP_SECONDS between two records is a stop between sessions, not training time.
// Shared by the recipe scripts (curve.mjs, study.mjs, low-resource-table.mjs).
import { readFileSync } from 'node:fs';

export const GAP_SECONDS = 600;

/** { firstStep, startTime, points: [{ update, time, hours, scores }] } of one train.jsonl. */
export function readValidations(file) {
  const records = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  const points = [];
  let hours = 0;
  let last;
  let step = 0;
  for (const r of records) {
    const t = Date.parse(r.time) / 1000;
    if (last !== undefined && t - last < GAP_SECONDS) hours += (t - last) / 3600;
    last = t;
    if (r.type === 'progress') step = r.step;
    if (r.type === 'event' && r.kind === 'epoch') points.push({ update: step, time: r.time, hours, scores: r.scores });
  }
  return { firstStep: records.find((r) => r.type === 'progress')?.step ?? 0, startTime: records[0]?.time, points };
}
