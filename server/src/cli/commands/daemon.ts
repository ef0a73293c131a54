import type { Command } from '../command.js';
import { DAEMON_OPTIONS, runDaemon } from '../../daemon/connection/runDaemon.js';

export const daemonCommand: Command = {
  name: 'daemon',
  summary: 'Run the MASS language server (config and corpus diagnostics, training jobs) over stdio or a loopback socket',
  usage: '--stdio | --socket PORT [--token T]',
  description:
    'The daemon an editor talks to with the Language Server Protocol: diagnostics, hover and completion in\n' +
    'mass.config.json / *.mass.json, diagnostics on the workspace corpora, and the mass/* requests (pretrain,\n' +
    'finetune, status, stopTraining, listCheckpoints, ...). It reads and writes only inside the workspace folders.\n' +
    '--socket binds 127.0.0.1 only and prints {"host","port"[,"token"]} as one JSON line; a client\'s first\n' +
    "bytes must be the line 'MASS-TOKEN <token>', else the connection is closed.",
  options: DAEMON_OPTIONS,
  async run(argv) {
    await runDaemon(argv);
    // serving continues on the event loop (stdin or the socket keeps the process alive)
    await new Promise<never>(() => undefined);
  },
};
