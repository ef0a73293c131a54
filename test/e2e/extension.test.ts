/**
 * End to end in a real VS Code (code-server) driven through Debian's chromium: the packaged .vsix,
 * its bundled daemon, a workspace with real text. Run by `npm run test:e2e` (which packages the
 * .vsix first); code-server and chromium come from scripts/install-e2e.sh. The steps share one
 * workbench and run in order, as one user session would.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT } from '../helpers/paths.js';
import { startCodeServer, type CodeServer } from './harness/codeServer.js';
import { normalise, waitFor, Workbench } from './harness/workbench.js';
import { makeWorkspace, type E2eWorkspace } from './harness/workspace.js';

const STATUS_ITEM = 'mass-vscode.mass-vscode.mass.status';
const VSIX = process.env.MASS_E2E_VSIX ?? join(ROOT, 'mass-vscode.vsix');
/** Status-bar text while training: "MASS e1 s40 loss 5.12 812 tok/s ETA 3m" (the spinning icon is not text). */
// Before the workspace has a checkpoint, the model bundled with the extension answers (when it ships one).
const BUNDLED = existsSync(join(ROOT, 'models', 'en-fr', 'translation.safetensors'));
const IDLE_MODEL = BUNDLED ? 'default en↔fr model' : 'no model yet';
const PRETRAINED = join(ROOT, 'models', 'en-fr', 'pretrained.safetensors');
const TRAINING_TEXT = /^MASS e\d+ s(\d+) loss \d+\.\d\d [\d.]+k? tok\/s( ETA \S+( \S+)?)?$/; // ETA: "3m", "7h 07m"

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { commands: ContributedCommand[] } };

let ws: E2eWorkspace;
let server: CodeServer | undefined;
let wb: Workbench;

/** Processes running the daemon of this test's extension install (found by its unique path). */
function daemonPids(): number[] {
  const marker = join(server!.root, 'extensions');
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmd.includes(marker) && cmd.includes('daemon.js')) out.push(Number(name));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** The experiment folder under `dir` written last (the newest params.json). */
function newestRun(dir: string): string {
  const runs = readdirSync(dir).filter((d) => existsSync(join(dir, d, 'params.json')));
  runs.sort((a, b) => statSync(join(dir, a, 'params.json')).mtimeMs - statSync(join(dir, b, 'params.json')).mtimeMs);
  return runs.at(-1)!;
}

function daemonPid(): number {
  const pids = daemonPids();
  assert.equal(pids.length, 1, `expected one daemon process, found ${JSON.stringify(pids)}`);
  return pids[0]!;
}

async function statusText(): Promise<string> {
  return wb.statusBarItem(STATUS_ITEM);
}

