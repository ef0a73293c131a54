import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { parseArgs } from '../args.js';
import { UserError } from '../../engine/errors.js';
import { loadConfig, type CorporaConfig } from '../../config/loadConfig.js';
import { preprocessSpecFromConfig } from '../../config/corporaSpec.js';
import { preprocess, type PreprocessSummary } from '../../engine/data/preprocess.js';

const options = [
  { name: 'config', type: 'string', help: 'mass.config.json whose corpora/bpe/data_path/lgs sections describe the job' },
  { name: 'data_path', type: 'string', help: 'output folder (overrides the config)' },
  { name: 'lgs', type: 'string', help: 'languages, e.g. en-fr (overrides the config)' },
  { name: 'mono', type: 'string', repeat: true, help: 'L=FILE[,FILE...] monolingual raw text for language L' },
  { name: 'para', type: 'string', repeat: true, help: 'L1-L2=FILE1,FILE2 parallel raw text (line-aligned)' },
  { name: 'valid', type: 'string', repeat: true, help: 'L1-L2=FILE1,FILE2 held-out parallel text' },
  { name: 's2s', type: 'string', repeat: true, help: 'TASK=TRAIN.jsonl[,VALID.jsonl] article/summary style pairs' },
  { name: 'codes', type: 'integer', help: 'BPE merges to learn (default 10000)' },
  { name: 'reload_codes', type: 'string', help: 'use existing fastBPE codes (e.g. XLM codes_enfr)' },
  { name: 'reload_vocab', type: 'string', help: 'use an existing fastBPE/XLM vocabulary' },
  { name: 'max_learn_lines', type: 'integer', help: 'learn BPE on at most N lines per file' },
  { name: 'valid_size', type: 'integer', help: 'monolingual sentences held out per language (default 1000)' },
  { name: 'tokenized', type: 'boolean', help: 'inputs are already Moses-tokenized' },
  { name: 'json', type: 'boolean', help: 'print the summary as JSON' },
] as const;

function splitAssignment(flag: string, value: string): [string, string[]] {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new UserError(`--${flag} expects NAME=FILE[,FILE], got '${value}'`);
  // flag paths are relative to the current folder, config paths to the config's folder
  return [
    value.slice(0, eq),
    value
      .slice(eq + 1)
      .split(',')
      .filter(Boolean)
      .map((f) => resolve(f)),
  ];
}

export function formatSummary(s: PreprocessSummary): string {
  const rows = s.splits.map((x) => {
    const skipped =
      Object.entries(x.skipped)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ') || '-';
    const unk = x.tokens ? ((100 * x.unknown) / x.tokens).toFixed(2) : '0.00';
    return `  ${x.file.split('/').pop()!.padEnd(28)} ${String(x.sentences).padStart(9)} ${String(x.tokens).padStart(10)} ${unk.padStart(7)}%  ${x.rebuilt ? 'built ' : 'cached'}  ${skipped}`;
  });
  return [
    `${s.outDir}: vocabulary ${s.vocabSize} (${s.codes} BPE codes)`,
    `  ${'split'.padEnd(28)} ${'sentences'.padStart(9)} ${'tokens'.padStart(10)} ${'unk'.padStart(8)}  cache   skipped`,
    ...rows,
  ].join('\n');
}

export const preprocessCommand: Command = {
  name: 'preprocess',
  summary: 'Raw text → Moses tokens → BPE → XLM dictionary → binarized training data (cached)',
  usage: '[--config mass.config.json] [--data_path DIR --lgs en-fr --mono en=FILE ...]',
  description:
    'Runs the XLM/MASS data pipeline: Moses normalisation and tokenization, BPE learned (or reloaded\nwith --reload_codes/--reload_vocab), XLM dictionary, and compact binarized splits\n(train.L.mbin, valid.L.mbin, train.L1-L2.L.mbin, ...). Each stage is rebuilt only when its\ninputs change. Bad lines (invalid UTF-8, NUL bytes, too long, empty) are skipped and counted.',
  options: [...options],
  async run(argv) {
    const { options: o } = parseArgs('preprocess', argv, [...options]);
    const flags: Record<string, unknown> = {};
    if (o.data_path) flags.data_path = o.data_path;
    if (o.lgs) flags.lgs = o.lgs;
    const cfg = await loadConfig(o.config as string | undefined, flags);
    const corpora: CorporaConfig = { ...cfg.corpora };
    for (const v of (o.mono as string[] | undefined) ?? []) {
      const [lang, files] = splitAssignment('mono', v);
      corpora.mono = { ...corpora.mono, [lang]: files };
    }
    for (const group of ['para', 'valid'] as const) {
      for (const v of (o[group] as string[] | undefined) ?? []) {
        const [pair, files] = splitAssignment(group, v);
        const langs = pair.split('-');
        if (langs.length !== 2 || files.length !== 2) throw new UserError(`--${group} expects L1-L2=FILE1,FILE2, got '${v}'`);
        corpora[group] = { ...corpora[group], [pair]: { [langs[0]!]: files[0]!, [langs[1]!]: files[1]! } };
      }
    }
    for (const v of (o.s2s as string[] | undefined) ?? []) {
      const [task, files] = splitAssignment('s2s', v);
      corpora.s2s = { ...corpora.s2s, [task]: { jsonl: files[0]!, ...(files[1] ? { valid_jsonl: files[1] } : {}) } };
    }
    if (o.tokenized !== undefined) corpora.tokenized = o.tokenized as boolean;
    if (o.valid_size !== undefined) corpora.valid_size = o.valid_size as number;
    cfg.corpora = corpora;
    cfg.bpe = {
      ...cfg.bpe,
      ...(o.codes !== undefined ? { codes: o.codes as number } : {}),
      ...(o.reload_codes ? { reload_codes: o.reload_codes as string } : {}),
      ...(o.reload_vocab ? { reload_vocab: o.reload_vocab as string } : {}),
      ...(o.max_learn_lines !== undefined ? { max_lines: o.max_learn_lines as number } : {}),
    };
    const spec = await preprocessSpecFromConfig(cfg, (m) => process.stderr.write(`${m}\n`));
    const summary = await preprocess(spec);
    process.stdout.write(o.json ? JSON.stringify(summary, null, 2) + '\n' : formatSummary(summary) + '\n');
  },
};
