import type { Command } from './command.js';

/** Every `mass` subcommand, in the order `mass --help` lists them. */
export const commands: Command[] = [];
