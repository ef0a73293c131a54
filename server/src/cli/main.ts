import { UserError } from '../engine/errors.js';
import { releaseBackendResources } from '../engine/backend/releaseOnExit.js';
import { formatOptions } from './args.js';
import type { Command } from './command.js';
import { commands } from './registry.js';

const VERSION = '0.1.0';

function topHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'mass — MASS (masked sequence-to-sequence pre-training) from the command line',
    '',
    'Usage: mass <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    "Run 'mass <command> --help' for a command's options.",
  ].join('\n');
}

export function commandHelp(c: Command): string {
  return [
    `Usage: mass ${c.name} ${c.usage}`.trimEnd(),
    '',
    c.summary,
    ...(c.description ? ['', c.description] : []),
    ...(c.options.length ? ['', 'Options:', formatOptions(c.options)] : []),
    '  -h, --help'.padEnd(36) + 'show this help',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const target = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    process.stdout.write((target ? commandHelp(target) : topHelp()) + '\n');
    return 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`mass ${VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) throw new UserError(`unknown command '${name}' (run 'mass --help' for the list)`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(command) + '\n');
    return 0;
  }
  await command.run(rest);
  return 0;
}

function reportAndExit(err: unknown): never {
  if (err instanceof UserError) {
    process.stderr.write(`mass: ${err.message}\n`);
    process.exit(1);
  }
  const e = err as NodeJS.ErrnoException;
  if (e && (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED')) process.exit(0);
  if (e && typeof e.code === 'string' && ['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'ENOSPC', 'EEXIST'].includes(e.code)) {
    process.stderr.write(`mass: ${e.message}\n`);
    process.exit(1);
  }
  const msg = e instanceof Error ? e.message : String(err);
  process.stderr.write(`mass: internal error: ${msg.split('\n')[0]}\n`);
  if (process.env.MASS_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
  process.exit(2);
}

process.stdout.on('error', (err) => reportAndExit(err));

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // a GPU device would keep the process alive after the command is done
    releaseBackendResources();
  },
  (err) => reportAndExit(err),
);
