/**
 * Completion in config files: setting names (with the default as value), and values — enum members,
 * booleans, language codes found in the workspace corpora (for lgs and the step lists, built from
 * the current lgs), checkpoint files under dump_path for reload_model / reload_checkpoint, corpus
 * files of a language under corpora.mono.
 */
import { BUNDLED_KINDS, BUNDLED_PREFIX, bundledModel } from '../../engine/checkpoint/bundledModels.js';
import { dirname, relative, sep } from 'node:path';
import { getLocation, getNodeValue, type Node } from 'jsonc-parser';
import { CompletionItemKind, MarkupKind, type CompletionItem, type Position, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fields, type FieldSchema } from '../../config/schema.js';
import { parseLanguages } from '../../config/steps.js';
import { nodeAt, parseConfigTree, rangeOf } from './configFiles.js';
import { entryMarkdown, schemaAt, topLevelNames } from './configSchemaDocs.js';

export interface CompletionSources {
  /** Language codes of the workspace corpora (file-name suffixes and detected languages). */
  languages(): string[];
  /** Corpus files of a language (absolute paths). */
  corpusFiles(lang: string): string[];
  /** Checkpoint files (*.safetensors) under a folder, absolute paths. */
  checkpoints(dumpPath: string): Promise<string[]>;
}

const MAX_ITEMS = 200;

