/**
 * A second, independent LSP client: Neovim from Debian (0.7, headless) starts the real daemon,
 * opens a broken config, and must receive the same diagnostics as the JSON-RPC client — then, after
 * an edit made in Neovim, the same updated ones; hover works too.
 * Needs `nvim` (Debian: apt-get install neovim). Without it the test is skipped with that advice — except
 * in CI (CI=true), where a missing Neovim fails it: CI must not pass on a skipped client.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DaemonClient, DAEMON_MAIN, type Diag } from '../helpers/daemonClient.js';
import { ROOT, tempDir } from '../helpers/paths.js';

const BROKEN = [
  '{',
  '  "lgs": "en-fr",',
  '  "mass_steps": "en,de",',
  '  "emb_dim": 512,',
  '  "n_heads": 6,',
  '  "dropout": 0.7,',
  '  "emb_dimm": 3',
  '}',
  '',
].join('\n');
/** What the Neovim script changes line 7 to (through the buffer, so Neovim sends didChange). */
const EDITED_LINE = '  "word_mass": 0.5';

interface NvimDiagnostic {
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  severity: number;
  message: string;
}

const LUA = `
local ws, main, node, out = _G.ws, _G.main, _G.node, _G.out
local result = {}
local function done()
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end
local id = vim.lsp.start_client({
  name = 'mass',
  cmd = { node, '--import', 'tsx', main, '--stdio' },
  cmd_cwd = _G.root,
  root_dir = ws,
  workspace_folders = { { uri = vim.uri_from_fname(ws), name = 'ws' } },
})
if not id then result.error = 'start_client failed'; done() return end
vim.cmd('edit ' .. ws .. '/mass.config.json')
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, id)
local function settle(n)
  -- wait for n diagnostics, then a little longer for the last publication
  local ok = vim.wait(60000, function() return #vim.diagnostic.get(buf) >= n end, 50)
  vim.wait(500)
  return ok
end
local function dump()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity, message = d.message })
  end
  return out
end
result.first_ok = settle(_G.first_count)
result.first = dump()
local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = 4, character = 5 } }, 20000)
for _, r in pairs(hover or {}) do
  if r.result then result.hover = r.result.contents.value end
end
vim.api.nvim_buf_set_lines(buf, 6, 7, false, { _G.edited })
vim.wait(60000, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if string.find(d.message, 'emb_dimm', 1, true) then return false end
  end
  return #vim.diagnostic.get(buf) >= _G.second_count
end, 50)
vim.wait(500)
result.second = dump()
done()
`;

function fromLsp(d: Diag[]): NvimDiagnostic[] {
  return d
    .map((x) => ({
      lnum: x.range.start.line,
      col: x.range.start.character,
      end_lnum: x.range.end.line,
      end_col: x.range.end.character,
      severity: x.severity!,
      message: x.message,
    }))
    .sort((a, b) => a.lnum - b.lnum || a.message.localeCompare(b.message));
}
const sorted = (d: NvimDiagnostic[]) => [...d].sort((a, b) => a.lnum - b.lnum || a.message.localeCompare(b.message));

const which = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const haveNvim = !which.error && which.status === 0;
const INSTALL = 'Neovim is the second LSP client of this test: install it (Debian/Ubuntu: apt-get install neovim; macOS: brew install neovim)';
const inCi = /^(1|true)$/i.test(process.env.CI ?? '');
const skip = !haveNvim && !inCi ? `nvim not found. ${INSTALL}` : false;

test('Neovim (headless) gets the same config diagnostics as the JSON-RPC client, before and after an edit', { skip }, async () => {
  assert.ok(haveNvim, `nvim not found, and CI=${process.env.CI} requires this test to run. ${INSTALL}`);

  const ws = tempDir('mass-nvim-');
  try {
    const config = join(ws.dir, 'mass.config.json');
    writeFileSync(config, BROKEN);
    // the reference: what the JSON-RPC client receives for the same text and the same edit
    const client = await DaemonClient.start(ws.dir);
    let expectedFirst: NvimDiagnostic[];
    let expectedSecond: NvimDiagnostic[];
    try {
      await client.open(config, BROKEN);
      expectedFirst = fromLsp(await client.diagnosticsOf(config, (d) => d.length > 0));
      const edited = BROKEN.split('\n')
        .map((l, i) => (i === 6 ? EDITED_LINE : l))
        .join('\n');
      await client.change(config, edited, 2);
      expectedSecond = fromLsp(await client.diagnosticsOf(config, (d) => !d.some((x) => x.message.includes('emb_dimm')) && d.length > 0));
    } finally {
      await client.stop();
    }
    assert.ok(expectedFirst.some((d) => d.message.includes('emb_dimm')));
    assert.ok(expectedSecond.some((d) => d.message.includes('n_heads (6) must divide emb_dim (512)')));

    const script = join(ws.dir, 'test.lua');
    const out = join(ws.dir, 'nvim-result.json');
    const globals = {
      ws: ws.dir,
      main: DAEMON_MAIN,
      node: process.execPath,
      out,
      root: ROOT,
      edited: EDITED_LINE,
      first_count: expectedFirst.length,
      second_count: expectedSecond.length,
    };
    writeFileSync(
      script,
      Object.entries(globals)
        .map(([k, v]) => `_G.${k} = ${JSON.stringify(v)}`)
        .join('\n') +
        '\n' +
        LUA,
    );
    const nvim = spawn('nvim', ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${script}`], {
      cwd: ws.dir,
      env: { ...process.env, HOME: ws.dir, XDG_CONFIG_HOME: ws.dir, XDG_DATA_HOME: ws.dir, XDG_STATE_HOME: ws.dir, XDG_CACHE_HOME: ws.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    nvim.stderr.on('data', (d) => (stderr += d));
    nvim.stdout.on('data', () => undefined);
    const timer = setTimeout(() => nvim.kill('SIGKILL'), 180_000);
    const code = await new Promise((r) => nvim.on('exit', r));
    clearTimeout(timer);
    assert.equal(code, 0, `nvim exited with ${code}: ${stderr}`);
    const result = JSON.parse(readFileSync(out, 'utf8')) as {
      first_ok: boolean;
      first: NvimDiagnostic[];
      second: NvimDiagnostic[];
      hover?: string;
      error?: string;
    };
    assert.equal(result.error, undefined);
    assert.deepEqual(sorted(result.first), expectedFirst);
    assert.deepEqual(sorted(result.second), expectedSecond);
    assert.match(result.hover ?? '', /^\*\*n_heads\*\* — integer, ≥ 1/);
  } finally {
    ws.cleanup();
  }
});