describe('the MASS extension in code-server', { timeout: 20 * 60_000 }, () => {
  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run 'npm run package' (npm run test:e2e does)`);
    ws = makeWorkspace();
    server = await startCodeServer({ workspace: ws.dir, vsix: VSIX, settings: { 'mass.defaultLanguages': 'en-fr' } });
    wb = await Workbench.open(server.url, ws.dir);
  });

  after(async () => {
    await wb?.screenshot('end').catch(() => undefined);
    await wb?.close().catch(() => undefined);
    await server?.stop();
    if (server) rmSync(server.root, { recursive: true, force: true });
    if (ws) rmSync(ws.dir, { recursive: true, force: true });
  });

  test('every MASS command is in the palette, in the MASS category', async () => {
    await wb.openFile(ws.notes); // Translate/Summarize Selection are offered when an editor is open
    const shown = await wb.paletteCommands('MASS: ');
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'MASS', c.command);
      assert.ok(shown.includes(`MASS: ${c.title}`), `"MASS: ${c.title}" not in the palette: ${JSON.stringify(shown)}`);
    }
  });

  test('the status bar shows the idle item: the model that answers (bundled, or none yet), and the backend', async () => {
    const text = await waitFor(
      'the idle status item',
      async () => {
        const t = await statusText();
        return t.includes('·') ? t : undefined;
      },
      60_000,
    );
    await wb.screenshot('status-idle');
    assert.match(text, new RegExp(`^MASS ${IDLE_MODEL} · (webgpu: .+|tfjs-node-gpu|tfjs-node|wasm|cpu|no backend yet)$`));
  });

  test('Create Config scaffolds mass.config.json from the corpora in the workspace', async () => {
    await wb.runCommand('MASS: Create Config');
    await waitFor('mass.config.json to open', async () => (await wb.activeTabLabel()) === 'mass.config.json', 60_000);
    const written = readFileSync(join(ws.dir, 'mass.config.json'), 'utf8');
    await wb.screenshot('create-config');
    assert.match(written, /"mono"/);
    assert.match(written, /mono\.en/);
    assert.match(written, /mono\.fr/);
  });

  test('mass.config.json gets completion from the contributed schema', async () => {
    // JSON completion offers only properties the object does not have yet: take the first schema
    // field with a default that Create Config did not write.
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'mass.config.schema.json'), 'utf8')) as {
      properties: Record<string, { default?: unknown; description?: string }>;
    };
    const present = Object.keys(JSON.parse(readFileSync(join(ws.dir, 'mass.config.json'), 'utf8')) as object);
    const [field, prop] = Object.entries(schema.properties).find(([name, p]) => !present.includes(name) && typeof p.default === 'number')!;
    await wb.focusEditor();
    try {
      await wb.goToLine(1);
      await wb.press('End'); // after the opening brace
      await wb.press('Enter');
      await wb.type(`"${field.slice(0, -2)}`);
      await wb.press('Control+Space');
      const labels = await wb.suggestions();
      await wb.screenshot('schema-completion');
      assert.ok(labels.includes(field), `no ${field} in ${JSON.stringify(labels)}`);
      // The item documents the field with the schema's description.
      const detailsBox = wb.page.locator('.suggest-details');
      if (!(await detailsBox.isVisible())) await wb.press('Control+Space'); // toggles the details side
      const details = normalise(await detailsBox.innerText({ timeout: 5000 }).catch(() => ''));
      assert.ok(details.includes(prop.description!.slice(0, 30)), `details: ${details}`);
      await wb.press('Enter');
      const text = await waitFor(`the completed property ${field}`, async () => {
        const t = await wb.editorText();
        return t.split('\n')[1]!.trim().startsWith(`"${field}"`) ? t : undefined;
      });
      // VS Code's JSON support inserts `"field": default`, the daemon's own item the key alone.
      assert.match(text.split('\n')[1]!, new RegExp(`^\\s*"${field}"(: ${JSON.stringify(prop.default)})?`));
    } finally {
      await wb.runCommand('File: Revert File');
    }
  });

  test('the daemon publishes semantic diagnostics on a config', async () => {
    await wb.openFile(ws.broken);
    const rows = await waitFor(
      'the n_heads diagnostic in the Problems view',
      async () => {
        const r = await wb.problems();
        return r.some((row) => /n_heads \(3\) must divide emb_dim \(64\)/.test(row)) ? r : undefined;
      },
      60_000,
    );
    await wb.screenshot('diagnostics');
    assert.ok(rows.length > 0);
    await wb.focusEditor();
    await wb.runCommand('View: Close Editor');
  });

  test('a daemon that dies is restarted with a notice, and its state is read again', async () => {
    const pid = daemonPid();
    process.kill(pid, 'SIGKILL');
    await waitFor('the restart notice', async () => (await wb.notifications()).find((m) => /daemon stopped unexpectedly/.test(m)), 30_000);
    const next = await waitFor(
      'a new daemon process',
      () => {
        const p = daemonPids();
        return p.length === 1 && p[0] !== pid ? p[0] : undefined;
      },
      60_000,
    );
    assert.notEqual(next, pid);
    await waitFor('the idle status item again', async () => (await statusText()).startsWith(`MASS ${IDLE_MODEL} · `), 60_000);
    await wb.screenshot('daemon-restarted');
    await wb.clearNotifications();
  });

  test('MASS: Pretrain shows progress in the status bar and updates the panel chart', async () => {
    await wb.openFile(ws.config); // the active config is the one Pretrain uses
    await wb.runCommand('MASS: Pretrain');
    const first = await waitFor(
      'training progress in the status bar',
      async () => {
        const t = await statusText();
        return TRAINING_TEXT.test(t) ? t : undefined;
      },
      8 * 60_000,
      1000,
    );
    await wb.screenshot('status-training');
    const step0 = Number(TRAINING_TEXT.exec(first)![1]);

    // The panel opened when the job started (mass.panel.revealOnTrainingStart).
    const panel = await wb.webviewFrame('#chart-loss', 60_000);
    const points = async () => Number(await panel.locator('#chart-loss').getAttribute('data-points'));
    const before = await waitFor('points on the loss chart', points, 120_000);
    await waitFor('the loss chart to grow', async () => (await points()) > before, 5 * 60_000, 1000);
    const later = await waitFor(
      'a later step in the status bar',
      async () => {
        const m = TRAINING_TEXT.exec(await statusText());
        return m && Number(m[1]) > step0 ? m[0] : undefined;
      },
      5 * 60_000,
      1000,
    );
    await wb.screenshot('panel-chart');
    assert.match(later, TRAINING_TEXT);
    assert.match(await panel.locator('#stat-loss').innerText(), /^\d+\.\d{3}$/);
    // Validation scores arrive at the end of each epoch and fill the per-epoch table.
    const rows = panel.locator('#epochs tbody tr');
    await waitFor('a row in the per-epoch table', async () => (await rows.count()) > 0, 5 * 60_000, 1000);
    await panel.locator('#epochs').scrollIntoViewIfNeeded();
    await wb.screenshot('panel-epochs');
    const header = await panel.locator('#epochs thead').innerText();
    assert.match(header, /valid_\S+_ppl/);
  });

  test('Translate Selection replaces real sentences as one undoable edit', async () => {
    await wb.openFile(ws.notes);
    const original = await wb.editorText();
    assert.ok(original.startsWith(ws.sentences[0]!), original);
    await wb.selectLines(1, ws.sentences.length);
    await wb.runCommand('MASS: Translate Selection');
    await wb.pick('fr'); // asked once: target language
    const translated = await waitFor(
      'the translation to replace the selection',
      async () => {
        const t = await wb.editorText();
        return t !== original ? t : undefined;
      },
      3 * 60_000,
      500,
    );
    await wb.screenshot('translated');
    assert.ok(!translated.includes(ws.sentences[0]!), translated);
    await waitFor(
      'the translation report in the status bar',
      async () => (await wb.page.locator('.statusbar-item', { hasText: 'MASS: translated 3 lines in' }).count()) > 0,
      10_000,
    );
    // Editor requests ask for at least one token: every selected line is replaced by model output.
    const lines = translated.split('\n').slice(0, ws.sentences.length);
    assert.ok(
      lines.every((l) => l.trim().length > 0),
      `every line translated: ${JSON.stringify(lines)}`,
    );
    await wb.focusEditor();
    await wb.press('Control+Z');
    await waitFor('one undo to restore the text', async () => (await wb.editorText()) === original);

    // The target language is remembered: no question the second time.
    await wb.selectLines(1, 1);
    await wb.runCommand('MASS: Translate Selection');
    await waitFor('the second translation', async () => (await wb.editorText()) !== original, 3 * 60_000, 500);
    assert.equal(await wb.quickInputVisible(), false);
    await wb.focusEditor();
    await wb.press('Control+Z');
    await waitFor('undo', async () => (await wb.editorText()) === original);
  });

  test('Summarize Selection inserts a summary below the selection, undoably', async () => {
    const original = await wb.editorText();
    await wb.selectLines(1, ws.sentences.length);
    await wb.runCommand('MASS: Summarize Selection');
    const summarized = await waitFor(
      'the summary below the selection',
      async () => {
        const t = await wb.editorText();
        return t !== original ? t : undefined;
      },
      3 * 60_000,
      500,
    );
    await wb.screenshot('summarized');
    // The progress notification closes once the summary is in (it used to stay on screen).
    await waitFor('the summarizing notification to close', async () => !(await wb.notifications()).some((n) => /summarizing/i.test(n)), 10_000, 250);
    const lines = summarized.split('\n');
    assert.deepEqual(lines.slice(0, ws.sentences.length), ws.sentences, 'the selected text stays');
    assert.equal(lines.length, original.split('\n').length + 1, 'one line inserted');
    assert.ok(lines[ws.sentences.length]!.trim().length > 0, `a non-empty summary: ${JSON.stringify(lines[ws.sentences.length])}`);
    await wb.focusEditor();
    await wb.press('Control+Z');
    await waitFor('one undo to remove the summary', async () => (await wb.editorText()) === original);
  });

  test('MASS: Stop Training stops the job and the status bar goes idle', async () => {
    await wb.runCommand('MASS: Stop Training');
    const idle = await waitFor(
      'the idle status item after stopping',
      async () => {
        const t = await statusText();
        return t.includes('·') && !TRAINING_TEXT.test(t) ? t : undefined;
      },
      3 * 60_000,
      1000,
    );
    const notes = await waitFor(
      'the stop notification',
      async () => {
        const n = await wb.notifications();
        return n.find((m) => /training stopped/.test(m));
      },
      60_000,
    );
    await wb.screenshot('stopped');
    assert.match(notes, /checkpoint saved/);
    assert.doesNotMatch(idle, /no model yet|default en↔fr model/, 'the stopped job left a checkpoint for the idle item');
  });

  test('the training panel comes back after a window reload, with its curves', async () => {
    const panel = await wb.webviewFrame('#chart-loss', 10_000);
    const shown = Number(await panel.locator('#chart-loss').getAttribute('data-points'));
    assert.ok(shown > 0);
    const reloaded = wb.page.waitForEvent('load', { timeout: 60_000 });
    await wb.runCommand('Developer: Reload Window');
    await reloaded;
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The serializer re-creates the panel; the webview's saved state redraws the curves at once.
    const restored = await wb.webviewFrame('#chart-loss', 60_000);
    const points = await waitFor('the restored loss chart', async () => Number(await restored.locator('#chart-loss').getAttribute('data-points')), 60_000);
    await wb.screenshot('panel-restored');
    assert.ok(points >= shown, `restored ${points} points, had ${shown}`);
  });

  test('MASS: Import Reference Checkpoint turns a .pth of the reference trainer into the model that answers', async () => {
    // the reference's own fixture model (microsoft/MASS code, torch's legacy format), with its BPE codes
    const ref = join(ws.dir, 'reference');
    mkdirSync(ref);
    for (const f of ['model.legacy.pth', 'codes', 'vocab']) copyFileSync(join(ROOT, 'test/fixtures/torch', f), join(ref, f));
    await wb.clearNotifications();
    await wb.runCommand('MASS: Import Reference Checkpoint');
    // code-server's open dialog is the quick input's path box
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    // the dialog writes its starting folder into the box after it opens: type the path only after that,
    // and press Enter once the box (and the listing it drives) holds it
    await waitFor('the dialog to show its starting folder', async () => (await input.inputValue()).length > 0, 30_000);
    const pth = join(ref, 'model.legacy.pth');
    await waitFor(
      'the path in the open dialog',
      async () => {
        if ((await input.inputValue()) !== pth) await input.fill(pth);
        await wb.page.waitForTimeout(500);
        return (await input.inputValue()) === pth;
      },
      30_000,
    );
    await wb.page.keyboard.press('Enter');
    await wb.screenshot('import-path-entered');
    await waitFor('the codes question', async () => (await wb.quickInputTitle()).includes('BPE codes'), 30_000);
    await wb.pick('reference/codes');
    await waitFor('the vocabulary question', async () => (await wb.quickInputTitle()).includes('vocabulary'), 30_000);
    await wb.pick('reference/vocab');
    const note = await waitFor('the import notification', async () => (await wb.notifications()).find((m) => /imported/.test(m)), 2 * 60_000, 500);
    await wb.screenshot('imported');
    assert.match(note, /imported reference\/model\.legacy\.safetensors \(en-fr, 113 words, torch legacy format\); translations use it now/);
    assert.ok(existsSync(join(ref, 'model.legacy.safetensors')));
  });

  test('MASS: Fine-tune offers the bundled MASS pre-trained model and trains from it', async () => {
    assert.ok(existsSync(PRETRAINED), `${PRETRAINED} is missing`);
    await wb.openFile(ws.config); // the config Fine-tune uses
    await wb.clearNotifications();
    await wb.runCommand('MASS: Fine-tune');
    await wb.pick('Supervised translation');
    await waitFor('the starting-weights question', async () => (await wb.quickInputTitle()).includes('starting from'), 30_000);
    await wb.screenshot('finetune-start');
    await wb.pick('MASS pre-trained en-fr (bundled)');
    // the workspace's pairs are split with the model's subwords, then the 14.5M-parameter model trains
    await waitFor(
      'fine-tuning progress in the status bar',
      async () => {
        const t = await statusText();
        return TRAINING_TEXT.test(t) ? t : undefined;
      },
      8 * 60_000,
      1000,
    );
    await wb.runCommand('MASS: Stop Training');
    const note = await waitFor('the stop notification', async () => (await wb.notifications()).find((m) => /training stopped/.test(m)), 3 * 60_000, 1000);
    assert.match(note, /checkpoint saved/);
    const params = JSON.parse(readFileSync(join(ws.dir, 'dumped', 'e2e', newestRun(join(ws.dir, 'dumped', 'e2e')), 'params.json'), 'utf8')) as {
      reload_model: string;
      emb_dim: number;
    };
    assert.equal(params.reload_model, 'bundled:pretrained');
    assert.equal(params.emb_dim, 256, 'the architecture came from the bundled model, not the tiny config');
  });
});
