/**
 * The "MASS" status-bar item: progress while training (click opens the panel), the loaded
 * checkpoint and backend when idle (click selects a checkpoint), and the daemon's own state.
 */
import * as vscode from 'vscode';
import type { Ctx } from './ctx.js';
import { backendName, checkpointName, formatEta, progressSummary } from './format.js';

export function idleText(ctx: Ctx): string {
  const status = ctx.training.status;
  if (!status) return 'MASS';
  const model = status.checkpoint ? checkpointName(status.checkpoint) : 'no model yet';
  return `MASS ${model} · ${backendName(status.backend, status.backendAdapter)}`;
}

export function createStatusBar(ctx: Ctx): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('mass.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'MASS Training';

  const render = () => {
    const progress = ctx.training.progress;
    item.backgroundColor = undefined;
    if (ctx.daemonState === 'starting' && !ctx.training.status) {
      item.text = '$(loading~spin) MASS';
      item.tooltip = 'Starting the MASS daemon…';
      item.command = undefined;
    } else if (ctx.daemonState === 'stopped') {
      item.text = '$(error) MASS';
      item.tooltip = 'The MASS daemon is not running. Click to restart it.';
      item.command = 'mass.restartDaemon';
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else if (ctx.training.running) {
      const job = ctx.training.status?.job;
      item.text = progress ? `$(sync~spin) ${progressSummary(progress)}` : `$(sync~spin) MASS ${job?.kind ?? 'training'} starting`;
      item.tooltip = progress ? progressTooltip(ctx) : `MASS ${job?.kind ?? ''} job ${job?.state ?? ''}`;
      item.command = 'mass.showTrainingPanel';
    } else {
      const status = ctx.training.status;
      item.text = `$(beaker) ${idleText(ctx)}`;
      item.tooltip = status?.checkpoint
        ? `Checkpoint ${status.checkpoint.path}\nBackend ${backendName(status.backend, status.backendAdapter)}\nClick to select another checkpoint.`
        : 'No trained model yet: run "MASS: Pretrain". Click to select a checkpoint.';
      item.command = 'mass.selectCheckpoint';
    }
    item.show();
  };

  render();
  return vscode.Disposable.from(item, ctx.training.onDidChange(render), ctx.training.onProgress(render), ctx.onDaemonState(render));
}

function progressTooltip(ctx: Ctx): vscode.MarkdownString {
  const p = ctx.training.progress!;
  const job = ctx.training.status?.job;
  const losses = Object.entries(p.losses)
    .map(([k, v]) => `${k} ${v.toFixed(3)}`)
    .join(', ');
  const md = new vscode.MarkdownString(
    [
      `**MASS ${job?.kind ?? 'training'}** — epoch ${p.epoch}, step ${p.step}${p.totalSteps ? ` of ${p.totalSteps}` : ''}`,
      '',
      `loss ${p.loss.toFixed(4)} · ppl ${p.ppl.toFixed(2)} · lr ${p.lr.toExponential(2)}`,
      '',
      `${Math.round(p.tokensPerSecond)} tokens/s · ${Math.round(p.memoryMB)} MB · elapsed ${formatEta(p.elapsedSeconds)}${p.etaSeconds !== undefined ? ` · ETA ${formatEta(p.etaSeconds)}` : ''}`,
      ...(losses ? ['', losses] : []),
      '',
      'Click to open the training panel.',
    ].join('\n'),
  );
  return md;
}
