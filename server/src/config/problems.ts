/** A problem found in a config: which field, where in the file (when known), and what is wrong. */
export interface ConfigProblem {
  /** Dotted field path, e.g. 'n_heads' or 'corpora.mono.en'. */
  field: string;
  message: string;
  severity: 'error' | 'warning' | 'info';
  /** Character offset and length of the offending value in the config text, when it came from a file. */
  offset?: number;
  length?: number;
}

/** Line (1-based) and column (1-based) of an offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/** `file:line:col: field: message` (or `field: message` for flags). */
export function formatProblem(p: ConfigProblem, file?: string, text?: string): string {
  if (file && text !== undefined && p.offset !== undefined) {
    const { line, column } = lineColumn(text, p.offset);
    return `${file}:${line}:${column}: ${p.field}: ${p.message}`;
  }
  return `${file ? `${file}: ` : ''}${p.field}: ${p.message}`;
}
