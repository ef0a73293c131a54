/**
 * The MASS palette commands, one small factory each (rust-analyzer style): each takes the context
 * and returns the handler. They only ask questions and send typed protocol requests; the daemon's
 * error messages are shown as they are (they already say what to do, e.g. "no model trained yet").
 */
import * as vscode from 'vscode';
import * as protocol from '../../server/src/protocol.js';
import { config } from './config.js';
import type { Ctx } from './ctx.js';
import { checkpointDetail, checkpointName, scoreLines } from './format.js';
import { pickConfig, pickFile, pickFinetuneKind, pickLanguages, pickStartingWeights } from './pickers.js';
import type { TrainingPanel } from './trainingPanel.js';

export type Handler = (...args: unknown[]) => Promise<void>;

function jobStarted(ctx: Ctx, panel: TrainingPanel, job: protocol.JobInfo, what: string): void {
  ctx.log.appendLine(`[client] ${what} job ${job.id} ${job.state} (${job.config})`);
  void ctx.refreshStatus();
  if (config.revealPanelOnTrainingStart()) panel.show(true);
  const where = vscode.workspace.asRelativePath(job.config);
  void vscode.window.setStatusBarMessage(`MASS: ${what} ${job.state === 'queued' ? 'queued' : 'started'} with ${where}`, 5000);
}

export function pretrain(ctx: Ctx, panel: TrainingPanel): Handler {
  return async (arg) => {
    const configPath = await pickConfig(arg);
    if (!configPath) return;
    const { job } = await ctx.request(protocol.pretrain, { config: configPath });
    jobStarted(ctx, panel, job, 'pre-training');
  };
}

export function finetune(ctx: Ctx, panel: TrainingPanel): Handler {
  return async (arg) => {
    const configPath = await pickConfig(arg);
    if (!configPath) return;
    const kind = await pickFinetuneKind();
    if (!kind) return;
    const from = await pickStartingWeights(ctx);
    if (!from) return;
    const { job } = await ctx.request(protocol.finetune, { config: configPath, kind, ...from });
    jobStarted(ctx, panel, job, 'fine-tuning');
  };
}

export function resumeTraining(ctx: Ctx, panel: TrainingPanel): Handler {
  return async (arg) => {
    const configPath = await pickConfig(arg);
    if (!configPath) return;
    const { job } = await ctx.request(protocol.resume, { config: configPath });
    jobStarted(ctx, panel, job, 'resumed training');
  };
}

export function stopTraining(ctx: Ctx): Handler {
  return async () => {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'MASS: stopping training (saving a checkpoint)…' }, () =>
      ctx.request(protocol.stopTraining, {}),
    );
    await ctx.refreshStatus();
    if (!result.stopped) void vscode.window.showInformationMessage('MASS: no training job is running.');
    else
      void vscode.window.showInformationMessage(
        `MASS: training stopped${result.checkpoint ? `; checkpoint saved to ${vscode.workspace.asRelativePath(result.checkpoint)}` : ''}.`,
      );
  };
}

export function evaluate(ctx: Ctx): Handler {
  return async (arg) => {
    const configPath = await pickConfig(arg);
    if (!configPath) return;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'MASS: evaluating on the validation data…', cancellable: true },
      (_progress, token) => ctx.request(protocol.evaluate, { config: configPath, checkpoint: ctx.training.status?.checkpoint?.path }, token),
    );
    ctx.log.appendLine(`evaluation of ${result.checkpoint}`);
    for (const line of scoreLines(result.scores)) ctx.log.appendLine(`  ${line}`);
    const headline = Object.entries(result.scores)
      .filter(([k]) => /bleu|rouge/i.test(k))
      .slice(0, 3)
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join(', ');
    const pick = await vscode.window.showInformationMessage(`MASS evaluation: ${headline || `${Object.keys(result.scores).length} scores`}`, 'Show All Scores');
    if (pick) ctx.log.show(true);
  };
}

export function createConfig(ctx: Ctx): Handler {
  return async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const folder = folders.length > 1 ? await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Workspace folder to scan for corpora' }) : folders[0];
    if (!folder) {
      if (folders.length === 0) void vscode.window.showWarningMessage('MASS: open a folder with your corpora first; the config is written into it.');
      return;
    }
    const existing = vscode.Uri.joinPath(folder.uri, 'mass.config.json');
    if (await exists(existing)) {
      await vscode.window.showTextDocument(existing);
      void vscode.window.showInformationMessage('MASS: this folder already has a mass.config.json (opened).');
      return;
    }
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'MASS: looking for corpora…' }, () =>
      ctx.request(protocol.createConfig, { folder: folder.uri.fsPath }),
    );
    await vscode.window.showTextDocument(vscode.Uri.file(result.path));
    const mono = Object.entries(result.found.mono).map(([lang, files]) => `${lang} (${files.length} file${files.length === 1 ? '' : 's'})`);
    const para = Object.keys(result.found.para);
    void vscode.window.showInformationMessage(
      `MASS: created ${vscode.workspace.asRelativePath(result.path)}` +
        (mono.length ? ` — monolingual: ${mono.join(', ')}` : ' — no corpora found yet; fill in "corpora"') +
        (para.length ? `; parallel: ${para.join(', ')}` : ''),
    );
  };
}

