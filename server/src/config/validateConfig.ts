import { parseTree, findNodeAtLocation, getNodeValue, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { fields, configJsonSchema, type FieldSchema } from './schema.js';
import type { ConfigProblem } from './problems.js';

interface SubSchema {
  type?: string | string[];
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  patternErrorMessage?: string;
  properties?: Record<string, SubSchema>;
  additionalProperties?: boolean | SubSchema;
  items?: SubSchema;
}

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(expected: string | string[], v: unknown): boolean {
  const t = typeOf(v);
  const list = Array.isArray(expected) ? expected : [expected];
  return list.some((e) => e === t || (e === 'number' && t === 'integer'));
}

/** Closest field name by edit distance, for "did you mean" hints. */
export function closestField(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.replace(/^--/, ''), c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

function validateValue(schema: SubSchema, value: unknown, path: string, node: Node | undefined, out: ConfigProblem[]): void {
  const at = node ? { offset: node.offset, length: node.length } : {};
  if (schema.type && !typeMatches(schema.type, value)) {
    out.push({
      field: path,
      severity: 'error',
      message: `expected ${Array.isArray(schema.type) ? schema.type.join(' or ') : schema.type}, got ${typeOf(value)} ${JSON.stringify(value)}`,
      ...at,
    });
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    out.push({
      field: path,
      severity: 'error',
      message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${JSON.stringify(value)}`,
      ...at,
    });
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum)
      out.push({ field: path, severity: 'error', message: `must be ≥ ${schema.minimum}, got ${value}`, ...at });
    if (schema.maximum !== undefined && value > schema.maximum)
      out.push({ field: path, severity: 'error', message: `must be ≤ ${schema.maximum}, got ${value}`, ...at });
  }
  if (typeof value === 'string' && schema.pattern && !new RegExp(schema.pattern).test(value)) {
    out.push({
      field: path,
      severity: 'error',
      message: `${JSON.stringify(value)}: expected ${schema.patternErrorMessage ?? `a value matching ${schema.pattern}`}`,
      ...at,
    });
  }
  if (typeOf(value) === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      const childPath = path ? `${path}.${k}` : k;
      const child = node ? findNodeAtLocation(node, [k]) : undefined;
      const keyNode = child?.parent?.children?.[0];
      const sub = schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (!sub) {
        if (schema.additionalProperties === false) {
          const hint = closestField(k, Object.keys(schema.properties ?? {}));
          out.push({
            field: childPath,
            severity: 'error',
            message: `unknown setting${hint ? ` (did you mean '${hint}'?)` : ''}`,
            ...(keyNode ? { offset: keyNode.offset, length: keyNode.length } : {}),
          });
        }
        continue;
      }
      validateValue(sub, v, childPath, child, out);
    }
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((v, i) => validateValue(schema.items!, v, `${path}[${i}]`, node?.children?.[i], out));
  }
}

export interface ParsedConfigText {
  value: Record<string, unknown>;
  root: Node | undefined;
  problems: ConfigProblem[];
}

/** Parses JSON (comments and trailing commas tolerated, as VS Code does) and validates it against the schema. */
export function parseAndValidate(text: string): ParsedConfigText {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const problems: ConfigProblem[] = errors.map((e) => ({
    field: '(json)',
    severity: 'error',
    message: `syntax error: ${printParseErrorCode(e.error)}`,
    offset: e.offset,
    length: Math.max(1, e.length),
  }));
  const value = root ? getNodeValue(root) : undefined;
  if (problems.length > 0) return { value: {}, root, problems };
  if (typeOf(value) !== 'object') {
    return {
      value: {},
      root,
      problems: [{ field: '(root)', severity: 'error', message: 'the config must be a JSON object', offset: root?.offset ?? 0, length: root?.length ?? 1 }],
    };
  }
  validateValue(configJsonSchema() as SubSchema, value, '', root, problems);
  return { value: value as Record<string, unknown>, root, problems };
}

/** Offset/length of a top-level field's value, for pointing a semantic problem at it. */
export function locate(root: Node | undefined, path: (string | number)[]): { offset?: number; length?: number } {
  const n = root ? findNodeAtLocation(root, path) : undefined;
  return n ? { offset: n.offset, length: n.length } : {};
}

export function fieldSchema(name: string): FieldSchema | undefined {
  return (fields as Record<string, FieldSchema>)[name];
}
