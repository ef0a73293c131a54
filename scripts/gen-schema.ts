/**
 * Writes the files derived from the config schema (server/src/config/schema.ts, the single source of
 * truth): the JSON Schema the extension contributes for mass.config.json / *.mass.json, and the
 * config reference docs/config.md. Run by `npm run build` (scripts/build.mjs bundles this file);
 * test/unit/client/generatedFiles.test.ts checks that the committed copies are current.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configJsonSchema, fields, type FieldSchema } from '../server/src/config/schema.js';

export const SCHEMA_FILE = 'schemas/mass.config.schema.json';
export const DOCS_FILE = 'docs/config.md';

export function schemaJson(): string {
  return JSON.stringify(configJsonSchema(), null, 2) + '\n';
}

interface PropertyLike {
  type?: unknown;
  description?: string;
  default?: unknown;
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  properties?: Record<string, PropertyLike>;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (v: unknown) => (v === undefined ? '' : '`' + (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v)) + '`');

function typeText(p: PropertyLike): string {
  const t = Array.isArray(p.type) ? p.type.join(' \\| ') : String(p.type ?? '');
  if (p.enum) return `${t}: ${p.enum.map((v) => code(v)).join(', ')}`;
  const range = [p.minimum !== undefined ? `≥ ${p.minimum}` : '', p.maximum !== undefined ? `≤ ${p.maximum}` : ''].filter(Boolean).join(', ');
  return range ? `${t} (${range})` : t;
}

function table(rows: [string, PropertyLike][]): string[] {
  return [
    '| field | type | default | description |',
    '| --- | --- | --- | --- |',
    ...rows.map(([name, p]) => `| \`${name}\` | ${cell(typeText(p))} | ${cell(code(p.default))} | ${cell(p.description ?? '')} |`),
  ];
}

export function configDocs(): string {
  const schema = configJsonSchema() as { properties: Record<string, PropertyLike> };
  const byGroup = new Map<string, [string, PropertyLike][]>();
  for (const [name, f] of Object.entries(fields) as [string, FieldSchema][]) {
    const rows = byGroup.get(f.group) ?? [];
    rows.push([name, f as PropertyLike]);
    byGroup.set(f.group, rows);
  }
  const lines = [
    '# Configuration reference',
    '',
    '<!-- Generated from server/src/config/schema.ts by `npm run build`; do not edit by hand. -->',
    '',
    'A MASS config is a JSON file (comments allowed) named `mass.config.json` or `*.mass.json`. The',
    'VS Code extension validates and completes it with `schemas/mass.config.schema.json`; the `mass`',
    'CLI reads the same file and takes every training field below as a flag too (`--emb_dim 256`).',
    "Training field names are the reference implementation's `train.py` flags; relative paths are",
    'resolved against the folder of the config file.',
    '',
  ];
  for (const section of ['corpora', 'bpe'] as const) {
    const s = schema.properties[section]!;
    lines.push(`## \`${section}\``, '', s.description ?? '', '', ...table(Object.entries(s.properties ?? {})), '');
  }
  for (const [group, rows] of byGroup) {
    lines.push(`## ${group[0]!.toUpperCase()}${group.slice(1)}`, '', ...table(rows), '');
  }
  return lines.join('\n');
}

/** Writes both generated files under `root`; returns their paths. */
export function writeGeneratedFiles(root: string): string[] {
  const out: [string, string][] = [
    [SCHEMA_FILE, schemaJson()],
    [DOCS_FILE, configDocs()],
  ];
  for (const [rel, text] of out) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return out.map(([rel]) => rel);
}
