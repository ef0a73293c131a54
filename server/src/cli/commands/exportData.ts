import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../engine/errors.js';
import { readBinarized } from '../../engine/data/binarized.js';
import { Dictionary } from '../../engine/text/dictionary.js';
import { referenceDataFile } from '../../engine/checkpoint/referenceData.js';
import { writeTorchFile } from '../../engine/checkpoint/torchFile.js';
import { parseArgs } from '../args.js';
import type { Command } from '../command.js';

export const exportDataCommand: Command = {
  name: 'export-data',
  summary: "write preprocessed data as the reference's .pth data files, for microsoft/MASS's train.py",
  usage: 'DATA_PATH OUT_DIR [--format zip|legacy]',
  description: [
    "Writes every binarized split of DATA_PATH (what 'mass preprocess' made: train.en.mbin,",
    "valid.en-fr.fr.mbin, …) as OUT_DIR/<same name>.pth, the dict the reference's Dictionary.index_data",
    'saves (dico, positions, sentences, unk_words), so its train.py runs with --data_path OUT_DIR.',
  ].join('\n'),
  options: [{ name: 'format', type: 'string', default: 'zip', help: 'zip (PyTorch ≥ 1.6) or legacy (any PyTorch)' }],
  async run(argv) {
    const { options: o, positionals } = parseArgs('export-data', argv, this.options);
    if (positionals.length !== 2) throw new UserError("export-data: give DATA_PATH and OUT_DIR (see 'mass export-data --help')");
    const [dataPath, outDir] = positionals as [string, string];
    const format = String(o.format);
    if (format !== 'zip' && format !== 'legacy') throw new UserError(`export-data: --format must be zip or legacy, got '${format}'`);
    const { dictionary } = await Dictionary.readVocab(join(dataPath, 'vocab'));
    const names = (await readdir(dataPath).catch(() => [] as string[])).filter((n) => n.endsWith('.mbin')).sort();
    if (names.length === 0) throw new UserError(`export-data: ${dataPath} has no binarized splits (*.mbin); run 'mass preprocess' first`);
    for (const name of names) {
      const data = await readBinarized(join(dataPath, name));
      if (data.header.dictionary !== dictionary.fingerprint())
        throw new UserError(`export-data: ${name} was binarized with another vocabulary than ${join(dataPath, 'vocab')}; rerun 'mass preprocess'`);
      const out = join(outDir, name.replace(/\.mbin$/, '.pth'));
      // Protocol 4, as index_data saves (numpy arrays are pickled as bytes).
      await writeTorchFile(out, referenceDataFile(data, dictionary, name), format, 4);
      process.stderr.write(`export-data: ${out}: ${data.header.nSentences} sentences, ${data.header.nTokens} tokens\n`);
    }
  },
};
