/** The questions commands ask: which config, which languages, which fine-tuning. */
import * as vscode from 'vscode';
import * as protocol from '../../server/src/protocol.js';
import type { FinetuneKind } from '../../server/src/protocol.js';
import { config } from './config.js';
import type { Ctx } from './ctx.js';

export const CONFIG_GLOB = '**/{mass.config.json,*.mass.json}';

export function isConfigFile(uri: vscode.Uri): boolean {
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  return uri.scheme === 'file' && (name === 'mass.config.json' || name.endsWith('.mass.json'));
}

/**
 * The config a command works on: the one it was invoked on (explorer/editor menus), the active
 * editor's, the only one in the workspace, or the user's pick. Undefined when cancelled or none exists.
 */
export async function pickConfig(arg?: unknown): Promise<string | undefined> {
  if (arg instanceof vscode.Uri && isConfigFile(arg)) return arg.fsPath;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isConfigFile(active)) return active.fsPath;
  const found = await vscode.workspace.findFiles(CONFIG_GLOB, '**/node_modules/**', 50);
  if (found.length === 0) {
    const pick = await vscode.window.showWarningMessage('There is no MASS config (mass.config.json or *.mass.json) in this workspace yet.', 'Create Config');
    if (pick) await vscode.commands.executeCommand('mass.createConfig');
    return undefined;
  }
  if (found.length === 1) return found[0]!.fsPath;
  const items = found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })).sort((a, b) => a.label.localeCompare(b.label));
  const pick = await vscode.window.showQuickPick(items, { title: 'MASS: which config?', placeHolder: 'Config file' });
  return pick?.uri.fsPath;
}

const FINETUNE_KINDS: (vscode.QuickPickItem & { value: FinetuneKind })[] = [
  {
    value: 'bt',
    label: 'Back-translation',
    description: 'unsupervised NMT (bt_steps)',
    detail: 'Translate monolingual text with the model itself and learn to translate it back.',
  },
  { value: 'mt', label: 'Supervised translation', description: 'parallel data (mt_steps)', detail: 'Train on the parallel corpora of the config.' },
  {
    value: 's2s',
    label: 'Summarization',
    description: 'paired data (s2s_steps)',
    detail: 'Sequence-to-sequence fine-tuning on a corpora.s2s task, e.g. summarization.',
  },
];

export async function pickFinetuneKind(): Promise<FinetuneKind | undefined> {
  const pick = await vscode.window.showQuickPick(FINETUNE_KINDS, { title: 'MASS: fine-tune for…', matchOnDescription: true });
  return pick?.value;
}

/**
 * Where a fine-tuning starts: the config's own pre-training (the daemon's default), a model the
 * package ships (`bundled:pretrained`: MASS pre-trained, so a small corpus of pairs is enough), or a
 * checkpoint file. Undefined when cancelled; `{}` for the default.
 */
export async function pickStartingWeights(ctx: Ctx): Promise<{ checkpoint?: string } | undefined> {
  type Item = vscode.QuickPickItem & { checkpoint?: string; browse?: boolean };
  const { models } = await ctx.request0(protocol.bundledModels);
  const items: Item[] = [
    { label: "This config's pre-training", description: 'default', detail: 'The best or last pre-training checkpoint of its experiment (dump_path).' },
    ...models
      .filter((m) => m.kind === 'pretrained')
      .map((m) => ({
        label: `MASS pre-trained ${m.langs.join('-')} (bundled)`,
        description: m.name,
        detail: `Shipped with the extension (${m.updates.toLocaleString('en')} updates); its BPE codes, vocabulary and architecture are used, so lgs must be ${m.langs.join('-')}.`,
        checkpoint: m.name,
      })),
    { label: '$(folder-opened) A checkpoint file…', browse: true },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'MASS: fine-tune starting from…', matchOnDescription: true });
  if (!pick) return undefined;
  if (pick.checkpoint) return { checkpoint: pick.checkpoint };
  if (!pick.browse) return {};
  const files = await vscode.window.showOpenDialog({ title: 'Starting weights', canSelectMany: false, filters: { 'MASS checkpoint': ['safetensors', 'pth'] } });
  return files?.[0] ? { checkpoint: files[0].fsPath } : undefined;
}

export interface LanguagePair {
  src: string;
  tgt: string;
}

const LANGUAGES_KEY = 'mass.translate.languages';

/** The languages the loaded model knows, else the mass.defaultLanguages setting. */
function knownLanguages(ctx: Ctx): string[] {
  const langs = ctx.training.status?.checkpoint?.langs;
  return langs && langs.length ? langs : config.defaultLanguages();
}

/**
 * Source and target language for Translate Selection. Asked once, then remembered for this
 * workspace; `ask` forces the question (MASS: Set Translation Languages).
 */
export async function pickLanguages(ctx: Ctx, ask = false): Promise<LanguagePair | undefined> {
  const state = ctx.extension.workspaceState;
  const saved = state.get<LanguagePair>(LANGUAGES_KEY);
  if (saved && !ask) return saved;
  const langs = knownLanguages(ctx);
  if (langs.length < 2) {
    const typed = await vscode.window.showInputBox({
      title: 'MASS: translate from-to',
      prompt: "Languages as 'src-tgt', e.g. en-fr",
      value: saved ? `${saved.src}-${saved.tgt}` : '',
      validateInput: (v) => (/^[a-z]{2,3}-[a-z]{2,3}$/.test(v) ? undefined : "Write two language codes as 'en-fr'"),
    });
    if (!typed) return undefined;
    const [src, tgt] = typed.split('-') as [string, string];
    await state.update(LANGUAGES_KEY, { src, tgt });
    return { src, tgt };
  }
  const tgt = await vscode.window.showQuickPick(
    langs.map((l) => ({ label: l, picked: l === saved?.tgt })),
    { title: 'MASS: translate into which language?', placeHolder: 'Target language (remembered for this workspace)' },
  );
  if (!tgt) return undefined;
  const others = langs.filter((l) => l !== tgt.label);
  let src = others.length === 1 ? others[0]! : undefined;
  if (!src) {
    const pick = await vscode.window.showQuickPick(others, { title: `MASS: translate into ${tgt.label} from which language?` });
    if (!pick) return undefined;
    src = pick;
  }
  const pair = { src, tgt: tgt.label };
  await state.update(LANGUAGES_KEY, pair);
  return pair;
}

/** A file of the workspace picked by the user: one of `candidates` (found next to something) or any through the open dialog. */
export async function pickFile(opts: {
  title: string;
  candidates: vscode.Uri[];
  /** An extra first item that picks no file (e.g. "use the checkpoint's own dictionary"). */
  none?: { label: string; detail: string };
  defaultUri?: vscode.Uri;
}): Promise<vscode.Uri | null | undefined> {
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri; browse?: boolean };
  const items: Item[] = [
    ...(opts.none ? [{ label: opts.none.label, detail: opts.none.detail }] : []),
    ...opts.candidates.map((uri) => ({
      label: `$(file) ${uri.path.slice(uri.path.lastIndexOf('/') + 1)}`,
      description: vscode.workspace.asRelativePath(uri),
      uri,
    })),
    { label: '$(folder-opened) Browse…', browse: true },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: opts.title, matchOnDescription: true });
  if (!pick) return undefined;
  if (pick.uri) return pick.uri;
  if (!pick.browse) return null;
  const chosen = await vscode.window.showOpenDialog({ title: opts.title, canSelectMany: false, canSelectFolders: false, defaultUri: opts.defaultUri });
  return chosen?.[0];
}