function relativePath(from: string, to: string): string {
  const rel = relative(from, to).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

function pairsOf(langs: string[], joiner: (a: string, b: string) => string): string[] {
  const out: string[] = [];
  for (const a of langs) for (const b of langs) if (a !== b) out.push(joiner(a, b));
  return out;
}

function languageValues(field: string, known: string[], lgs: string[]): string[] {
  return [...new Set(languageValueList(field, known, lgs))];
}

function languageValueList(field: string, known: string[], lgs: string[]): string[] {
  const langs = lgs.length > 0 ? lgs : known;
  switch (field) {
    case 'lgs': {
      const out = known.length > 1 ? [known.join('-')] : [];
      out.push(...pairsOf(known, (a, b) => `${a}-${b}`).filter((p) => p.split('-')[0]! < p.split('-')[1]!));
      out.push(...known);
      return out;
    }
    case 'mass_steps':
      return [...(langs.length > 1 ? [langs.join(',')] : []), ...langs];
    case 'mt_steps': {
      const pairs = pairsOf(langs, (a, b) => `${a}-${b}`);
      return [...(pairs.length > 1 ? [pairs.join(',')] : []), ...pairs];
    }
    case 'bt_steps': {
      const triples = pairsOf(langs, (a, b) => `${a}-${b}-${a}`);
      return [...(triples.length > 1 ? [triples.join(',')] : []), ...triples];
    }
    default:
      return [];
  }
}

function valueItem(value: unknown, range: Range | undefined, position: Position, detail?: string, sortIndex = 0): CompletionItem {
  const text = JSON.stringify(value);
  return {
    label: typeof value === 'string' ? value : text,
    kind: CompletionItemKind.Value,
    detail,
    sortText: String(sortIndex).padStart(4, '0'),
    filterText: text,
    textEdit: { range: range ?? { start: position, end: position }, newText: text },
  };
}

/** The range of the node being completed, when the cursor is inside one (so it gets replaced). */
function replaceRange(doc: TextDocument, node: Node | undefined): Range | undefined {
  return node ? rangeOf(doc, node.offset, node.length) : undefined;
}

export async function configCompletion(doc: TextDocument, file: string, position: Position, sources: CompletionSources): Promise<CompletionItem[]> {
  const text = doc.getText();
  const offset = doc.offsetAt(position);
  const loc = getLocation(text, offset);
  const root = parseConfigTree(text);
  const items: CompletionItem[] = [];
  const node = loc.previousNode;
  const range = replaceRange(doc, node);

  if (loc.isAtPropertyKey) {
    if (loc.path.length === 1) {
      const present = new Set((root?.children ?? []).map((p) => p.children?.[0]?.value as string));
      for (const name of topLevelNames()) {
        if (present.has(name) && name !== loc.path[0]) continue;
        const entry = schemaAt([name])!;
        const def = entry.default !== undefined ? JSON.stringify(entry.default) : name === 'corpora' || name === 'bpe' ? '{}' : '""';
        items.push({
          label: name,
          kind: CompletionItemKind.Property,
          detail: entry.group ?? name,
          documentation: { kind: MarkupKind.Markdown, value: entryMarkdown(entry) },
          filterText: `"${name}"`,
          // inside an existing key only the key is replaced; on a fresh line the value comes too
          textEdit: range ? { range, newText: `"${name}"` } : { range: { start: position, end: position }, newText: `"${name}": ${def}` },
        });
      }
    } else if (loc.path.length === 2 && (loc.path[0] === 'corpora' || loc.path[0] === 'bpe')) {
      const section = schemaAt([loc.path[0]]);
      const props =
        loc.path[0] === 'corpora' ? ['mono', 'para', 'valid', 's2s', 'tokenized', 'valid_size'] : ['codes', 'reload_codes', 'reload_vocab', 'max_lines'];
      for (const p of props) {
        const entry = schemaAt([loc.path[0], p]);
        if (!entry || !section) continue;
        items.push({
          label: p,
          kind: CompletionItemKind.Property,
          documentation: { kind: MarkupKind.Markdown, value: entryMarkdown(entry) },
          filterText: `"${p}"`,
          textEdit: { range: range ?? { start: position, end: position }, newText: `"${p}"` },
        });
      }
    } else if (loc.path.length === 3 && loc.path[0] === 'corpora' && loc.path[1] === 'mono') {
      sources
        .languages()
        .forEach((l, i) => items.push({ ...valueItem(l, range, position, 'language found in the workspace corpora', i), kind: CompletionItemKind.Property }));
    } else if (loc.path.length === 3 && loc.path[0] === 'corpora' && (loc.path[1] === 'para' || loc.path[1] === 'valid')) {
      const langs = sources.languages();
      pairsOf(langs, (a, b) => `${a}-${b}`).forEach((p, i) =>
        items.push({ ...valueItem(p, range, position, 'language pair', i), kind: CompletionItemKind.Property }),
      );
    }
    return items.slice(0, MAX_ITEMS);
  }

  // value position
  const [head] = loc.path;
  if (typeof head !== 'string') return items;
  const field = (fields as Record<string, FieldSchema>)[head];
  if (field && loc.path.length === 1) {
    let i = 0;
    if (field.enum) for (const v of field.enum) items.push(valueItem(v, range, position, v === field.default ? 'default' : undefined, i++));
    else if (field.type === 'boolean')
      for (const v of [true, false]) items.push(valueItem(v, range, position, v === field.default ? 'default' : undefined, i++));
    const lgsNode = nodeAt(root, ['lgs']);
    const lgsValue = lgsNode ? getNodeValue(lgsNode) : undefined;
    const lgs = typeof lgsValue === 'string' ? parseLanguages(lgsValue) : [];
    for (const v of languageValues(head, sources.languages(), lgs)) items.push(valueItem(v, range, position, 'from the workspace corpora', i++));
    if (head === 'reload_model' || head === 'reload_checkpoint') {
      const dumpNode = nodeAt(root, ['dump_path']);
      const dumpValue = dumpNode ? getNodeValue(dumpNode) : undefined;
      const dump = typeof dumpValue === 'string' ? dumpValue : (fields.dump_path.default as string);
      const base = dirname(file);
      for (const ck of await sources.checkpoints(`${base}/${dump}`))
        items.push({ ...valueItem(relativePath(base, ck), range, position, 'checkpoint', i++), kind: CompletionItemKind.File });
      // the models the package ships can start a fine-tuning (not resume one: they hold weights only)
      if (head === 'reload_model')
        for (const kind of BUNDLED_KINDS) {
          const m = bundledModel(kind);
          if (m) items.push(valueItem(BUNDLED_PREFIX + kind, range, position, `bundled ${kind} model (${m.langs.join('-')}, ${m.updates} updates)`, i++));
        }
    }
    if (
      !field.enum &&
      field.type !== 'boolean' &&
      field.default !== undefined &&
      field.default !== '' &&
      !items.some((x) => x.textEdit?.newText === JSON.stringify(field.default))
    ) {
      items.push(valueItem(field.default, range, position, 'default', i++));
    }
  } else if (head === 'corpora' && loc.path[1] === 'mono' && typeof loc.path[2] === 'string' && loc.path.length === 4) {
    const base = dirname(file);
    sources
      .corpusFiles(loc.path[2])
      .forEach((f, i) => items.push({ ...valueItem(relativePath(base, f), range, position, `${loc.path[2]} corpus`, i), kind: CompletionItemKind.File }));
  } else {
    const entry = schemaAt(loc.path);
    if (entry?.type === 'boolean') for (const v of [true, false]) items.push(valueItem(v, range, position));
  }
  return items.slice(0, MAX_ITEMS);
}
