/**
 * Generates our WebAssembly GEMM: C = A·B (+ bias) in float32 with 128-bit SIMD, compiled against the
 * tfjs wasm backend's own memory so it reads and writes tensors in place.
 *
 * Why our own: XNNPACK's wasm kernels (what tfjs-backend-wasm calls) may only use baseline SIMD, so
 * every multiply-add is two instructions; on x86 with FMA, relaxed SIMD's `f32x4.relaxed_madd` is
 * one, which is where the ≈1.4× comes from. XNNPACK also re-packs the right operand on every call.
 *
 * Layout: a tile is R rows × 8 columns (two f32x4 per row, R·2 accumulators in registers). A may be
 * read as stored (row r at a + r·lda) or transposed (element (r, k) at a + k·lda + 4r: the rows of a
 * tile are adjacent floats), so `Xᵀ·dY` needs no transpose. B is read either strided (row k of the
 * panel at b + k·ldb) or from a packed copy (panel after panel, 8 floats per k), which avoids
 * cache-set conflicts for power-of-two row strides and makes transposed B cheap.
 *
 * Exports, all byte addresses and byte strides:
 *  - gemm_{R}{a}{b}(a, lda, b, ldb, c, ldc, mBlocks, nPanels, k, bias): R ∈ 1..4, a ∈ n|t, b ∈ s|p.
 *    Computes mBlocks·R rows × nPanels·8 columns; bias (8·nPanels floats) or 0.
 *  - pack_n(b, ldb, k, n, dst) / pack_t(b, ldb, k, n, dst): packs B ([k × n], or stored [n × k] for
 *    pack_t) into ⌈n/8⌉ panels of k × 8, zero-padded.
 * Every loop tests its count at the end: counts (k, n, mBlocks, nPanels) must be ≥ 1 (wasmGemm.ts
 * handles empty products without calling in).
 */
import { Code, I32, V128, moduleBytes, type FunctionDef } from './wasmBinary.js';

export const TILE_COLS = 8;
export const MAX_TILE_ROWS = 4;

function gemmFunction(R: number, aTransposed: boolean, bPacked: boolean, fma: boolean): FunctionDef {
  const params = [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32];
  const [A, LDA, B, LDB, C, LDC, MB, NP, K, BIAS] = params.map((_, i) => i);
  const c = new Code(params.length);
  const rowPtr = Array.from({ length: aTransposed ? 1 : R }, () => c.local(I32));
  const bPtr = c.local(I32);
  const cPtr = c.local(I32);
  const kLeft = c.local(I32);
  const blocksLeft = c.local(I32);
  const panelsLeft = c.local(I32);
  const aBlock = c.local(I32);
  const cBlock = c.local(I32);
  const bPanel = c.local(I32);
  const cPanel = c.local(I32);
  const acc = Array.from({ length: 2 * R }, () => c.local(V128));
  const b0 = c.local(V128);
  const b1 = c.local(V128);
  const av = c.local(V128);
  const bStep = () => (bPacked ? c.i32(4 * TILE_COLS) : c.get(LDB));

  c.get(B).set(bPanel).get(C).set(cPanel).get(NP).set(panelsLeft);
  c.block().loop();
  c.get(A).set(aBlock).get(cPanel).set(cBlock).get(MB).set(blocksLeft);
  c.block().loop();
  {
    if (aTransposed) c.get(aBlock).set(rowPtr[0]);
    else for (let r = 0; r < R; r++) (r === 0 ? c.get(aBlock) : c.get(aBlock).get(LDA).i32(r).mul().add()).set(rowPtr[r]);
    c.get(bPanel).set(bPtr);
    c.get(BIAS).if();
    c.get(BIAS).v128Load(0).set(b0).get(BIAS).v128Load(16).set(b1);
    for (let r = 0; r < R; r++)
      c.get(b0)
        .set(acc[2 * r])
        .get(b1)
        .set(acc[2 * r + 1]);
    c.else();
    for (const x of acc) c.v128Zero().set(x);
    c.end();
    c.get(K).set(kLeft);
    c.loop();
    c.get(bPtr).v128Load(0).set(b0).get(bPtr).v128Load(16).set(b1);
    for (let r = 0; r < R; r++) {
      if (aTransposed) c.get(rowPtr[0]).load32Splat(4 * r);
      else c.get(rowPtr[r]).load32Splat(0);
      c.set(av);
      for (const [v, bv] of [b0, b1].entries()) {
        const x = acc[2 * r + v];
        if (fma) c.get(av).get(bv).get(x).f32x4RelaxedMadd().set(x);
        else c.get(x).get(av).get(bv).f32x4Mul().f32x4Add().set(x);
      }
    }
    if (aTransposed) c.get(rowPtr[0]).get(LDA).add().set(rowPtr[0]);
    else for (const p of rowPtr) c.get(p).i32(4).add().set(p);
    c.get(bPtr);
    bStep();
    c.add().set(bPtr);
    c.get(kLeft).i32(1).sub().tee(kLeft).brIf(0);
    c.end();
    for (let r = 0; r < R; r++) {
      (r === 0 ? c.get(cBlock) : c.get(cBlock).get(LDC).i32(r).mul().add()).set(cPtr);
      c.get(cPtr)
        .get(acc[2 * r])
        .v128Store(0)
        .get(cPtr)
        .get(acc[2 * r + 1])
        .v128Store(16);
    }
    if (aTransposed)
      c.get(aBlock)
        .i32(4 * R)
        .add()
        .set(aBlock);
    else c.get(aBlock).get(LDA).i32(R).mul().add().set(aBlock);
    c.get(cBlock).get(LDC).i32(R).mul().add().set(cBlock);
    c.get(blocksLeft).i32(1).sub().tee(blocksLeft).brIf(0);
  }
  c.end().end();
  if (bPacked)
    c.get(bPanel)
      .get(K)
      .i32(4 * TILE_COLS)
      .mul()
      .add()
      .set(bPanel);
  else
    c.get(bPanel)
      .i32(4 * TILE_COLS)
      .add()
      .set(bPanel);
  c.get(cPanel)
    .i32(4 * TILE_COLS)
    .add()
    .set(cPanel);
  c.get(BIAS)
    .if()
    .get(BIAS)
    .i32(4 * TILE_COLS)
    .add()
    .set(BIAS)
    .end();
  c.get(panelsLeft).i32(1).sub().tee(panelsLeft).brIf(0);
  c.end().end();
  return { name: `gemm_${R}${aTransposed ? 't' : 'n'}${bPacked ? 'p' : 's'}`, params, code: c };
}

