/**
 * A minimal WebAssembly binary writer: just what the generated GEMM module needs (one imported
 * memory, i32/v128 locals, loads, stores, SIMD arithmetic, loops). Emitting bytes directly keeps the
 * build free of a wasm toolchain; the module is validated by `WebAssembly.Module` when compiled.
 */

export const I32 = 0x7f;
export const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function name(s: string): number[] {
  const bytes = [...Buffer.from(s, 'utf8')];
  return [...uleb(bytes.length), ...bytes];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** Instruction builder for one function body; locals are declared up front by type. */
export class Code {
  readonly bytes: number[] = [];
  private readonly locals: number[] = [];

  constructor(private readonly paramCount: number) {}

  local(type: number): number {
    this.locals.push(type);
    return this.paramCount + this.locals.length - 1;
  }

  get(i: number): this {
    return this.op(0x20, ...uleb(i));
  }
  set(i: number): this {
    return this.op(0x21, ...uleb(i));
  }
  tee(i: number): this {
    return this.op(0x22, ...uleb(i));
  }
  i32(n: number): this {
    return this.op(0x41, ...sleb(n | 0));
  }
  add(): this {
    return this.op(0x6a);
  }
  sub(): this {
    return this.op(0x6b);
  }
  mul(): this {
    return this.op(0x6c);
  }
  ne(): this {
    return this.op(0x47);
  }
  eqz(): this {
    return this.op(0x45);
  }
  ltS(): this {
    return this.op(0x48);
  }
  /** `block` / `loop` / `if` with an empty result type; close with {@link end}. */
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  if(): this {
    return this.op(0x04, 0x40);
  }
  else(): this {
    return this.op(0x05);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    return this.op(0x0c, ...uleb(depth));
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...uleb(depth));
  }
  f32Load(offset = 0): this {
    return this.op(0x2a, 2, ...uleb(offset));
  }
  f32Store(offset = 0): this {
    return this.op(0x38, 2, ...uleb(offset));
  }
  private simd(code: number, ...rest: number[]): this {
    return this.op(0xfd, ...uleb(code), ...rest);
  }
  /** v128.load with byte offset (alignment hint 4 bytes: rows of floats are only that aligned). */
  v128Load(offset = 0): this {
    return this.simd(0x00, 2, ...uleb(offset));
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b, 2, ...uleb(offset));
  }
  load32Splat(offset = 0): this {
    return this.simd(0x09, 2, ...uleb(offset));
  }
  v128Zero(): this {
    return this.simd(0x0c, ...new Array(16).fill(0));
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
  /** Relaxed SIMD: a·b + c, fused where the CPU has FMA. */
  f32x4RelaxedMadd(): this {
    return this.simd(0x105);
  }
  op(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }

  body(): number[] {
    const groups: number[][] = [];
    for (const t of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const content = [...vec(groups.map(([n, t]) => [...uleb(n), t])), ...this.bytes, 0x0b];
    return [...uleb(content.length), ...content];
  }
}

export interface FunctionDef {
  name: string;
  params: number[];
  code: Code;
}

/** A module importing `env.memory` and exporting the given functions (no results). */
export function moduleBytes(functions: FunctionDef[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((p) => [p])), 0]);
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(functions.map((f) => f.code.body()))),
  ];
  return new Uint8Array(bytes);
}
