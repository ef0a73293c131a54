// Final and best validation scores of every study run, as markdown tables for docs/results.md.
// Run from the repository root: node --import tsx study/summary.ts
import { existsSync, readFileSync } from 'node:fs';

type Row = Record<string, unknown>;
const runs = ['pretrain', 'sup10k-scratch', 'sup10k-mass', 'sup50k-scratch', 'sup50k-mass', 'unsup-bt', 'summ-scratch', 'summ-mass', 'pretrain-long', 'unsup-bt-long', 'summ-mass-long'];
const fmt = (v: number | undefined, d = 2) => (v === undefined ? '–' : v.toFixed(d));

function load(run: string): { epochs: { step: number; scores: Record<string, number> }[]; updates: number; seconds: number } | undefined {
  const p = `study/dumped/study/${run}/train.jsonl`;
  if (!existsSync(p)) return undefined;
  const rows = readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
  let step = 0;
  let seconds = 0;
  // A resumed run restarts its clock: earlier segments' times are added up.
  let before = 0;
  let elapsed = 0;
  // A run stopped inside an epoch and resumed evaluates that epoch again at its real end: keep the last.
  const epochs = new Map<number, { step: number; scores: Record<string, number> }>();
  for (const r of rows) {
    if (r.type === 'progress') {
      step = r.step as number;
      const e = r.elapsedSeconds as number;
      if (e < elapsed) before += elapsed;
      elapsed = e;
      seconds = before + e;
    } else if (r.type === 'event' && r.kind === 'epoch') epochs.set(r.epoch as number, { step, scores: r.scores as Record<string, number> });
  }
  return { epochs: [...epochs.keys()].sort((a, b) => a - b).map((k) => epochs.get(k)!), updates: step, seconds };
}

const best = (e: { scores: Record<string, number> }[], k: string) => {
  const v = e.map((x) => x.scores[k]).filter((x): x is number => x !== undefined);
  return v.length ? Math.max(...v) : undefined;
};
const last = (e: { scores: Record<string, number> }[], k: string) => e.at(-1)?.scores[k];

console.log('| run | updates | wall time | valid en→fr BLEU (last / best) | valid fr→en BLEU (last / best) | en→fr sacreBLEU (last) | fr→en sacreBLEU (last) | valid ppl en→fr / fr→en (last) |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const run of runs.filter((r) => r.startsWith('sup') || r.startsWith('unsup'))) {
  const d = load(run);
  if (!d) continue;
  const e = d.epochs;
  console.log(`| ${run} | ${d.updates} | ${Math.round(d.seconds / 60)} min | ${fmt(last(e, 'valid_en-fr_mt_bleu'))} / ${fmt(best(e, 'valid_en-fr_mt_bleu'))} | ${fmt(last(e, 'valid_fr-en_mt_bleu'))} / ${fmt(best(e, 'valid_fr-en_mt_bleu'))} | ${fmt(last(e, 'valid_en-fr_mt_sacrebleu'))} | ${fmt(last(e, 'valid_fr-en_mt_sacrebleu'))} | ${fmt(last(e, 'valid_en-fr_mt_ppl'), 1)} / ${fmt(last(e, 'valid_fr-en_mt_ppl'), 1)} |`);
}
console.log('\n| run | updates | wall time | ROUGE-1 | ROUGE-2 | ROUGE-L (last / best) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const run of runs.filter((r) => r.startsWith('summ'))) {
  const d = load(run);
  if (!d) continue;
  const e = d.epochs;
  console.log(`| ${run} | ${d.updates} | ${Math.round(d.seconds / 60)} min | ${fmt(last(e, 'valid_summarization_rouge1'))} | ${fmt(last(e, 'valid_summarization_rouge2'))} | ${fmt(last(e, 'valid_summarization_rougeL'))} / ${fmt(best(e, 'valid_summarization_rougeL'))} |`);
}
// pretrain-long is the same run continued (its log starts with pretrain's): its rows after pretrain's end.
const pre = load('pretrain');
const preLong = load('pretrain-long');
if (pre) {
  console.log('\n| pre-training epoch | updates | valid en masked-span ppl / acc | valid fr masked-span ppl / acc |');
  console.log('| --- | --- | --- | --- |');
  const row = (e: { step: number; scores: Record<string, number> }, i: number, run: string) =>
    console.log(`| ${i}${run} | ${e.step} | ${fmt(e.scores['valid_en-en_mass_ppl'], 1)} / ${fmt(e.scores['valid_en-en_mass_acc'], 1)}% | ${fmt(e.scores['valid_fr-fr_mass_ppl'], 1)} / ${fmt(e.scores['valid_fr-fr_mass_acc'], 1)}% |`);
  pre.epochs.forEach((e, i) => row(e, i, ''));
  preLong?.epochs.forEach((e, i) => i >= pre.epochs.length && row(e, i, ' (pretrain-long)'));
}

// Validation BLEU at each evaluation, side by side: the runs evaluate at the same updates (same
// epoch_size and batching), so each row compares the runs after equal training.
const sup = ['sup10k-scratch', 'sup10k-mass', 'sup50k-scratch', 'sup50k-mass'].map((r) => [r, load(r)] as const).filter(([, d]) => d);
if (sup.length) {
  console.log(`\n| evaluation | ${sup.map(([r]) => `${r}: BLEU en→fr / fr→en · ppl en→fr / fr→en`).join(' | ')} |`);
  console.log(`| --- | ${sup.map(() => '---').join(' | ')} |`);
  const n = Math.max(...sup.map(([, d]) => d!.epochs.length));
  for (let i = 0; i < n; i++) {
    const cells = sup.map(([, d]) => {
      const e = d!.epochs[i];
      return e ? `${fmt(e.scores['valid_en-fr_mt_bleu'])} / ${fmt(e.scores['valid_fr-en_mt_bleu'])} · ppl ${fmt(e.scores['valid_en-fr_mt_ppl'], 0)} / ${fmt(e.scores['valid_fr-en_mt_ppl'], 0)} (update ${e.step})` : '–';
    });
    console.log(`| ${i + 1} | ${cells.join(' | ')} |`);
  }
}