/**
 * pack(b, ldb, k, n, dst): dst[p][kk][j] = B(kk, 8p + j), 0 past column n. B(kk, col) is at
 * b + kk·ldb + 4·col (pack_n) or b + col·ldb + 4·kk (pack_t). Scalar copies: packing is O(k·n)
 * against the product's O(m·k·n).
 */
function packFunction(transposed: boolean): FunctionDef {
  const params = [I32, I32, I32, I32, I32];
  const [B, LDB, K, N, DST] = params.map((_, i) => i);
  const c = new Code(params.length);
  const col = c.local(I32);
  const kk = c.local(I32);
  const j = c.local(I32);
  const src = c.local(I32);
  const out = c.local(I32);
  c.get(DST).set(out).i32(0).set(col);
  c.block().loop(); // panels: col = 8p
  c.i32(0).set(kk);
  if (!transposed) {
    // A full panel of a row-major B: two vector copies per row.
    c.get(col).i32(TILE_COLS).add().get(N).op(0x4c /* i32.le_s */).if();
    c.get(B).get(col).i32(4).mul().add().set(src);
    c.loop();
    c.get(out).get(src).v128Load(0).v128Store(0);
    c.get(out).get(src).v128Load(16).v128Store(16);
    c.get(out)
      .i32(4 * TILE_COLS)
      .add()
      .set(out);
    c.get(src).get(LDB).add().set(src);
    c.get(kk).i32(1).add().tee(kk).get(K).ltS().brIf(0);
    c.end();
    c.get(col).i32(TILE_COLS).add().tee(col).get(N).ltS().brIf(1);
    c.br(2);
    c.end();
  }
  c.block().loop(); // rows of the panel
  c.i32(0).set(j);
  c.block().loop(); // 8 columns
  c.get(col).get(j).add().get(N).ltS().if();
  {
    // address of B(kk, col + j)
    if (transposed) c.get(B).get(col).get(j).add().get(LDB).mul().add().get(kk).i32(4).mul().add();
    else c.get(B).get(kk).get(LDB).mul().add().get(col).get(j).add().i32(4).mul().add();
    c.set(src);
    c.get(out).get(src).f32Load(0).f32Store(0);
  }
  c.else();
  c.get(out).i32(0).op(0xb2).f32Store(0); // f32.convert_i32_s(0) = 0.0
  c.end();
  c.get(out).i32(4).add().set(out);
  c.get(j).i32(1).add().tee(j).i32(TILE_COLS).ltS().brIf(0);
  c.end().end();
  c.get(kk).i32(1).add().tee(kk).get(K).ltS().brIf(0);
  c.end().end();
  c.get(col).i32(TILE_COLS).add().tee(col).get(N).ltS().brIf(0);
  c.end().end();
  return { name: transposed ? 'pack_t' : 'pack_n', params, code: c };
}

export function gemmModuleBytes(fma: boolean): Uint8Array<ArrayBuffer> {
  const fns: FunctionDef[] = [];
  for (let r = 1; r <= MAX_TILE_ROWS; r++) {
    for (const at of [false, true]) for (const bp of [false, true]) fns.push(gemmFunction(r, at, bp, fma));
  }
  fns.push(packFunction(false), packFunction(true));
  return moduleBytes(fns);
}
