import { basename } from 'node:path';
import { parseTree, findNodeAtLocation, type Node } from 'jsonc-parser';
import type { Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** `mass.config.json` or `*.mass.json`: the files the daemon treats as MASS configs. */
export function isConfigPath(path: string): boolean {
  const name = basename(path);
  return name === 'mass.config.json' || (name.endsWith('.mass.json') && name.length > '.mass.json'.length);
}

export const CONFIG_GLOBS = ['**/mass.config.json', '**/*.mass.json'];

export function parseConfigTree(text: string): Node | undefined {
  return parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
}

export function nodeAt(root: Node | undefined, path: (string | number)[]): Node | undefined {
  return root ? findNodeAtLocation(root, path) : undefined;
}

/** The key node of a property whose value node is given. */
export function keyNodeOf(value: Node | undefined): Node | undefined {
  return value?.parent?.type === 'property' ? value.parent.children?.[0] : undefined;
}

export function rangeOf(doc: TextDocument, offset: number, length: number): Range {
  return { start: doc.positionAt(offset), end: doc.positionAt(offset + Math.max(0, length)) };
}

export function nodeRange(doc: TextDocument, node: Node | undefined): Range {
  return node ? rangeOf(doc, node.offset, node.length) : rangeOf(doc, 0, Math.min(1, doc.getText().length));
}
