import type { Command } from './command.js';
import { tokenizeCommand } from './commands/tokenize.js';
import { detokenizeCommand } from './commands/detokenize.js';
import { preprocessCommand } from './commands/preprocess.js';
import { trainCommand } from './commands/train.js';
import { applyBpeCommand } from './commands/applyBpe.js';
import { getVocabCommand } from './commands/getVocab.js';
import { learnBpeCommand } from './commands/learnBpe.js';
import { evalCommand } from './commands/eval.js';
import { translateCommand } from './commands/translate.js';
import { summarizeCommand } from './commands/summarize.js';
import { daemonCommand } from './commands/daemon.js';
import { packCommand } from './commands/pack.js';
import { importCommand } from './commands/import.js';
import { exportCommand } from './commands/export.js';
import { exportDataCommand } from './commands/exportData.js';

/** Every `mass` subcommand, in the order `mass --help` lists them. */
export const commands: Command[] = [
  tokenizeCommand,
  detokenizeCommand,
  learnBpeCommand,
  applyBpeCommand,
  getVocabCommand,
  preprocessCommand,
  trainCommand,
  translateCommand,
  summarizeCommand,
  evalCommand,
  packCommand,
  importCommand,
  exportCommand,
  exportDataCommand,
  daemonCommand,
];
