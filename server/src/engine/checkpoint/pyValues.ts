/**
 * The Python values a torch checkpoint holds, as plain JavaScript: None → null, bool, int → number
 * (bigint beyond 2^53), float → number (or PyFloat where an integral float must stay a float on
 * writing), str → string, bytes → Uint8Array, list → array, tuple → PyTuple, dict / OrderedDict → Map
 * (keys compared by identity for tuples, by value for str/int), and an object of an allowed class →
 * PyObject. Nothing here runs Python code: objects are records of their class name and state.
 */

export class PyTuple {
  constructor(readonly items: unknown[]) {}
}

/** A float that must be written as a float even when integral (e.g. dropout 0.0). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** An instance of an allowed class: its qualified name, constructor arguments and `__setstate__` state. */
export class PyObject {
  state: unknown = undefined;
  constructor(
    readonly className: string,
    readonly args: unknown[] = [],
  ) {}
}

export type PyDict = Map<unknown, unknown>;

export function isDict(v: unknown): v is PyDict {
  return v instanceof Map;
}

/** A dict's entry by string key (for reading well-known keys). */
export function dictGet(d: PyDict, key: string): unknown {
  return d.get(key);
}

/** The attributes of an argparse.Namespace (or a plain dict of params) as a Map. */
export function attributesOf(v: unknown): PyDict | undefined {
  if (v instanceof Map) return v;
  if (v instanceof PyObject && v.state instanceof Map) return v.state;
  return undefined;
}

/** A JSON-friendly copy of a Python scalar, or undefined for containers and objects. */
export function scalarToJson(v: unknown): string | number | boolean | null | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (v instanceof PyFloat) return Number.isFinite(v.value) ? v.value : undefined;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}
