import type { OptionSpec } from './args.js';

/** One `mass` subcommand. Each lives in its own file under commands/ and is listed in registry.ts. */
export interface Command {
  name: string;
  /** One line, shown in `mass --help`. */
  summary: string;
  /** Usage line(s) after `mass NAME`, e.g. `OUT IN CODES [VOCAB]`. */
  usage: string;
  /** Longer description shown in `mass NAME --help`. */
  description?: string;
  options: OptionSpec[];
  run(argv: string[]): Promise<void>;
}
