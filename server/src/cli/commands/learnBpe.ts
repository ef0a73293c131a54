import { writeFileAtomic } from '../../engine/text/atomicFile.js';
import { UserError } from '../../engine/errors.js';
import { formatCodes, learnBpe } from '../../engine/text/bpe/learnBpe.js';
import { readSymbolOrder, TIE_BREAKS, type TieBreak } from '../../engine/text/bpe/symbolOrder.js';
import { parseArgs } from '../args.js';
import type { Command } from '../command.js';

/** A positional count such as learn-bpe's N: digits only, > 0. */
export function parsePositiveInteger(raw: string | undefined, what: string, command: string): number {
  if (raw === undefined) throw new UserError(`${command}: missing ${what} (see 'mass ${command} --help')`);
  if (!/^\d+$/.test(raw) || Number(raw) <= 0 || !Number.isSafeInteger(Number(raw))) {
    throw new UserError(`${command}: ${what} must be a positive integer, got '${raw}'`);
  }
  return Number(raw);
}

export const learnBpeCommand: Command = {
  name: 'learn-bpe',
  summary: 'learn N BPE merge codes from tokenized text (fastBPE learnbpe)',
  usage: 'N FILE... [options]',
  description: [
    'Counts the space-separated words of all FILEs and learns N merges, printing fastBPE codes',
    "('left right count' lines, best first) to stdout or --output. Same merges and counts as",
    'fastBPE learnbpe; equally frequent pairs are ordered as fastBPE orders them (--tie-break).',
  ].join('\n'),
  options: [
    { name: 'output', short: 'o', type: 'string', help: 'write the codes to this file (atomically) instead of stdout' },
    {
      name: 'tie-break',
      type: 'string',
      default: 'fastbpe',
      help: "order of equally frequent pairs: 'fastbpe' (as fastBPE built with GCC) or 'first-seen' (text order of the symbols)",
    },
    { name: 'symbol-order', type: 'string', help: 'replay this initial symbol order (one symbol a line) instead of --tie-break' },
    { name: 'quiet', short: 'q', type: 'boolean', help: 'no summary line on stderr' },
  ],
  async run(argv) {
    const { options, positionals } = parseArgs('learn-bpe', argv, this.options);
    const [nRaw, ...files] = positionals;
    const n = parsePositiveInteger(nRaw, 'N (the number of merges)', 'learn-bpe');
    if (files.length === 0) throw new UserError("learn-bpe: no input FILE given (see 'mass learn-bpe --help')");
    const tieBreak = options['tie-break'] as string;
    if (!TIE_BREAKS.includes(tieBreak as TieBreak)) {
      throw new UserError(`learn-bpe: --tie-break must be one of ${TIE_BREAKS.join(', ')}, got '${tieBreak}'`);
    }
    const orderFile = options['symbol-order'] as string | undefined;
    const symbolOrder = orderFile !== undefined ? await readSymbolOrder(orderFile) : undefined;
    const t0 = Date.now();
    const result = await learnBpe(files, n, { tieBreak: tieBreak as TieBreak, symbolOrder, symbolOrderSource: orderFile });
    const text = formatCodes(result.merges);
    const output = options.output as string | undefined;
    if (output !== undefined) await writeFileAtomic(output, text);
    else process.stdout.write(text);
    if (result.stoppedEarly) {
      process.stderr.write(`learn-bpe: only ${result.merges.length} merges were possible (asked for ${n}); no pair is left\n`);
    }
    if (!options.quiet) {
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      process.stderr.write(
        `learn-bpe: ${result.merges.length} merges from ${result.words} words (${result.uniqueWords} distinct, ${result.initialSymbols} symbols) in ${secs} s\n`,
      );
    }
  },
};
