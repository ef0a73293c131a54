/**
 * Translate Selection and Summarize Selection: send the selected text to the daemon and put the
 * result back as one undoable edit (or in a document beside the editor, per mass.translate.mode /
 * mass.summarize.mode).
 */
import * as vscode from 'vscode';
import * as protocol from '../../server/src/protocol.js';
import type { Handler } from './commands.js';
import { config } from './config.js';
import type { Ctx } from './ctx.js';
import { splitLines } from './format.js';
import { pickLanguages } from './pickers.js';

/** The selections to work on; an empty selection means its whole line. */
function targetRanges(editor: vscode.TextEditor): vscode.Range[] {
  return editor.selections
    .map((s) => (s.isEmpty ? editor.document.lineAt(s.active.line).range : new vscode.Range(s.start, s.end)))
    .filter((r) => editor.document.getText(r).trim() !== '')
    .sort((a, b) => a.start.compareTo(b.start));
}

async function showBeside(text: string, languageId: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ content: text, language: languageId });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
}

/** Applies replacements computed for a document version; refuses if the user edited it meanwhile. */
async function applyEdit(editor: vscode.TextEditor, version: number, edits: [vscode.Range | vscode.Position, string][]): Promise<boolean> {
  if (editor.document.version !== version) {
    void vscode.window.showWarningMessage('MASS: the document changed while the model was working; run the command again.');
    return false;
  }
  // One editor.edit call is one undo step, however many selections it touches.
  return editor.edit((b) => {
    for (const [where, text] of edits) {
      if (where instanceof vscode.Position) b.insert(where, text);
      else b.replace(where, text);
    }
  });
}

/** An undertrained model often ends every output at once: say so rather than leave the user puzzled. */
function warnIfEmpty(outputs: string[], what: string): void {
  if (outputs.length > 0 && outputs.every((o) => !o.trim())) {
    void vscode.window.showWarningMessage(`MASS: the model returned empty ${what}; it probably needs more training. Undo (Ctrl+Z) restores the text.`);
  }
}

export function translateSelection(ctx: Ctx): Handler {
  return async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('MASS: open a document and select the text to translate.');
      return;
    }
    const ranges = targetRanges(editor);
    if (ranges.length === 0) {
      void vscode.window.showInformationMessage('MASS: select the text to translate.');
      return;
    }
    const pair = await pickLanguages(ctx);
    if (!pair) return;
    const version = editor.document.version;
    const parts = ranges.map((r) => splitLines(editor.document.getText(r)));
    const text = parts.flatMap((p) => p.sentences);
    const result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `MASS: translating ${text.length} line${text.length === 1 ? '' : 's'} ${pair.src} → ${pair.tgt}…`,
        cancellable: true,
      },
      (_p, token) =>
        ctx.request(
          protocol.translate,
          { text, src: pair.src, tgt: pair.tgt, beam: config.beamSize(), minLen: 1, noRepeatNgram: config.noRepeatNgram() },
          token,
        ),
    );
    let next = 0;
    const rebuilt = parts.map((p) => p.rebuild(result.translations.slice(next, (next += p.sentences.length))));
    if (config.translateMode() === 'beside') await showBeside(rebuilt.join('\n\n'), editor.document.languageId);
    else if (
      !(await applyEdit(
        editor,
        version,
        ranges.map((r, i) => [r, rebuilt[i]!]),
      ))
    )
      return;
    void vscode.window.setStatusBarMessage(
      `MASS: translated ${text.length} line${text.length === 1 ? '' : 's'} in ${Math.round(result.ms)} ms${result.live ? ' (weights of the running job)' : ''}`,
      5000,
    );
    warnIfEmpty(result.translations, 'translations');
  };
}

export function summarizeSelection(ctx: Ctx): Handler {
  return async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('MASS: open a document and select the text to summarize.');
      return;
    }
    const ranges = targetRanges(editor);
    if (ranges.length === 0) {
      void vscode.window.showInformationMessage('MASS: select the text to summarize.');
      return;
    }
    const version = editor.document.version;
    // One summary per selection: its lines are one article.
    const text = ranges.map((r) => splitLines(editor.document.getText(r)).sentences.join(' '));
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'MASS: summarizing…', cancellable: true },
      (_p, token) => ctx.request(protocol.summarize, { text, beam: config.beamSize(), minLen: 1, noRepeatNgram: config.noRepeatNgram() }, token),
    );
    if (config.summarizeMode() === 'beside') await showBeside(result.summaries.join('\n\n'), editor.document.languageId);
    else {
      const eol = editor.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
      const edits = ranges.map((r, i): [vscode.Position, string] => {
        const lastLine = editor.document.lineAt(r.end.line);
        const indent = lastLine.text.slice(0, lastLine.firstNonWhitespaceCharacterIndex);
        return [lastLine.range.end, `${eol}${indent}${result.summaries[i] ?? ''}`];
      });
      if (!(await applyEdit(editor, version, edits))) return;
    }
    warnIfEmpty(result.summaries, 'summaries');
    void vscode.window.setStatusBarMessage(`MASS: summarized in ${Math.round(result.ms)} ms${result.live ? ' (weights of the running job)' : ''}`, 5000);
  };
}
