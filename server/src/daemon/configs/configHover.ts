import { getLocation } from 'jsonc-parser';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { nodeAt, parseConfigTree, rangeOf } from './configFiles.js';
import { entryMarkdown, schemaAt } from './configSchemaDocs.js';

/** Hover on a key or value of a config: the field's description, type, default and reference flag. */
export function configHover(doc: TextDocument, position: Position): Hover | null {
  const text = doc.getText();
  const offset = doc.offsetAt(position);
  const loc = getLocation(text, offset);
  if (loc.path.length === 0) return null;
  // on a key, getLocation's path already ends with that key; on a value too
  const entry = schemaAt(loc.path);
  if (!entry) return null;
  const root = parseConfigTree(text);
  const node = loc.previousNode ?? nodeAt(root, loc.path);
  return {
    contents: { kind: MarkupKind.Markdown, value: entryMarkdown(entry) },
    ...(node ? { range: rangeOf(doc, node.offset, node.length) } : {}),
  };
}
