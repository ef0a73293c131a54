/**
 * Writes pickles (protocol 2, or 4 where bytes objects are needed) from plain values (pyValues.ts)
 * plus the two ways an object is rebuilt on the Python side: a call of a global (GLOBAL args REDUCE,
 * then BUILD with state) and a persistent id (torch storages). No memo: values are written as trees,
 * which Python reads the same (torch deduplicates storages by key itself).
 */
import { PyFloat, PyTuple } from './pyValues.js';

/** `module.name(*args)`, then `__setstate__(state)` when state is given. */
export class PyCall {
  constructor(
    readonly module: string,
    readonly name: string,
    readonly args: unknown[],
    readonly state?: unknown,
  ) {}
}

/** `module.name.__new__(module.name)` then BUILD(state): how pickle stores a plain class instance. */
export class PyNewObject {
  constructor(
    readonly module: string,
    readonly name: string,
    readonly state: unknown,
  ) {}
}

/** A class reference (torch.FloatStorage inside a storage's persistent id): a bare GLOBAL. */
export class PyGlobalRef {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
}

/** A persistent id (BINPERSID): torch's storage references. */
export class PyPersistent {
  constructor(readonly pid: unknown) {}
}

class ByteSink {
  private buf = Buffer.alloc(1 << 16);
  length = 0;
  private ensure(n: number) {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  byte(b: number) {
    this.ensure(1);
    this.buf[this.length++] = b;
  }
  bytes(b: Uint8Array) {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  u32(v: number) {
    this.ensure(4);
    this.buf.writeUInt32LE(v, this.length);
    this.length += 4;
  }
  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

export function pickle(value: unknown, protocol: 2 | 4 = 2): Uint8Array {
  const out = new ByteSink();
  out.byte(0x80);
  out.byte(protocol);
  const global = (module: string, name: string) => {
    out.byte(0x63);
    out.bytes(Buffer.from(`${module}\n${name}\n`, 'utf8'));
  };
  const int = (v: number | bigint) => {
    if (typeof v === 'number' && v >= 0 && v < 256) {
      out.byte(0x4b);
      out.byte(v);
    } else if (typeof v === 'number' && v >= -0x80000000 && v <= 0x7fffffff) {
      out.byte(0x4a);
      const b = Buffer.alloc(4);
      b.writeInt32LE(v);
      out.bytes(b);
    } else {
      // LONG1: little-endian two's complement, as few bytes as hold the sign.
      let x = BigInt(v);
      const bytes: number[] = [];
      for (;;) {
        bytes.push(Number(x & 0xffn));
        x >>= 8n;
        const signBit = bytes[bytes.length - 1]! & 0x80;
        if ((x === 0n && !signBit) || (x === -1n && signBit)) break;
      }
      out.byte(0x8a);
      out.byte(bytes.length);
      out.bytes(Uint8Array.from(bytes));
    }
  };
  const float = (v: number) => {
    out.byte(0x47);
    const b = Buffer.alloc(8);
    b.writeDoubleBE(v);
    out.bytes(b);
  };
  const write = (v: unknown): void => {
    if (v === null || v === undefined) out.byte(0x4e);
    else if (v === true) out.byte(0x88);
    else if (v === false) out.byte(0x89);
    else if (typeof v === 'bigint') int(v);
    else if (typeof v === 'number') Number.isInteger(v) && Number.isSafeInteger(v) ? int(v) : float(v);
    else if (v instanceof PyFloat) float(v.value);
    else if (typeof v === 'string') {
      const b = Buffer.from(v, 'utf8');
      out.byte(0x58);
      out.u32(b.length);
      out.bytes(b);
    } else if (v instanceof Uint8Array) {
      if (protocol < 3) throw new Error('pickle: bytes need protocol 3 or later');
      out.byte(0x42);
      out.u32(v.length);
      out.bytes(v);
    } else if (Array.isArray(v)) {
      out.byte(0x5d);
      if (v.length) {
        out.byte(0x28);
        for (const x of v) write(x);
        out.byte(0x65);
      }
    } else if (v instanceof PyTuple) {
      if (v.items.length === 0) out.byte(0x29);
      else {
        out.byte(0x28);
        for (const x of v.items) write(x);
        out.byte(0x74);
      }
    } else if (v instanceof Map) {
      out.byte(0x7d);
      if (v.size) {
        out.byte(0x28);
        for (const [k, x] of v) {
          write(k);
          write(x);
        }
        out.byte(0x75);
      }
    } else if (v instanceof PyCall) {
      global(v.module, v.name);
      write(new PyTuple(v.args));
      out.byte(0x52);
      if (v.state !== undefined) {
        write(v.state);
        out.byte(0x62);
      }
    } else if (v instanceof PyNewObject) {
      global(v.module, v.name);
      out.byte(0x29);
      out.byte(0x81);
      write(v.state);
      out.byte(0x62);
    } else if (v instanceof PyGlobalRef) {
      global(v.module, v.name);
    } else if (v instanceof PyPersistent) {
      write(v.pid);
      out.byte(0x51);
    } else {
      throw new Error(`pickle: cannot write a value of type ${Object.prototype.toString.call(v)}`);
    }
  };
  write(value);
  out.byte(0x2e);
  return out.result();
}
