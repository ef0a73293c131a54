/**
 * The training panel's script (runs inside the webview; bundled to dist/media/panel.js). Draws what
 * the host (client/src/trainingPanel.ts) sends, keeps it with setState so a reloaded window shows
 * the last picture at once, and forwards the Stop/Resume buttons.
 */
import type { CurvePoint, HostToPanel, PanelSnapshot, PanelToHost } from '../../client/src/panelMessages.js';
import type { TrainingProgress } from '../../server/src/protocol.js';
import { LineChart } from './lineChart.js';

interface VsCodeApi {
  postMessage(message: PanelToHost): void;
  getState(): PanelSnapshot | undefined;
  setState(state: PanelSnapshot): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const charts = {
  loss: new LineChart($('chart-loss'), { colorVar: '--vscode-charts-blue' }),
  ppl: new LineChart($('chart-ppl'), { colorVar: '--vscode-charts-purple', logScale: true }),
  lr: new LineChart($('chart-lr'), { colorVar: '--vscode-charts-orange', format: (v) => v.toExponential(1) }),
  tps: new LineChart($('chart-tps'), { colorVar: '--vscode-charts-green' }),
};

let state: PanelSnapshot = vscode.getState() ?? { curve: [], epochs: [], samples: [], idleText: '' };

function isActive(s: PanelSnapshot): boolean {
  const st = s.job?.state;
  return st === 'running' || st === 'queued' || st === 'stopping';
}

function eta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  return m < 60 ? `${m}m` : `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

function renderHeader(): void {
  const job = state.job;
  const badge = $('job-state');
  badge.textContent = job ? `${job.kind} · ${job.state}` : 'idle';
  badge.className = `badge ${job?.state ?? 'idle'}`;
  $('job-detail').textContent = job ? `${job.config}${job.message ? ` — ${job.message}` : ''}` : state.idleText;
  ($('stop') as HTMLButtonElement).disabled = !isActive(state);
  ($('resume') as HTMLButtonElement).disabled = isActive(state) || !job;
}

function renderStats(p: TrainingProgress | undefined): void {
  const set = (id: string, text: string) => ($(`stat-${id}`).textContent = text);
  set('epoch', p ? String(p.epoch) : '–');
  set('step', p ? (p.totalSteps ? `${p.step} / ${p.totalSteps}` : String(p.step)) : '–');
  set('loss', p ? p.loss.toFixed(3) : '–');
  set('ppl', p ? p.ppl.toFixed(2) : '–');
  set('lr', p ? p.lr.toExponential(2) : '–');
  set('tps', p ? String(Math.round(p.tokensPerSecond)) : '–');
  set('mem', p ? `${Math.round(p.memoryMB)} MB` : '–');
  set('eta', p && isActive(state) ? eta(p.etaSeconds) : '–');
}

function renderCharts(curve: CurvePoint[]): void {
  charts.loss.setData(curve.map((c) => ({ x: c.step, y: c.loss })));
  charts.ppl.setData(curve.map((c) => ({ x: c.step, y: c.ppl })));
  charts.lr.setData(curve.map((c) => ({ x: c.step, y: c.lr })));
  charts.tps.setData(curve.map((c) => ({ x: c.step, y: c.tokensPerSecond })));
}

function renderEpochs(): void {
  const table = $('epochs') as HTMLTableElement;
  const metrics = [...new Set(state.epochs.flatMap((e) => Object.keys(e.scores)))].filter((m) => m !== 'epoch').sort();
  const head = table.tHead!;
  const body = table.tBodies[0]!;
  head.replaceChildren();
  body.replaceChildren();
  $('epochs-empty').hidden = state.epochs.length > 0;
  table.hidden = state.epochs.length === 0;
  if (state.epochs.length === 0) return;
  const hr = head.insertRow();
  for (const name of ['epoch', ...metrics]) {
    const th = document.createElement('th');
    th.textContent = name;
    hr.appendChild(th);
  }
  for (const e of state.epochs) {
    const row = body.insertRow();
    row.insertCell().textContent = String(e.epoch);
    for (const m of metrics) {
      const cell = row.insertCell();
      const v = e.scores[m];
      cell.textContent = v === undefined ? '' : v.toFixed(2);
      if (/bleu|rouge|chrf/i.test(m)) cell.className = 'score';
    }
  }
}

function renderSamples(): void {
  const box = $('samples');
  box.replaceChildren();
  $('samples-empty').hidden = state.samples.length > 0;
  for (const s of state.samples) {
    const dl = document.createElement('dl');
    dl.className = 'sample';
    const add = (label: string, text: string | undefined, cls: string) => {
      if (text === undefined) return;
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = text;
      dd.className = cls;
      dl.append(dt, dd);
    };
    add('source', s.source, 'source');
    add('reference', s.reference, 'reference');
    add('model', s.hypothesis, 'hypothesis');
    box.appendChild(dl);
  }
}

function renderAll(): void {
  renderHeader();
  renderStats(state.progress);
  renderCharts(state.curve);
  renderEpochs();
  renderSamples();
}

window.addEventListener('message', (event: MessageEvent<HostToPanel>) => {
  const m = event.data;
  if (m.type === 'snapshot') {
    // After a window reload the host starts empty: keep the restored picture until it knows more.
    const hostKnowsNothing = !m.snapshot.jobId && m.snapshot.curve.length === 0;
    state = hostKnowsNothing ? { ...state, idleText: m.snapshot.idleText, job: m.snapshot.job ?? state.job } : m.snapshot;
  } else if (m.type === 'progress') {
    if (m.progress.jobId !== state.jobId) state = { ...state, jobId: m.progress.jobId, curve: [], epochs: [], samples: [] };
    state.curve = [...state.curve, m.point];
    state.progress = m.progress;
    if (state.job && state.job.id === m.progress.jobId && state.job.state === 'queued') state.job = { ...state.job, state: 'running' };
  }
  vscode.setState(state);
  renderAll();
});

$('stop').addEventListener('click', () => vscode.postMessage({ type: 'stop' }));
$('resume').addEventListener('click', () => vscode.postMessage({ type: 'resume' }));

renderAll();
vscode.postMessage({ type: 'ready' });
