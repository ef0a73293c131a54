/**
 * A real VS Code for the end-to-end test: code-server (installed by scripts/install-e2e.sh into a
 * cache folder outside the repository) with the packaged .vsix installed into throwaway
 * user-data/extensions folders, HOME and XDG_* pointed at a temp dir so nothing touches the real home.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

/** Same folder rule as scripts/install-e2e.sh. */
export function e2eCache(): string {
  return process.env.MASS_E2E_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mass-e2e');
}

export function codeServerEntry(): string {
  const entry = join(e2eCache(), `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(entry)) throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed at ${entry}: run scripts/install-e2e.sh first`);
  return entry;
}

export interface CodeServerOptions {
  workspace: string;
  vsix: string;
  /** User settings (merged over the quiet defaults below). */
  settings?: Record<string, unknown>;
}

export interface CodeServer {
  url: string;
  /** Temp root holding home, user data, extensions and the server log. */
  root: string;
  logFile: string;
  stop(): Promise<void>;
}

/** Settings that keep the workbench quiet and focused for a scripted user. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'json.schemaDownload.enable': false,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'editor.minimap.enabled': false,
  // Off: the test reads the editor's rendered lines, which must be the document's lines.
  'editor.wordWrap': 'off',
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function dirsUnder(root: string) {
  const d = {
    home: join(root, 'home'),
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    xdgConfig: join(root, 'home', '.config'),
    xdgData: join(root, 'home', '.local', 'share'),
    xdgCache: join(root, 'home', '.cache'),
  };
  for (const p of Object.values(d)) mkdirSync(p, { recursive: true });
  return d;
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const entry = codeServerEntry();
  const root = mkdtempSync(join(tmpdir(), 'mass-e2e-vscode-'));
  const dirs = dirsUnder(root);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    // code-server reads these if set; keep the real user's out.
    VSCODE_PROXY_URI: '',
    PASSWORD: '',
  };
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.NODE_OPTIONS;

  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...opts.settings }, null, 2));

  const common = ['--config', '/dev/null', '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  const install = spawnSync(process.execPath, [entry, ...common, '--install-extension', opts.vsix], { env, encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`installing ${opts.vsix} failed (${install.status}):\n${install.stdout}\n${install.stderr}`);
  }

  const port = await freePort();
  const logFile = join(root, 'code-server.log');
  const log = createWriteStream(logFile);
  // detached: its own process group, so stop() can end code-server and every child it started.
  const child: ChildProcess = spawn(
    process.execPath,
    [
      entry,
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      opts.workspace,
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  let exited = false;
  child.once('exit', () => (exited = true));

  const stop = async () => {
    if (!exited && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const deadline = Date.now() + 10_000;
      while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    log.end();
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited while starting:\n${readFileSync(logFile, 'utf8')}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer /healthz within 60 s:\n${readFileSync(logFile, 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, root, logFile, stop };
}
