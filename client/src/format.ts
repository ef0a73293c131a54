/** Text shown in the status bar, pickers and messages. Pure functions (no vscode import), unit-tested. */
import type { BackendName, CheckpointInfo, TrainingProgress } from '../../server/src/protocol.js';

/** 45s, 3m, 1h 05m, 2d 3h. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** 812, 1.2k, 15k. */
export function formatRate(perSecond: number): string {
  if (perSecond < 1000) return String(Math.round(perSecond));
  if (perSecond < 10_000) return `${(perSecond / 1000).toFixed(1)}k`;
  return `${Math.round(perSecond / 1000)}k`;
}

/** "MASS e1 s40 loss 5.12 812 tok/s ETA 3m" (the icon is added by the status bar). */
export function progressSummary(p: TrainingProgress): string {
  const parts = [`MASS e${p.epoch} s${p.step}`, `loss ${p.loss.toFixed(2)}`, `${formatRate(p.tokensPerSecond)} tok/s`];
  if (p.etaSeconds !== undefined && Number.isFinite(p.etaSeconds)) parts.push(`ETA ${formatEta(p.etaSeconds)}`);
  return parts.join(' ');
}

/** "mass/2024-05-01_1200 best-valid_en_mass_ppl": experiment and kind, which is how people tell them apart. */
export function checkpointName(c: CheckpointInfo): string {
  // The model shipped with the extension answers until the workspace has one of its own.
  if (c.kind === 'bundled') return `${c.experiment} model`;
  return `${c.experiment} ${c.kind}`;
}

export function backendName(b: BackendName | 'not-loaded', adapter?: string): string {
  if (b === 'not-loaded') return 'no backend yet';
  return adapter ? `${b}: ${adapter}` : b;
}

/** "e3 · s1200 · en,fr · mt_bleu 12.30" for pickers. */
export function checkpointDetail(c: CheckpointInfo): string {
  const scores = Object.entries(c.scores)
    .slice(0, 3)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`);
  return [`e${c.epoch}`, `s${c.step}`, c.langs.join(','), c.tasks.join(','), ...scores].filter(Boolean).join(' · ');
}

/** Score table lines for the output channel, sorted by name. */
export function scoreLines(scores: Record<string, number>): string[] {
  const names = Object.keys(scores).sort();
  const width = Math.max(0, ...names.map((n) => n.length));
  return names.map((n) => `${n.padEnd(width)}  ${scores[n]!.toFixed(2)}`);
}

/**
 * Splits selected text into the sentences sent for translation: one per non-empty line, keeping each
 * line's indentation and the empty lines so the translation can be put back in the same shape.
 */
export interface SplitText {
  sentences: string[];
  rebuild(translations: string[]): string;
}

export function splitLines(text: string): SplitText {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const slots: { indent: string; index?: number; trailing: string }[] = [];
  const sentences: string[] = [];
  for (const line of lines) {
    const m = /^(\s*)(.*?)(\s*)$/.exec(line)!;
    if (m[2]) {
      slots.push({ indent: m[1]!, index: sentences.length, trailing: m[3]! });
      sentences.push(m[2]);
    } else slots.push({ indent: line, trailing: '' });
  }
  return {
    sentences,
    rebuild: (translations) => slots.map((s) => (s.index === undefined ? s.indent : s.indent + (translations[s.index] ?? '') + s.trailing)).join(eol),
  };
}
