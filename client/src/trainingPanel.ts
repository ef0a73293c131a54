/**
 * Hosts the training panel webview (script and styles in media/): curves, per-epoch scores, samples,
 * stop/resume. Strict Content-Security-Policy with a nonce; the panel is restored after a window
 * reload by the serializer, and the webview keeps its last snapshot with setState meanwhile.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Ctx } from './ctx.js';
import type { HostToPanel, PanelToHost } from './panelMessages.js';
import { idleText } from './statusBar.js';

export class TrainingPanel implements vscode.Disposable {
  static readonly viewType = 'mass.trainingPanel';
  private panel?: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(TrainingPanel.viewType, {
        deserializeWebviewPanel: async (panel) => this.attach(panel),
      }),
      ctx.training.onDidChange(() => this.postSnapshot()),
      ctx.onDaemonState(() => this.postSnapshot()),
      ctx.training.onProgress(({ progress, point }) => this.post({ type: 'progress', progress, point })),
    );
  }

  show(preserveFocus: boolean): void {
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      TrainingPanel.viewType,
      'MASS Training',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      this.webviewOptions(),
    );
    this.attach(panel);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    const root = this.ctx.extension.extensionUri;
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(root, 'media'), vscode.Uri.joinPath(root, 'dist', 'media')],
    };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.webview.options = this.webviewOptions();
    panel.webview.html = this.html(panel.webview);
    panel.webview.onDidReceiveMessage((m: PanelToHost) => this.onMessage(m), undefined, this.disposables);
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
  }

  private onMessage(m: PanelToHost): void {
    if (m.type === 'ready') this.postSnapshot();
    else if (m.type === 'stop') void vscode.commands.executeCommand('mass.stopTraining');
    else if (m.type === 'resume')
      void vscode.commands.executeCommand(
        'mass.resumeTraining',
        this.ctx.training.status?.job?.config ? vscode.Uri.file(this.ctx.training.status.job.config) : undefined,
      );
  }

  private postSnapshot(): void {
    this.post({ type: 'snapshot', snapshot: this.ctx.training.snapshot(idleText(this.ctx)) });
  }

  private post(message: HostToPanel): void {
    void this.panel?.webview.postMessage(message);
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const root = this.ctx.extension.extensionUri;
    const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'dist', 'media', 'panel.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'media', 'panel.css'));
    const csp = [
      `default-src 'none'`,
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    const stat = (id: string, label: string) => `<div class="stat"><span class="label">${label}</span><span class="value" id="stat-${id}">–</span></div>`;
    const chart = (id: string, title: string) =>
      `<figure class="chart"><figcaption>${title}</figcaption><canvas id="chart-${id}" data-points="0"></canvas></figure>`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>MASS Training</title>
</head>
<body>
<header>
  <div class="heading"><h1>MASS training</h1><span id="job-state" class="badge">idle</span></div>
  <div id="job-detail" class="detail"></div>
  <div class="buttons">
    <button id="stop" class="secondary" title="Stop training (a checkpoint is written first)">Stop</button>
    <button id="resume" title="Resume from the last checkpoint">Resume</button>
  </div>
</header>
<section class="stats">
  ${stat('epoch', 'epoch')}${stat('step', 'step')}${stat('loss', 'loss')}${stat('ppl', 'perplexity')}${stat('lr', 'learning rate')}${stat('tps', 'tokens/s')}${stat('mem', 'memory')}${stat('eta', 'ETA')}
</section>
<section class="charts">
  ${chart('loss', 'Loss')}${chart('ppl', 'Perplexity')}${chart('lr', 'Learning rate')}${chart('tps', 'Tokens per second')}
</section>
<section>
  <h2>Validation per epoch</h2>
  <div class="table-scroll"><table id="epochs"><thead></thead><tbody></tbody></table></div>
  <p id="epochs-empty" class="empty">Scores appear at the end of each epoch (perplexity, accuracy, BLEU, ROUGE).</p>
</section>
<section>
  <h2>Recent samples</h2>
  <div id="samples"></div>
  <p id="samples-empty" class="empty">Sample translations appear after each evaluation.</p>
</section>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }
}
