/**
 * Entry point (bundled to dist/extension.js): creates the context, starts the daemon, and wires the
 * commands, the status bar and the training panel. Everything else lives in the files it imports.
 */
import * as vscode from 'vscode';
import * as commands from './commands.js';
import { Ctx, messageOf } from './ctx.js';
import { summarizeSelection, translateSelection } from './selectionCommands.js';
import { createStatusBar } from './statusBar.js';
import { TrainingPanel } from './trainingPanel.js';

let ctx: Ctx | undefined;

export function activate(extension: vscode.ExtensionContext): void {
  ctx = new Ctx(extension);
  const panel = new TrainingPanel(ctx);
  const handlers: Record<string, commands.Handler> = {
    'mass.pretrain': commands.pretrain(ctx, panel),
    'mass.finetune': commands.finetune(ctx, panel),
    'mass.stopTraining': commands.stopTraining(ctx),
    'mass.resumeTraining': commands.resumeTraining(ctx, panel),
    'mass.translateSelection': translateSelection(ctx),
    'mass.summarizeSelection': summarizeSelection(ctx),
    'mass.setTargetLanguage': commands.setTranslationLanguages(ctx),
    'mass.showTrainingPanel': commands.showTrainingPanel(panel),
    'mass.createConfig': commands.createConfig(ctx),
    'mass.selectCheckpoint': commands.selectCheckpoint(ctx),
    'mass.importReferenceCheckpoint': commands.importReferenceCheckpoint(ctx),
    'mass.evaluate': commands.evaluate(ctx),
    'mass.showLog': commands.showLog(ctx),
    'mass.restartDaemon': commands.restartDaemon(ctx),
  };
  const c = ctx;
  for (const [id, handler] of Object.entries(handlers)) {
    c.subscribe(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          await handler(...args);
        } catch (err) {
          // The daemon's messages already say what went wrong and what to do: show them as they are.
          c.log.appendLine(`[client] ${id}: ${messageOf(err)}`);
          void vscode.window.showErrorMessage(messageOf(err));
        }
      }),
    );
  }
  c.subscribe(panel, createStatusBar(c));
  extension.subscriptions.push({ dispose: () => void c.dispose() });
  void c.start();
}

export async function deactivate(): Promise<void> {
  await ctx?.dispose();
  ctx = undefined;
}
