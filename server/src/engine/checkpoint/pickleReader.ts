/**
 * A restricted unpickler (pickle protocols 2–5, the opcodes torch.save and numpy emit). It never
 * executes anything: a GLOBAL is looked up in an allow-list supplied by the caller, and anything else
 * — os.system, builtins.eval, any class — stops the read with an error naming it before any value
 * is built. Allowed globals are JavaScript handlers that build plain values (pyValues.ts).
 */
import { UserError } from '../errors.js';
import { PyObject, PyTuple } from './pyValues.js';

/** What an allowed global does when called (REDUCE / NEWOBJ) and when given state (BUILD). */
export interface GlobalHandler {
  call(args: unknown[]): unknown;
}

export interface UnpickleOptions {
  /** Allowed globals by 'module.name'. */
  globals: ReadonlyMap<string, GlobalHandler>;
  /** Resolves a persistent id (torch: a storage reference); absent: persistent ids are refused. */
  persistentLoad?: (pid: unknown) => unknown;
  /** Names the file in errors. */
  source: string;
}

/** Marks a value pushed by GLOBAL, so REDUCE can tell a callable from data. */
export class Callable {
  constructor(
    readonly qualified: string,
    readonly handler: GlobalHandler,
  ) {}
}

export class PickleError extends UserError {}

export interface Unpickled {
  value: unknown;
  /** Offset just after the STOP opcode (legacy torch files hold several pickles back to back). */
  end: number;
}

