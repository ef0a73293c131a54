// The workspace walk reads a config from disk while the editor opens it (the first didOpen often
// arrives during the walk that follows `initialized`): the editor's text must win, the diagnostics
// must be those of the open document, and closing-then-reopening during a disk read keeps the reopened
// text. Before the fix the disk read's result replaced the open document (its error vanished) in
// most runs of test/integration/bundledPretrained.test.ts. Real LSP connection over in-memory streams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createConnection, type PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ConfigService } from '../../../server/src/daemon/configs/configService.js';
import { WorkspaceRoots } from '../../../server/src/daemon/connection/workspaceRoots.js';
import { tempDir } from '../../helpers/paths.js';

function connected() {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const published: PublishDiagnosticsParams[] = [];
  client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
  });
  client.listen();
  server.listen();
  return { server, client, published };
}

const settle = () => new Promise((r) => setTimeout(r, 200));

test('a config opened while the workspace walk reads it from disk keeps the editor text and its diagnostics', async () => {
  const ws = tempDir('mass-config-race-');
  const { server, client, published } = connected();
  try {
    const path = join(ws.dir, 'mass.config.json');
    writeFileSync(path, JSON.stringify({ lgs: 'en-fr', mt_steps: 'en-fr' }, null, 2));
    const roots = new WorkspaceRoots();
    roots.setFolders([ws.dir]);
    const configs = new ConfigService({
      connection: server,
      roots,
      log: () => undefined,
      onConfigsChanged: () => undefined,
      memoryLimitMB: () => undefined,
      completionSources: { languages: () => [], corpusFiles: () => [], checkpoints: async () => [] },
    });
    const uri = pathToFileURL(path).href;
    const edited = JSON.stringify({ lgs: 'en-fr', mt_steps: 'en-fr', reload_model: 'bundled:bert' }, null, 2);

    // the walk starts reading; the editor opens the file before that read returns
    const walk = configs.setDiskConfigs([path]);
    configs.opened(TextDocument.create(uri, 'json', 1, edited));
    await walk;
    await settle();
    assert.equal(configs.text(path), edited, 'the open document is what the daemon holds');
    const last = published.filter((p) => p.uri === uri).at(-1);
    assert.equal(last?.version, 1, JSON.stringify(last));
    assert.ok(
      last.diagnostics.some((d) => d.code === 'reload_model' && /'bundled:bert' names no bundled model/.test(String(d.message))),
      JSON.stringify(last.diagnostics),
    );

    // closed, and opened again while the close reads the disk: the reopened text stays
    const reopened = JSON.stringify({ lgs: 'en-fr', mt_steps: 'en-fr', reload_model: 'bundled:gpt' }, null, 2);
    const closing = configs.closed(uri);
    configs.opened(TextDocument.create(uri, 'json', 2, reopened));
    await closing;
    await settle();
    assert.equal(configs.text(path), reopened);
    const after = published.filter((p) => p.uri === uri).at(-1);
    assert.equal(after?.version, 2, JSON.stringify(after));
    assert.ok(
      after.diagnostics.some((d) => /'bundled:gpt' names no bundled model/.test(String(d.message))),
      JSON.stringify(after.diagnostics),
    );
  } finally {
    client.dispose();
    server.dispose();
    ws.cleanup();
  }
});
