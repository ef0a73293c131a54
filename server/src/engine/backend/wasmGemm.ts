/**
 * Runs our generated GEMM ({@link gemmModuleBytes}) on tensors in the tfjs wasm heap: picks the tile
 * functions, packs B when that pays, and finishes the ragged edges (rows past a multiple of 4 with a
 * shorter tile, columns past a multiple of 8 through a zero-padded panel and a scratch tile).
 */
import v8 from 'node:v8';
import { gemmModuleBytes, MAX_TILE_ROWS, TILE_COLS } from './gemmModule.js';

type GemmFn = (a: number, lda: number, b: number, ldb: number, c: number, ldc: number, mBlocks: number, nPanels: number, k: number, bias: number) => void;
type PackFn = (b: number, ldb: number, k: number, n: number, dst: number) => void;

/** A matrix in the heap: byte offset, byte stride between rows as stored, and whether it is read transposed. */
export interface MatrixRef {
  offset: number;
  ld: number;
  transposed: boolean;
}

export interface HeapAccess {
  memory: WebAssembly.Memory;
  malloc(bytes: number): number;
  free(ptr: number): void;
}

/** Whether this V8 compiles relaxed SIMD (Node 20 needs the flag; newer versions ship it). */
function compileModule(): { module: WebAssembly.Module; fma: boolean } {
  try {
    return { module: new WebAssembly.Module(gemmModuleBytes(true)), fma: true };
  } catch {
    // fall through: enable the feature and retry once
  }
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    return { module: new WebAssembly.Module(gemmModuleBytes(true)), fma: true };
  } catch {
    return { module: new WebAssembly.Module(gemmModuleBytes(false)), fma: false };
  }
}

let compiled: { module: WebAssembly.Module; fma: boolean } | undefined;
let baseline: WebAssembly.Module | undefined;

/** B is packed once per call when at least this many rows will read it (below, it is read in place). */
const PACK_MIN_ROWS = 16;

export class WasmGemm {
  readonly fma: boolean;
  private readonly tiles = new Map<string, GemmFn>();
  private readonly packN: PackFn;
  private readonly packT: PackFn;
  private scratch = 0;
  private scratchBytes = 0;

  /** `baselineSimd`: use separate multiply and add even where relaxed SIMD is available (tests). */
  constructor(
    private readonly heap: HeapAccess,
    baselineSimd = false,
  ) {
    compiled ??= compileModule();
    let module = compiled.module;
    this.fma = compiled.fma && !baselineSimd;
    if (compiled.fma && baselineSimd) module = baseline ??= new WebAssembly.Module(gemmModuleBytes(false));
    const exports = new WebAssembly.Instance(module, { env: { memory: heap.memory } }).exports as Record<string, unknown>;
    for (const [name, fn] of Object.entries(exports)) if (name.startsWith('gemm_')) this.tiles.set(name.slice(5), fn as GemmFn);
    this.packN = exports.pack_n as PackFn;
    this.packT = exports.pack_t as PackFn;
  }

  private tile(rows: number, aTransposed: boolean, bPacked: boolean): GemmFn {
    return this.tiles.get(`${rows}${aTransposed ? 't' : 'n'}${bPacked ? 'p' : 's'}`)!;
  }

  /** The scratch region, at least `bytes` long (reallocated when too small: its contents are lost). */
  private reserve(bytes: number): number {
    if (bytes > this.scratchBytes) {
      const size = Math.max(bytes, Math.ceil(this.scratchBytes * 1.5));
      if (this.scratch) this.heap.free(this.scratch);
      this.scratch = 0;
      this.scratchBytes = 0;
      this.scratch = this.heap.malloc(size);
      this.scratchBytes = size;
    }
    return this.scratch;
  }

  /**
   * Lays out the scratch for products of m × k by k × n with this B, packing B when that pays.
   * Separate from {@link run} so a batch of products sharing one B packs it once; a later call to
   * prepare reuses (overwrites) the same scratch.
   */
  prepare(b: MatrixRef, m: number, k: number, n: number): PreparedB {
    // Nothing to pack for an empty product (and the generated loops assume k, n ≥ 1).
    if (m === 0 || n === 0 || k === 0) return { b, inPlace: true, panels: 0, lastPanel: 0, edge: 0, m, k, n };
    const fullPanels = Math.floor(n / TILE_COLS);
    const panelBytes = k * 4 * TILE_COLS;
    const ragged = fullPanels * TILE_COLS !== n;
    const inPlace = !b.transposed && m < PACK_MIN_ROWS;
    const packedPanels = inPlace ? (ragged ? 1 : 0) : Math.ceil(n / TILE_COLS);
    const edgeBytes = ragged ? (m + 1) * 4 * TILE_COLS : 0;
    const base = this.reserve(packedPanels * panelBytes + edgeBytes);
    if (!inPlace) (b.transposed ? this.packT : this.packN)(b.offset, b.ld, k, n, base);
    else if (ragged) this.packN(b.offset + fullPanels * 4 * TILE_COLS, b.ld, k, n - fullPanels * TILE_COLS, base);
    return {
      b,
      inPlace,
      lastPanel: inPlace ? base : base + fullPanels * panelBytes,
      panels: base,
      edge: base + packedPanels * panelBytes,
      m,
      k,
      n,
    };
  }

