/**
 * Starts the daemon from command-line arguments (`--stdio`, or `--socket PORT [--token T]`); shared
 * by dist/daemon.js (the editor's entry) and `mass daemon`.
 */
import { format } from 'node:util';
import { parseArgs, type OptionSpec } from '../../cli/args.js';
import { UserError } from '../../engine/errors.js';
import type { BackendName } from '../../protocol.js';
import { isBackendChoice } from '../../engine/backend/backendNames.js';
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

const GUARDED_EVENTS = new Set<string | symbol>(['uncaughtException', 'unhandledRejection']);

/**
 * A bug in one handler, or a write to a connection that just closed, must not take the model (and a
 * training job) down with it. The emscripten glue of tfjs-backend-wasm installs `uncaughtException` /
 * `unhandledRejection` handlers that rethrow (ending the process) as soon as the engine loads: from
 * here on, only the daemon's own handlers for these two events are registered; others are ignored.
 */
export function keepServing(log: (m: string) => void = (m) => process.stderr.write(`[mass daemon] ${m}\n`)): void {
  const onException = (e: Error) => log(`uncaught exception: ${e?.stack ?? e}`);
  const onRejection = (e: unknown) => log(`unhandled rejection: ${(e as Error)?.stack ?? e}`);
  const ours = new Set<unknown>([onException, onRejection]);
  for (const ev of GUARDED_EVENTS) for (const l of process.listeners(ev as 'uncaughtException')) process.off(ev as 'uncaughtException', l);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  const proc = process as unknown as Record<string, (event: string | symbol, listener: (...a: unknown[]) => void) => NodeJS.Process>;
  for (const method of ['on', 'addListener', 'prependListener', 'once', 'prependOnceListener']) {
    const original = proc[method]!.bind(process);
    proc[method] = (event, listener) => {
      if (GUARDED_EVENTS.has(event) && !ours.has(listener)) {
        log(`ignored a process '${String(event)}' handler installed by a library (the daemon keeps serving)`);
        return process;
      }
      return original(event, listener);
    };
  }
}

function envBackend(): BackendName | 'auto' | undefined {
  const b = process.env.MASS_BACKEND;
  return isBackendChoice(b) ? b : undefined;
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
  const fromEnv = process.env.MASS_DAEMON_TOKEN;
  if (o.token === undefined && fromEnv !== undefined && fromEnv !== '' && fromEnv.length < 16) {
    throw new UserError(
      `${command}: MASS_DAEMON_TOKEN must be at least 16 characters (it has ${fromEnv.length}); set a longer one, or unset it for a random token`,
    );
  }
  const given = (o.token as string | undefined) ?? (fromEnv || undefined);
  const token = given ?? newToken();
  const { port: actual } = await listenOnSocket(daemon, port!, token, log);
  // one line for whoever started us: where to connect, and the token when we made it up
  process.stdout.write(JSON.stringify({ host: '127.0.0.1', port: actual, ...(given ? {} : { token }) }) + '\n');
  log(`listening on 127.0.0.1:${actual}`);
}
