/**
 * Starts the daemon from command-line arguments (`--stdio`, or `--socket PORT [--token T]`); shared
 * by dist/daemon.js (the editor's entry) and `mass daemon`.
 */
import { format } from 'node:util';
import { parseArgs, type OptionSpec } from '../cli/args.js';
import { UserError } from '../engine/errors.js';
import type { BackendName } from '../protocol.js';
import { Daemon } from './daemon.js';
import { listenOnSocket, newToken } from './transport.js';

export const DAEMON_OPTIONS: OptionSpec[] = [
  { name: 'stdio', type: 'boolean', help: 'speak LSP on stdin/stdout (how an editor starts the daemon)' },
  { name: 'socket', type: 'integer', help: 'listen on 127.0.0.1:PORT instead (0: a free port); clients must send the token first' },
  { name: 'token', type: 'string', help: 'the token socket clients must send (default: $MASS_DAEMON_TOKEN, else a random one, printed)' },
];

/** Everything written with console.* goes to stderr: stdout carries the protocol. */
function consoleToStderr(): void {
  const write = (...args: unknown[]) => {
    process.stderr.write(format(...args) + '\n');
  };
  console.log = write;
  console.info = write;
  console.warn = write;
  console.debug = write;
  console.error = write;
}

function keepServing(): void {
  // A bug in one handler must not take the model (and a training job) down with it.
  process.on('uncaughtException', (e) => process.stderr.write(`[mass daemon] uncaught exception: ${e.stack ?? e}\n`));
  process.on('unhandledRejection', (e) => process.stderr.write(`[mass daemon] unhandled rejection: ${(e as Error)?.stack ?? e}\n`));
}

function envBackend(): BackendName | 'auto' | undefined {
  const b = process.env.MASS_BACKEND;
  return b && ['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'].includes(b) ? (b as BackendName | 'auto') : undefined;
}

function envMemoryLimit(): number | undefined {
  const mb = Number(process.env.MASS_MEMORY_LIMIT_MB);
  return Number.isInteger(mb) && mb > 0 ? mb : undefined;
}

/** Resolves when the daemon is serving (stdio: connected; socket: listening). */
export async function runDaemon(argv: string[], command = 'daemon'): Promise<void> {
  const { options: o, positionals } = parseArgs(command, argv, DAEMON_OPTIONS);
  if (positionals.length) throw new UserError(`${command}: unexpected argument '${positionals[0]}'`);
  const stdio = o.stdio === true;
  const port = o.socket as number | undefined;
  if (stdio === (port !== undefined)) throw new UserError(`${command}: give exactly one of --stdio or --socket PORT`);
  if (port !== undefined && (port < 0 || port > 65535)) throw new UserError(`${command}: --socket: ${port} is not a port number`);
  if (o.token !== undefined && !stdio && String(o.token).length < 16) throw new UserError(`${command}: --token must be at least 16 characters`);
  if (o.token !== undefined && stdio) throw new UserError(`${command}: --token is for --socket (stdio needs no token)`);

  consoleToStderr();
  keepServing();
  const daemon = new Daemon({ backend: envBackend(), memoryLimitMB: envMemoryLimit() });
  const log = (m: string) => process.stderr.write(`[mass daemon] ${m}\n`);
  const stopOnSignal = (signal: string) => {
    log(`${signal}: stopping (a running job writes its checkpoint first)`);
    void daemon.shutdown().finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => stopOnSignal('SIGTERM'));
  process.once('SIGINT', () => stopOnSignal('SIGINT'));

  if (stdio) {
    daemon.connect(process.stdin, process.stdout, { ownsProcess: true, name: 'stdio' });
    return;
  }
  const given = (o.token as string | undefined) ?? process.env.MASS_DAEMON_TOKEN;
  const token = given && given.length >= 16 ? given : newToken();
  const { port: actual } = await listenOnSocket(daemon, port!, token, log);
  // one line for whoever started us: where to connect, and the token when we made it up
  process.stdout.write(JSON.stringify({ host: '127.0.0.1', port: actual, ...(given ? {} : { token }) }) + '\n');
  log(`listening on 127.0.0.1:${actual}`);
}
