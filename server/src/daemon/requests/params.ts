/**
 * Validation of request parameters: every handler checks its params against a small shape before
 * touching them, and a mismatch is an LSP InvalidParams error naming the field
 * (`mass/translate: params.beam: expected a positive integer, got "3"`), never a crash.
 */
import { ErrorCodes, ResponseError } from 'vscode-languageserver';

export type Check =
  | 'string'
  | 'nonEmptyString'
  | 'number'
  | 'positiveInteger'
  | 'nonNegativeInteger'
  | 'boolean'
  | 'stringArray'
  | 'scalarRecord'
  | 'progressToken'
  | { oneOf: readonly string[] }
  | { object: Shape; allowExtra?: boolean };

/** Field → check; a `?` suffix on the field name makes it optional. */
export type Shape = Record<string, Check>;

/** The TypeScript type a check admits. */
export type Checked<C extends Check> = C extends 'string' | 'nonEmptyString'
  ? string
  : C extends 'number' | 'positiveInteger' | 'nonNegativeInteger'
    ? number
    : C extends 'boolean'
      ? boolean
      : C extends 'stringArray'
        ? string[]
        : C extends 'scalarRecord'
          ? Record<string, string | number | boolean>
          : C extends 'progressToken'
            ? string | number
            : C extends { oneOf: readonly (infer T)[] }
              ? T
              : C extends { object: infer S extends Shape }
                ? Params<S>
                : never;

type Required<S extends Shape> = { [K in keyof S as K extends `${string}?` ? never : K]: Checked<S[K]> };
type Optional<S extends Shape> = { [K in keyof S as K extends `${infer N}?` ? N : never]?: Checked<S[K]> };
type Flat<T> = { [K in keyof T]: T[K] };

/** The params a shape admits: `validateParams` returns this type, so the check and the type cannot disagree. */
export type Params<S extends Shape> = Flat<Required<S> & Optional<S>>;

/** True when A and B have the same keys and each is assignable to the other. */
export type SameType<A, B> = [keyof A] extends [keyof B]
  ? [keyof B] extends [keyof A]
    ? [A] extends [B]
      ? [B] extends [A]
        ? true
        : false
      : false
    : false
  : false;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function checkValue(check: Check, v: unknown, path: string): string | undefined {
  if (typeof check === 'object') {
    if ('oneOf' in check)
      return typeof v === 'string' && check.oneOf.includes(v)
        ? undefined
        : `${path}: expected one of ${check.oneOf.map((x) => JSON.stringify(x)).join(', ')}, got ${describe(v)}`;
    return checkShape(check.object, v, path, check.allowExtra ?? false);
  }
  switch (check) {
    case 'string':
      return typeof v === 'string' ? undefined : `${path}: expected a string, got ${describe(v)}`;
    case 'nonEmptyString':
      return typeof v === 'string' && v.length > 0 ? undefined : `${path}: expected a non-empty string, got ${describe(v)}`;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : `${path}: expected a number, got ${describe(v)}`;
    case 'positiveInteger':
      return Number.isInteger(v) && (v as number) > 0 ? undefined : `${path}: expected a positive integer, got ${describe(v)}`;
    case 'nonNegativeInteger':
      return Number.isInteger(v) && (v as number) >= 0 ? undefined : `${path}: expected a non-negative integer, got ${describe(v)}`;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `${path}: expected true or false, got ${describe(v)}`;
    case 'stringArray': {
      if (!Array.isArray(v)) return `${path}: expected an array of strings, got ${describe(v)}`;
      const bad = v.findIndex((x) => typeof x !== 'string');
      return bad < 0 ? undefined : `${path}[${bad}]: expected a string, got ${describe(v[bad])}`;
    }
    case 'progressToken':
      return typeof v === 'string' || Number.isInteger(v) ? undefined : `${path}: expected a progress token (string or integer), got ${describe(v)}`;
    case 'scalarRecord': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${path}: expected an object, got ${describe(v)}`;
      for (const [k, x] of Object.entries(v)) {
        if (!['string', 'number', 'boolean'].includes(typeof x)) return `${path}.${k}: expected a string, number or boolean, got ${describe(x)}`;
      }
      return undefined;
    }
  }
}

function checkShape(shape: Shape, v: unknown, path: string, allowExtra: boolean): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${path}: expected an object, got ${v === undefined ? 'nothing' : describe(v)}`;
  const obj = v as Record<string, unknown>;
  const known = new Set<string>();
  for (const [key, check] of Object.entries(shape)) {
    const optional = key.endsWith('?');
    const name = optional ? key.slice(0, -1) : key;
    known.add(name);
    const value = obj[name];
    if (value === undefined) {
      if (!optional) return `${path}.${name}: missing`;
      continue;
    }
    const problem = checkValue(check, value, `${path}.${name}`);
    if (problem) return problem;
  }
  if (!allowExtra) {
    const extra = Object.keys(obj).find((k) => !known.has(k));
    if (extra !== undefined) return `${path}.${extra}: unknown parameter (expected ${[...known].join(', ') || 'none'})`;
  }
  return undefined;
}

/** Returns params typed by the shape, or throws InvalidParams naming the first bad field. */
export function validateParams<const S extends Shape>(method: string, params: unknown, shape: S, opts: { allowExtra?: boolean } = {}): Params<S> {
  // A request without params is the same as empty params for shapes with only optional fields.
  const value = params === undefined || params === null ? {} : params;
  // LSP lets any request carry work-done / partial-result tokens
  const full: Shape = { ...shape, 'workDoneToken?': 'progressToken', 'partialResultToken?': 'progressToken' };
  const problem = checkShape(full, value, 'params', opts.allowExtra ?? false);
  if (problem) throw new ResponseError(ErrorCodes.InvalidParams, `${method}: ${problem}`);
  return value as Params<S>;
}

/** The common shape of textDocument/position requests (extra LSP fields such as workDoneToken are fine). */
export const textDocumentPosition = {
  textDocument: { object: { uri: 'nonEmptyString' }, allowExtra: true },
  position: { object: { line: 'nonNegativeInteger', character: 'nonNegativeInteger' }, allowExtra: true },
} as const satisfies Shape;