export function selectCheckpoint(ctx: Ctx): Handler {
  return async () => {
    const { checkpoints } = await ctx.request(protocol.listCheckpoints, {});
    if (checkpoints.length === 0) {
      void vscode.window.showInformationMessage('MASS: no checkpoints yet. Run "MASS: Pretrain" to train a model.');
      return;
    }
    const current = ctx.training.status?.checkpoint?.path;
    const items = checkpoints
      .sort((a, b) => b.savedAt.localeCompare(a.savedAt))
      .map((c) => ({
        label: `${c.path === current ? '$(check) ' : ''}${checkpointName(c)}`,
        description: checkpointDetail(c),
        detail: vscode.workspace.asRelativePath(c.path),
        checkpoint: c,
      }));
    const pick = await vscode.window.showQuickPick(items, { title: 'MASS: checkpoint for translation, summarization and evaluation', matchOnDetail: true });
    if (!pick) return;
    const loaded = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'MASS: loading checkpoint…' }, () =>
      ctx.request(protocol.loadCheckpoint, { path: pick.checkpoint.path }),
    );
    await ctx.refreshStatus();
    void vscode.window.setStatusBarMessage(`MASS: loaded ${checkpointName(loaded)}`, 5000);
  };
}

/** Files in `folder` whose names look like a model's BPE codes or vocabulary (`codes`, `codes.enfr`, `vocab_enfr`, …). */
async function siblings(folder: vscode.Uri, pattern: RegExp): Promise<vscode.Uri[]> {
  try {
    const entries = await vscode.workspace.fs.readDirectory(folder);
    return entries
      .filter(([name, type]) => type === vscode.FileType.File && pattern.test(name))
      .map(([name]) => vscode.Uri.joinPath(folder, name))
      .sort((a, b) => a.path.localeCompare(b.path));
  } catch {
    return [];
  }
}

/**
 * MASS: Import Reference Checkpoint — a .pth of the reference trainer (the published MASS models, or
 * one trained at scale with microsoft/MASS) becomes a model the daemon answers with. Invoked on a
 * .pth in the explorer, or asks for one; offers the codes and vocabulary files found next to it.
 */
export function importReferenceCheckpoint(ctx: Ctx): Handler {
  return async (arg) => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const pth =
      arg instanceof vscode.Uri
        ? arg
        : (
            await vscode.window.showOpenDialog({
              title: 'MASS: reference checkpoint to import',
              canSelectMany: false,
              defaultUri: folder,
              filters: { 'PyTorch checkpoint': ['pth', 'pt'], 'All files': ['*'] },
            })
          )?.[0];
    if (!pth) return;
    const dir = vscode.Uri.joinPath(pth, '..');
    const codes = await pickFile({
      title: 'MASS: the BPE codes this model was trained with',
      candidates: await siblings(dir, /codes/i),
      defaultUri: dir,
    });
    if (!codes) return;
    const vocab = await pickFile({
      title: 'MASS: the vocabulary it was trained with (optional)',
      candidates: await siblings(dir, /vocab|dict/i),
      none: { label: "Use the checkpoint's own dictionary", detail: 'The .pth holds its words; a vocabulary file adds their counts (used when applying BPE).' },
      defaultUri: dir,
    });
    if (vocab === undefined) return;
    const name = pth.path.slice(pth.path.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
    const out = vscode.Uri.joinPath(dir, `${name}.safetensors`);
    let overwrite = false;
    if (await exists(out)) {
      const replace = await vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(out)} exists. Replace it?`, { modal: true }, 'Replace');
      if (replace !== 'Replace') return;
      overwrite = true;
    }
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `MASS: importing ${vscode.workspace.asRelativePath(pth)}…` },
      () =>
        ctx.request(protocol.importCheckpoint, {
          path: pth.fsPath,
          codes: codes.fsPath,
          ...(vocab ? { vocab: vocab.fsPath } : {}),
          out: out.fsPath,
          overwrite,
        }),
    );
    await ctx.refreshStatus();
    const c = result.checkpoint;
    void vscode.window.showInformationMessage(
      `MASS: imported ${vscode.workspace.asRelativePath(c.path)} (${c.langs.join('-')}, ${result.words} words, torch ${result.format} format); translations use it now.`,
    );
  };
}

export function setTranslationLanguages(ctx: Ctx): Handler {
  return async () => {
    const pair = await pickLanguages(ctx, true);
    if (pair) void vscode.window.setStatusBarMessage(`MASS: translating ${pair.src} → ${pair.tgt}`, 5000);
  };
}

export function showTrainingPanel(panel: TrainingPanel): Handler {
  return async () => panel.show(false);
}

export function showLog(ctx: Ctx): Handler {
  return async () => ctx.log.show(false);
}

export function restartDaemon(ctx: Ctx): Handler {
  return async () => ctx.restart('asked by the user');
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