  /** Bytes of B [k × n] packed for {@link packInto} / {@link prepacked}. */
  static packedBytes(k: number, n: number): number {
    return Math.ceil(n / TILE_COLS) * k * 4 * TILE_COLS;
  }

  /** Packs B into `dst` ({@link packedBytes} long), for products with a B that does not change. */
  packInto(b: MatrixRef, k: number, n: number, dst: number): void {
    if (k === 0 || n === 0) return;
    (b.transposed ? this.packT : this.packN)(b.offset, b.ld, k, n, dst);
  }

  /** A B packed earlier by {@link packInto}, prepared for a run with m rows. */
  prepacked(panels: number, m: number, k: number, n: number): PreparedB {
    const fullPanels = Math.floor(n / TILE_COLS);
    const ragged = fullPanels * TILE_COLS !== n;
    const edge = ragged ? this.reserve((m + 1) * 4 * TILE_COLS) : 0;
    const b = { offset: panels, ld: 4 * TILE_COLS, transposed: false };
    return { b, inPlace: false, panels, lastPanel: panels + fullPanels * k * 4 * TILE_COLS, edge, m, k, n };
  }

  /**
   * C[m × n] (row stride c.ld bytes) = A·B + bias (bias: address of n floats, or 0). A's element
   * (i, kk) is at a.offset + i·a.ld + 4·kk, or a.offset + kk·a.ld + 4·i when a.transposed.
   */
  run(a: MatrixRef, p: PreparedB, c: { offset: number; ld: number }, bias: number): void {
    const { m, k, n } = p;
    if (m === 0 || n === 0) return;
    if (k === 0) {
      const heap = new Float32Array(this.heap.memory.buffer);
      for (let i = 0; i < m; i++) {
        const row = (c.offset + i * c.ld) / 4;
        if (bias) heap.copyWithin(row, bias / 4, bias / 4 + n);
        else heap.fill(0, row, row + n);
      }
      return;
    }
    const fullPanels = Math.floor(n / TILE_COLS);
    const rest = n - fullPanels * TILE_COLS;
    const blocks = Math.floor(m / MAX_TILE_ROWS);
    const tailRows = m - blocks * MAX_TILE_ROWS;
    const tailA = a.offset + (a.transposed ? 4 : a.ld) * blocks * MAX_TILE_ROWS;
    const product = (bAt: number, ldb: number, packed: boolean, cAt: number, ldc: number, panels: number, biasAt: number) => {
      if (blocks > 0) this.tile(MAX_TILE_ROWS, a.transposed, packed)(a.offset, a.ld, bAt, ldb, cAt, ldc, blocks, panels, k, biasAt);
      if (tailRows > 0) this.tile(tailRows, a.transposed, packed)(tailA, a.ld, bAt, ldb, cAt + blocks * MAX_TILE_ROWS * ldc, ldc, 1, panels, k, biasAt);
    };
    if (fullPanels > 0) {
      if (p.inPlace) product(p.b.offset, p.b.ld, false, c.offset, c.ld, fullPanels, bias);
      else product(p.panels, 0, true, c.offset, c.ld, fullPanels, bias);
    }
    if (rest > 0) {
      // The zero-padded last panel into a scratch tile, then its valid columns into C.
      const heap = new Float32Array(this.heap.memory.buffer);
      const biasPad = p.edge + m * 4 * TILE_COLS;
      if (bias) {
        heap.fill(0, biasPad / 4, biasPad / 4 + TILE_COLS);
        heap.copyWithin(biasPad / 4, bias / 4 + fullPanels * TILE_COLS, bias / 4 + n);
      }
      product(p.lastPanel, 0, true, p.edge, 4 * TILE_COLS, 1, bias ? biasPad : 0);
      for (let i = 0; i < m; i++) {
        const src = p.edge / 4 + i * TILE_COLS;
        heap.copyWithin((c.offset + i * c.ld) / 4 + fullPanels * TILE_COLS, src, src + rest);
      }
    }
  }
}

/** B as prepared for a run: read in place or from packed panels in the scratch region. */
export interface PreparedB {
  b: MatrixRef;
  inPlace: boolean;
  /** Packed panels (when not in place). */
  panels: number;
  /** The zero-padded last panel when n is not a multiple of 8. */
  lastPanel: number;
  /** Scratch for the ragged-edge tile (m × 8) and a padded bias (8). */
  edge: number;
  m: number;
  k: number;
  n: number;
}
