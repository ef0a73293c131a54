import { writeFileAtomic } from '../../engine/text/atomicFile.js';
import { UserError } from '../../engine/errors.js';
import { formatVocab, getVocab } from '../../engine/text/bpe/vocab.js';
import { parseArgs } from '../args.js';
import type { Command } from '../command.js';

export const getVocabCommand: Command = {
  name: 'get-vocab',
  summary: 'count the words of tokenized (or BPE) files (fastBPE getvocab)',
  usage: 'FILE... [options]',
  description: "Prints 'word count' lines for the space-separated words of all FILEs, most frequent first (ties by\nbyte order), as fastBPE getvocab does.",
  options: [{ name: 'output', short: 'o', type: 'string', help: 'write to this file (atomically) instead of stdout' }],
  async run(argv) {
    const { options, positionals } = parseArgs('get-vocab', argv, this.options);
    if (positionals.length === 0) throw new UserError("get-vocab: no input FILE given (see 'mass get-vocab --help')");
    const text = formatVocab(await getVocab(positionals));
    const output = options.output as string | undefined;
    if (output !== undefined) await writeFileAtomic(output, text);
    else process.stdout.write(text);
  },
};
