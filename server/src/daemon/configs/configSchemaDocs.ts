/**
 * What the schema says about a place in a config file: the field's schema for a JSON path such as
 * ['n_heads'] or ['corpora', 'mono', 'en', 0], and its documentation as Markdown. Used by hover and
 * completion; everything comes from config/schema.ts.
 */
import { bpeSchema, corporaSchema, fields, type FieldSchema } from '../../config/schema.js';

export interface SchemaEntry {
  /** Dotted name shown to the user, e.g. 'corpora.mono.en'. */
  name: string;
  description: string;
  type?: string;
  default?: unknown;
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  /** The reference's train.py flag, for top-level training settings. */
  flag?: string;
  group?: string;
}

interface LooseSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  properties?: Record<string, LooseSchema>;
  additionalProperties?: unknown;
}

const SECTIONS: Record<string, LooseSchema> = {
  corpora: corporaSchema as unknown as LooseSchema,
  bpe: bpeSchema as unknown as LooseSchema,
  $schema: { type: 'string', description: 'JSON Schema reference (ignored by MASS).' },
};

export function topLevelNames(): string[] {
  return [...Object.keys(fields), 'corpora', 'bpe', '$schema'];
}

function fromLoose(name: string, s: LooseSchema): SchemaEntry {
  return {
    name,
    description: s.description ?? '',
    type: Array.isArray(s.type) ? s.type.join(' | ') : s.type,
    default: s.default,
    enum: s.enum,
    minimum: s.minimum,
    maximum: s.maximum,
  };
}

/** The schema entry for a JSON path, or undefined outside the schema. */
export function schemaAt(path: (string | number)[]): SchemaEntry | undefined {
  const [head, ...rest] = path;
  if (typeof head !== 'string') return undefined;
  const field = (fields as Record<string, FieldSchema>)[head];
  if (field) {
    if (rest.length > 0) return undefined;
    return {
      name: head,
      description: field.description,
      type: Array.isArray(field.type) ? field.type.join(' | ') : field.type,
      default: field.default,
      enum: field.enum,
      minimum: field.minimum,
      maximum: field.maximum,
      flag: `--${head}`,
      group: field.group,
    };
  }
  const section = SECTIONS[head];
  if (!section) return undefined;
  if (rest.length === 0) return fromLoose(head, section);
  const [sub, ...deeper] = rest;
  if (typeof sub !== 'string') return undefined;
  const child = section.properties?.[sub];
  if (!child) return undefined;
  // corpora.mono.en, corpora.para.en-fr.en ...: the description of the group they belong to
  const name = [head, sub, ...deeper.filter((x) => typeof x === 'string')].join('.');
  return fromLoose(name, child);
}

/** Markdown hover text for an entry. */
export function entryMarkdown(e: SchemaEntry): string {
  const facts: string[] = [];
  if (e.type) facts.push(e.type);
  if (e.enum) facts.push(`one of ${e.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`);
  if (e.minimum !== undefined) facts.push(`≥ ${e.minimum}`);
  if (e.maximum !== undefined) facts.push(`≤ ${e.maximum}`);
  const lines = [`**${e.name}**${facts.length ? ` — ${facts.join(', ')}` : ''}`, '', e.description];
  const tail: string[] = [];
  if (e.default !== undefined) tail.push(`Default: \`${JSON.stringify(e.default)}\``);
  if (e.flag) tail.push(`Reference flag: \`${e.flag}\``);
  if (tail.length) lines.push('', tail.join(' · '));
  return lines.join('\n');
}
