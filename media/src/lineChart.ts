/**
 * A small canvas line chart for the training panel: one series, "nice" y ticks, optional log scale,
 * sharp on high-DPI screens, colours read from VS Code's theme variables at every draw (so a theme
 * change repaints correctly). Written here instead of bundling a chart library: the panel needs only
 * this, and it keeps the webview free of third-party code.
 */

export interface ChartOptions {
  /** CSS variable holding the line colour, e.g. --vscode-charts-blue. */
  colorVar: string;
  logScale?: boolean;
  format?: (v: number) => string;
}

export interface Point {
  x: number;
  y: number;
}

const PAD = { left: 52, right: 10, top: 8, bottom: 22 };

export class LineChart {
  private points: Point[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly options: ChartOptions,
  ) {
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  setData(points: Point[]): void {
    this.points = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!this.options.logScale || p.y > 0));
    // For tests and accessibility: how many points are drawn, and the latest value.
    this.canvas.dataset.points = String(this.points.length);
    const last = this.points[this.points.length - 1];
    this.canvas.setAttribute('aria-label', last ? `${this.points.length} points, latest ${this.fmt(last.y)} at step ${last.x}` : 'no data yet');
    this.draw();
  }

  draw(): void {
    const dpr = window.devicePixelRatio || 1;
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    if (width === 0 || height === 0) return;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    const g = this.canvas.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);

    const style = getComputedStyle(document.body);
    const color = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    const fg = color('--vscode-descriptionForeground', '#888');
    const grid = color('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
    const line = color(this.options.colorVar, '#3794ff');
    g.font = `11px ${style.getPropertyValue('--vscode-font-family') || 'sans-serif'}`;

    const plotW = width - PAD.left - PAD.right;
    const plotH = height - PAD.top - PAD.bottom;
    if (this.points.length === 0) {
      g.fillStyle = fg;
      g.textAlign = 'center';
      g.fillText('waiting for data', width / 2, height / 2);
      return;
    }

    const tf = this.options.logScale ? Math.log10 : (v: number) => v;
    const xs = this.points.map((p) => p.x);
    const ys = this.points.map((p) => tf(p.y));
    let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
    if (x1 === x0) x1 = x0 + 1;
    if (y1 === y0) [y0, y1] = [y0 - 0.5, y1 + 0.5];
    const yTicks = niceTicks(y0, y1, Math.max(2, Math.floor(plotH / 28)));
    y0 = Math.min(y0, yTicks[0]!);
    y1 = Math.max(y1, yTicks[yTicks.length - 1]!);
    const px = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * plotW;
    const py = (y: number) => PAD.top + (1 - (y - y0) / (y1 - y0)) * plotH;

    // grid and y labels
    g.strokeStyle = grid;
    g.lineWidth = 1;
    g.fillStyle = fg;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (const t of yTicks) {
      const y = Math.round(py(t)) + 0.5;
      g.beginPath();
      g.moveTo(PAD.left, y);
      g.lineTo(width - PAD.right, y);
      g.stroke();
      g.fillText(this.fmt(this.options.logScale ? 10 ** t : t), PAD.left - 6, y);
    }
    // x labels: steps
    g.textAlign = 'center';
    g.textBaseline = 'top';
    for (const t of niceTicks(x0, x1, Math.max(2, Math.floor(plotW / 80)))) {
      if (t < x0 || t > x1) continue;
      g.fillText(String(Math.round(t)), px(t), height - PAD.bottom + 6);
    }
    // the series
    g.strokeStyle = line;
    g.lineWidth = 1.5;
    g.lineJoin = 'round';
    g.beginPath();
    this.points.forEach((p, i) => (i === 0 ? g.moveTo(px(p.x), py(tf(p.y))) : g.lineTo(px(p.x), py(tf(p.y)))));
    g.stroke();
    const last = this.points[this.points.length - 1]!;
    g.fillStyle = line;
    g.beginPath();
    g.arc(px(last.x), py(tf(last.y)), 2.5, 0, 2 * Math.PI);
    g.fill();
  }

  private fmt(v: number): string {
    if (this.options.format) return this.options.format(v);
    return formatTick(v);
  }
}

/** Tick values at 1, 2 or 5 × 10^k spacing covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo;
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  const first = Math.floor(lo / step);
  for (let i = first; ; i++) {
    const t = Number((i * step).toPrecision(12));
    ticks.push(t);
    if (t >= hi - step * 1e-9) break;
  }
  return ticks;
}

export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(1);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return Number(v.toPrecision(3)).toString();
}
