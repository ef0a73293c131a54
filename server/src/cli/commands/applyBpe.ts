import { UserError } from '../../engine/errors.js';
import { applyBpeFile } from '../../engine/text/bpe/applyBpe.js';
import { BpeCodes } from '../../engine/text/bpe/codes.js';
import { BpeVocab } from '../../engine/text/bpe/vocab.js';
import { checkInputFiles } from '../../engine/text/bpe/wordCounts.js';
import { parseArgs } from '../args.js';
import type { Command } from '../command.js';
import { plural } from '../../engine/util/plural.js';

export const applyBpeCommand: Command = {
  name: 'apply-bpe',
  summary: 'split the words of a tokenized file into BPE subwords (fastBPE applybpe)',
  usage: 'OUT IN CODES [VOCAB]',
  description: [
    "Writes IN to OUT with every word split by the CODES (from learn-bpe), subwords joined by '@@ '.",
    "With VOCAB ('token count' lines, get-vocab of BPE'd text), subwords missing from it are split",
    'further. Spacing is copied byte for byte; output is identical to fastBPE applybpe. OUT appears',
    'only when complete.',
  ].join('\n'),
  options: [{ name: 'quiet', short: 'q', type: 'boolean', help: 'no summary line on stderr' }],
  async run(argv) {
    const { options, positionals } = parseArgs('apply-bpe', argv, this.options);
    if (positionals.length < 3 || positionals.length > 4) {
      throw new UserError(`apply-bpe: expected OUT IN CODES [VOCAB], got ${positionals.length} argument(s) (see 'mass apply-bpe --help')`);
    }
    const [out, input, codesPath, vocabPath] = positionals as [string, string, string, string | undefined];
    await checkInputFiles(vocabPath !== undefined ? [input, codesPath, vocabPath] : [input, codesPath]);
    const codes = await BpeCodes.load(codesPath);
    const vocab = vocabPath !== undefined ? await BpeVocab.load(vocabPath) : undefined;
    const t0 = Date.now();
    const { lines } = await applyBpeFile(out, input, codes, vocab);
    if (!options.quiet) {
      process.stderr.write(`apply-bpe: ${plural(lines, 'line')} of ${input} -> ${out} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    }
  },
};
