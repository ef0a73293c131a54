import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WasmGemm } from '../../../server/src/engine/backend/wasmGemm.js';
import { Rng } from '../../../server/src/engine/util/rng.js';

/** A standalone heap: a bump allocator over its own memory. */
function heap() {
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 1024 });
  let top = 64;
  return {
    memory,
    malloc(bytes: number) {
      const p = top;
      top += (bytes + 15) & ~15;
      while (top > memory.buffer.byteLength) memory.grow(16);
      return p;
    },
    free() {},
  };
}

for (const baselineSimd of [false, true]) {
  test(`generated GEMM (${baselineSimd ? 'baseline SIMD' : 'relaxed-SIMD FMA where available'}): every shape class, transposes, bias, packed and in place, against float64`, () => {
    const h = heap();
    const gemm = new WasmGemm(h, baselineSimd);
    const rng = new Rng(7);
    const put = (n: number) => {
      const p = h.malloc(n * 4);
      const v = new Float32Array(h.memory.buffer, p, n);
      for (let i = 0; i < n; i++) v[i] = rng.random() * 2 - 1;
      return p;
    };
    // m below and above the packing threshold, n on and off a multiple of 8, k = 0 and 1 included.
    const dims = [
      [1, 5, 8],
      [3, 1, 9],
      [4, 0, 7],
      [5, 17, 16],
      [16, 8, 8],
      [17, 33, 23],
      [40, 9, 64],
      [2, 64, 3],
    ];
    let cases = 0;
    for (const [m, k, n] of dims) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          for (const withBias of [false, true]) {
            for (const prepack of [false, true]) {
              const a = put(m * k);
              const b = put(k * n);
              const bias = withBias ? put(n) : 0;
              const c = put(m * n);
              const bRef = { offset: b, ld: (tb ? k : n) * 4, transposed: tb };
              let p;
              if (prepack && !tb) {
                const dst = h.malloc(WasmGemm.packedBytes(k, n));
                gemm.packInto(bRef, k, n, dst);
                p = gemm.prepacked(dst, m, k, n);
              } else p = gemm.prepare(bRef, m, k, n);
              gemm.run({ offset: a, ld: (ta ? m : k) * 4, transposed: ta }, p, { offset: c, ld: n * 4 }, bias);
              const f = new Float32Array(h.memory.buffer);
              for (let i = 0; i < m; i++) {
                for (let j = 0; j < n; j++) {
                  let want = bias ? f[bias / 4 + j] : 0;
                  for (let t = 0; t < k; t++) want += f[a / 4 + (ta ? t * m + i : i * k + t)] * f[b / 4 + (tb ? j * k + t : t * n + j)];
                  const got = f[c / 4 + i * n + j];
                  assert.ok(
                    Math.abs(got - want) <= 1e-5 * (1 + Math.abs(want)),
                    `m${m} k${k} n${n} ta=${ta} tb=${tb} bias=${withBias}: C[${i},${j}] = ${got}, want ${want}`,
                  );
                }
              }
              cases++;
            }
          }
        }
      }
    }
    assert.equal(cases, dims.length * 16);
  });
}
