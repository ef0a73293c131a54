/** Typed accessors over the extension's settings (package.json `contributes.configuration`). */
import * as vscode from 'vscode';
import type { BackendName, DaemonInitializationOptions } from '../../server/src/protocol.js';

export type TranslateMode = 'replace' | 'beside';
export type SummarizeMode = 'below' | 'beside';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('mass');
}

export const config = {
  backend: (): BackendName | 'auto' => section().get('backend', 'auto'),
  memoryLimitMB: (): number => section().get('daemon.memoryLimitMB', 4096),
  /** Languages offered for translation when the model does not say which it knows. */
  defaultLanguages: (): string[] => section().get('defaultLanguages', 'en-fr').split('-').filter(Boolean),
  /** Absolute checkpoint folder, or undefined for "each config's dump_path". */
  checkpointDirectory: (): string | undefined => {
    const dir = section().get('checkpointDirectory', '').trim();
    if (!dir) return undefined;
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return root && !dir.startsWith('/') && !/^[a-zA-Z]:[\\/]/.test(dir) ? vscode.Uri.joinPath(vscode.Uri.file(root), dir).fsPath : dir;
  },
  translateMode: (): TranslateMode => section().get('translate.mode', 'replace'),
  summarizeMode: (): SummarizeMode => section().get('summarize.mode', 'below'),
  /** undefined: the daemon's default. */
  beamSize: (): number | undefined => section().get('beamSize', 0) || undefined,
  noRepeatNgram: (): number => section().get('noRepeatNgram', 3),
  revealPanelOnTrainingStart: (): boolean => section().get('panel.revealOnTrainingStart', true),
};

/** Settings that only take effect when the daemon process starts. */
export const RESTART_SETTINGS = ['mass.backend', 'mass.daemon.memoryLimitMB', 'mass.checkpointDirectory'];

/** What the daemon receives as `initializationOptions` (and again in workspace/didChangeConfiguration). */
export function daemonOptions(): DaemonInitializationOptions {
  // The client shows training failures itself (with a button to the log); the daemon pops up warnings.
  return {
    backend: config.backend(),
    memoryLimitMB: config.memoryLimitMB(),
    checkpointDirectory: config.checkpointDirectory(),
    showTrainingMessages: 'warnings',
  };
}
