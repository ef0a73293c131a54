/**
 * Entry of dist/daemon.js, the language server the editor starts: `node dist/daemon.js --stdio`
 * (or `--socket PORT [--token T]`). Same as `mass daemon`.
 */
import { UserError } from '../engine/errors.js';
import { runDaemon } from './connection/runDaemon.js';

runDaemon(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`mass daemon: ${e instanceof UserError ? e.message : ((e as Error)?.stack ?? String(e))}\n`);
  process.exit(e instanceof UserError ? 1 : 2);
});