export function unpickle(bytes: Uint8Array, opts: UnpickleOptions, start = 0): Unpickled {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let p = start;
  const fail = (msg: string): never => {
    throw new PickleError(`${opts.source}: ${msg}`);
  };
  const need = (n: number) => {
    if (p + n > bytes.length) fail(`truncated pickle (needs ${n} more bytes at offset ${p}, the file has ${bytes.length})`);
  };
  const u8 = () => (need(1), bytes[p++]!);
  const u16 = () => (need(2), (p += 2), view.getUint16(p - 2, true));
  const u32 = () => (need(4), (p += 4), view.getUint32(p - 4, true));
  const i32 = () => (need(4), (p += 4), view.getInt32(p - 4, true));
  const u64 = () => {
    need(8);
    const v = view.getBigUint64(p, true);
    p += 8;
    if (v > BigInt(bytes.length)) fail(`length ${v} at offset ${p - 8} exceeds the file`);
    return Number(v);
  };
  const take = (n: number) => (need(n), (p += n), bytes.subarray(p - n, p));
  const str = (n: number) => {
    try {
      return utf8.decode(take(n));
    } catch {
      return fail(`string at offset ${p - n} is not UTF-8`);
    }
  };
  // A value below the innermost MARK belongs to an outer frame: taking it means a malformed pickle.
  const floor = () => (marks.length ? marks[marks.length - 1]! : 0);
  const pop = () => (stack.length <= floor() ? fail('pickle stack underflow') : stack.pop());
  const top = () => (stack.length === 0 ? fail('pickle stack underflow') : stack[stack.length - 1]);
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) fail('pickle MARK missing');
    if (m! > stack.length) fail('pickle MARK misplaced');
    return stack.splice(m!);
  };
  const globalOf = (module: string, name: string): Callable => {
    const q = `${module}.${name}`;
    const h = opts.globals.get(q);
    if (!h) fail(`refuses to load global '${q}': not one a MASS checkpoint contains (nothing was executed)`);
    return new Callable(q, h!);
  };
  const intFromLE = (b: Uint8Array): number | bigint => {
    if (b.length === 0) return 0;
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const setItems = (d: unknown, items: unknown[]) => {
    if (!(d instanceof Map)) fail('SETITEMS on a value that is not a dict');
    for (let i = 0; i + 1 < items.length; i += 2) (d as Map<unknown, unknown>).set(items[i], items[i + 1]);
  };

  for (;;) {
    const at = p;
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail(`pickle protocol ${bytes[p - 1]} is newer than 5`);
        break;
      case 0x95: // FRAME: the length is advisory
        u64();
        break;
      case 0x2e: // STOP
        if (stack.length !== 1) fail(`pickle ends with ${stack.length} values on its stack`);
        return { value: stack[0], end: p };
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(new PyTuple([]));
        break;
      case 0x8f: // EMPTY_SET
        stack.push(new Set());
        break;
      case 0x74: // TUPLE
        stack.push(new PyTuple(popMark()));
        break;
      case 0x85: // TUPLE1
        stack.push(new PyTuple([pop()]));
        break;
      case 0x86: {
        const b = pop();
        stack.push(new PyTuple([pop(), b]));
        break;
      }
      case 0x87: {
        const c = pop();
        const b = pop();
        stack.push(new PyTuple([pop(), b, c]));
        break;
      }
      case 0x91: // FROZENSET
        stack.push(new Set(popMark()));
        break;
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        const s = top();
        if (!(s instanceof Set)) fail('ADDITEMS on a value that is not a set');
        for (const x of items) (s as Set<unknown>).add(x);
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const k = op === 0x68 ? u8() : u32();
        if (!memo.has(k)) fail(`pickle memo ${k} missing`);
        stack.push(memo.get(k));
        break;
      }
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(intFromLE(take(u8())));
        break;
      case 0x8b: {
        // LONG4
        const n = i32();
        if (n < 0) fail('negative LONG4 length');
        stack.push(intFromLE(take(n)));
        break;
      }
      case 0x47: // BINFLOAT (big-endian)
        need(8);
        stack.push(view.getFloat64(p, false));
        p += 8;
        break;
      case 0x88:
        stack.push(true);
        break;
      case 0x89:
        stack.push(false);
        break;
      case 0x4e:
        stack.push(null);
        break;
      case 0x58: // BINUNICODE
        stack.push(str(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(str(u8()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(str(u64()));
        break;
      case 0x55: // SHORT_BINSTRING (Python 2 str): text, as torch.load(encoding='latin1') reads it
        stack.push(Buffer.from(take(u8())).toString('latin1'));
        break;
      case 0x54: {
        const n = i32();
        if (n < 0) fail('negative BINSTRING length');
        stack.push(Buffer.from(take(n)).toString('latin1'));
        break;
      }
      case 0x43: // SHORT_BINBYTES
        stack.push(new Uint8Array(take(u8())));
        break;
      case 0x42: // BINBYTES
        stack.push(new Uint8Array(take(u32())));
        break;
      case 0x8e: // BINBYTES8
        stack.push(new Uint8Array(take(u64())));
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        const l = top();
        if (!Array.isArray(l)) fail('APPEND on a value that is not a list');
        (l as unknown[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const l = top();
        if (!Array.isArray(l)) fail('APPENDS on a value that is not a list');
        (l as unknown[]).push(...items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: // SETITEMS
        {
          const items = popMark();
          setItems(top(), items);
        }
        break;
      case 0x63: {
        // GLOBAL: "module\nname\n"
        const readLine = () => {
          const nl = bytes.indexOf(0x0a, p);
          if (nl < 0) fail('truncated GLOBAL');
          const s = Buffer.from(bytes.subarray(p, nl)).toString('latin1');
          p = nl + 1;
          return s;
        };
        const module = readLine();
        stack.push(globalOf(module, readLine()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
        stack.push(globalOf(module as string, name as string));
        break;
      }
      case 0x52: // REDUCE
      case 0x81: {
        // NEWOBJ
        const args = pop();
        const f = pop();
        if (!(f instanceof Callable)) fail(`${op === 0x52 ? 'REDUCE' : 'NEWOBJ'} on a value that is not an allowed global (offset ${at})`);
        if (!(args instanceof PyTuple)) fail(`${(f as Callable).qualified} called without an argument tuple`);
        stack.push((f as Callable).handler.call((args as PyTuple).items));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        const obj = top();
        if (obj instanceof PyObject) obj.state = state;
        // An OrderedDict's state is its instance attributes (a state_dict's `_metadata`: module versions), not items.
        else if (!(obj instanceof Map && (state instanceof Map || state === null))) fail(`BUILD on a value that takes no state (offset ${at})`);
        break;
      }
      case 0x51: {
        // BINPERSID
        const pid = pop();
        if (!opts.persistentLoad) fail('persistent id in a pickle that may not reference storages');
        stack.push(opts.persistentLoad!(pid));
        break;
      }
      case 0x30: // POP
        if (marks.length && floor() === stack.length) marks.pop();
        else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      default:
        fail(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at offset ${at} (not one torch.save writes)`);
    }
  }
}
