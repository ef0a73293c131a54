/**
 * Drives the VS Code workbench in Debian's chromium through playwright-core, as a user would: the
 * command palette, quick picks, the editor, the status bar, notifications, webviews. Screenshots go to
 * a temp folder printed at the start of the run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

export const CHROMIUM = process.env.MASS_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Monaco renders spaces as U+00A0 in the DOM; compare text with ordinary spaces. */
export function normalise(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; fails with `what` and the last value seen. */
export async function waitFor<T>(what: string, fn: () => Promise<T> | T, timeoutMs = 30_000, intervalMs = 250): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  let lastError: unknown;
  for (;;) {
    try {
      last = await fn();
      if (last) return last as NonNullable<T>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}${lastError ? `; last error: ${String(lastError)}` : ''}`,
      );
    }
    await sleep(intervalMs);
  }
}

export class Workbench {
  private shot = 0;

  private constructor(
    readonly browser: Browser,
    readonly page: Page,
    readonly screenshotDir: string,
  ) {}

  static async open(url: string, workspace: string): Promise<Workbench> {
    // playwright gives the browser a fresh temporary profile of its own.
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    const screenshotDir = process.env.MASS_E2E_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'mass-e2e-screenshots-'));
    console.log(`# screenshots: ${screenshotDir}`);
    const wb = new Workbench(browser, page, screenshotDir);
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.statusbar').waitFor({ timeout: 60_000 });
    return wb;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  async screenshot(name: string): Promise<string> {
    const file = join(this.screenshotDir, `${String(++this.shot).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  // ---- command palette and quick input

  async runCommand(title: string): Promise<void> {
    await this.dismissQuickInput();
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    // The palette does not always put the exact title first ("Close Editor" vs "Close All Editors"): click it.
    const exact = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    const row = this.page.locator('.quick-input-widget .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exact }) });
    await row.first().waitFor({ state: 'visible', timeout: 15_000 });
    await row.first().click();
  }

  /** Labels of the palette's commands matching `filter` (the palette is closed again). */
  async paletteCommands(filter: string): Promise<string[]> {
    await this.dismissQuickInput();
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${filter}`);
    await this.page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ state: 'visible' });
    await sleep(300);
    const labels = await this.page.locator('.quick-input-widget .monaco-list-row .label-name').allInnerTexts();
    await this.screenshot(`palette-${filter.replace(/\W+/g, '-')}`);
    await this.page.keyboard.press('Escape');
    return labels.map(normalise);
  }

  /** Waits for a quick pick (or input box) and chooses the item labelled `label`. */
  async pick(label: string, timeoutMs = 30_000): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
  }

  async quickInputVisible(): Promise<boolean> {
    return this.page.locator('.quick-input-widget .quick-input-box input').isVisible();
  }

  async quickInputTitle(): Promise<string> {
    return normalise(await this.page.locator('.quick-input-widget .quick-input-title').innerText());
  }

  /**
   * Presses Enter once the highlighted row of the quick input is the one wanted: the list filters
   * asynchronously, and an early Enter would run whatever was on top before (a recent file or command).
   */
  private async enterWhenFocused(text: string): Promise<void> {
    const focused = this.page.locator('.quick-input-widget .monaco-list-row.focused');
    try {
      await waitFor(`"${text}" highlighted in the quick input`, async () => normalise(await focused.first().innerText()).includes(text), 15_000, 100);
    } catch (err) {
      await this.screenshot('quick-input-not-ready');
      const rows = await this.page.locator('.quick-input-widget .monaco-list-row').allInnerTexts();
      throw new Error(`${(err as Error).message}; rows: ${JSON.stringify(rows.map(normalise))}`);
    }
    await this.page.keyboard.press('Enter');
  }

  private async dismissQuickInput(): Promise<void> {
    if (await this.quickInputVisible()) await this.page.keyboard.press('Escape');
  }

  // ---- files and editor

  /** Opens a workspace file with Quick Open (Ctrl+P). */
  async openFile(relativePath: string): Promise<void> {
    await this.dismissQuickInput();
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(relativePath);
    const base = relativePath.split('/').pop()!;
    await this.enterWhenFocused(base);
    await this.page.locator('.tab.active', { hasText: base }).waitFor({ timeout: 15_000 });
    await this.focusEditor();
  }

  async activeTabLabel(): Promise<string> {
    return normalise(await this.page.locator('.editor-group-container.active .tab.active .label-name').first().innerText());
  }

  async focusEditor(): Promise<void> {
    const editor = this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await editor.waitFor({ state: 'visible', timeout: 15_000 });
    await editor.click();
  }

  /** The text of the active editor's visible lines, in order (spaces normalised). */
  async editorText(): Promise<string> {
    const lines = await this.page.evaluate(() => {
      const group = document.querySelector('.editor-group-container.active');
      const view = group?.querySelector('.monaco-editor .view-lines');
      if (!view) return [] as { top: number; text: string }[];
      return Array.from(view.querySelectorAll<HTMLElement>('.view-line')).map((el) => ({ top: parseFloat(el.style.top || '0'), text: el.textContent ?? '' }));
    });
    return normalise(
      lines
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text)
        .join('\n'),
    );
  }

  /** Types at the cursor as a user would (auto-closing brackets and quotes included). */
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text, { delay: 15 });
  }

  async press(keys: string): Promise<void> {
    await this.page.keyboard.press(keys);
  }

  /** Moves the cursor with Ctrl+G to a 1-based line (and column). */
  async goToLine(line: number, column = 1): Promise<void> {
    await this.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await input.press('Enter');
  }

  /** Selects whole lines `from`..`to` (1-based, inclusive) without the final line break. */
  async selectLines(from: number, to: number): Promise<void> {
    await this.goToLine(from);
    await this.press('Home');
    for (let i = from; i < to; i++) await this.press('Shift+ArrowDown');
    await this.press('Shift+End');
  }

  /** Labels in the suggest widget (completion), once it shows. */
  async suggestions(): Promise<string[]> {
    const widget = this.page.locator('.editor-widget.suggest-widget');
    await widget.waitFor({ state: 'visible', timeout: 15_000 });
    await this.page.locator('.suggest-widget .monaco-list-row').first().waitFor({ state: 'visible' });
    const labels = await this.page.locator('.suggest-widget .monaco-list-row .label-name').allInnerTexts();
    return labels.map(normalise);
  }

  // ---- status bar, notifications, problems

  /** The text of a status-bar item by its id (`publisher.name.itemId`). */
  async statusBarItem(id: string): Promise<string> {
    const item = this.page.locator(`.statusbar-item[id="${id}"]`);
    if ((await item.count()) === 0) return '';
    return normalise((await item.first().innerText()).trim());
  }

  async notifications(): Promise<string[]> {
    const texts = await this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
    return texts.map(normalise);
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /** Problems (markers) counted by the status bar: [errors, warnings]. */
  async problemCounts(): Promise<[number, number]> {
    const text = normalise(await this.page.locator('#status\\.problems').innerText());
    const nums = text.match(/\d+/g)?.map(Number) ?? [0, 0];
    return [nums[0] ?? 0, nums[1] ?? 0];
  }

  /** Rows of the Problems view (opened by this call). */
  async problems(): Promise<string[]> {
    await this.runCommand('Problems: Focus on Problems View');
    const tree = this.page.locator('.markers-panel .monaco-list-row');
    await tree.first().waitFor({ state: 'visible', timeout: 15_000 });
    return (await tree.allInnerTexts()).map(normalise);
  }

  // ---- webviews

  /** The innermost frame of the webview whose document has an element matching `selector`. */
  async webviewFrame(selector: string, timeoutMs = 30_000): Promise<Frame> {
    return waitFor(
      `a webview containing ${selector}`,
      async () => {
        for (const frame of this.page.frames()) {
          try {
            if ((await frame.locator(selector).count()) > 0) return frame;
          } catch {
            /* frame detached while looking */
          }
        }
        return undefined;
      },
      timeoutMs,
    );
  }
}
