/**
 * `std::hash<std::string>` of 64-bit libstdc++ (GCC): `_Hash_bytes(data, len, 0xc70f6907)`, a
 * MurmurHash2-style 64-bit hash. We need it only to reproduce the iteration order of fastBPE's
 * `unordered_map<string, uint32_t>` (see libstdcxxOrder.ts), which decides how fastBPE breaks ties
 * between equally frequent pairs. Written from the algorithm's description and checked against values
 * printed by a g++ 12 program (see test/unit/bpe/libstdcxxOrder.test.ts).
 *
 * 64-bit arithmetic is done on (hi, lo) uint32 halves: BigInt would be ~20x slower on a million words.
 */

const MUL_HI = 0xc6a4a793;
const MUL_LO = 0x5bd1e995;
const SEED_LO = 0xc70f6907;

/** Result holder, reused to avoid allocating per call. */
export interface U64 {
  hi: number;
  lo: number;
}

/** Low 64 bits of (aHi:aLo) * (bHi:bLo), written into out. */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number, out: U64): void {
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const b0 = bLo & 0xffff;
  const b1 = bLo >>> 16;
  const mid = a0 * b1 + a1 * b0; // < 2^33, exact in a double
  const t = a0 * b0 + (mid % 65536) * 65536; // < 2^33
  const carry = Math.floor(t / 4294967296);
  out.lo = t >>> 0;
  out.hi = (a1 * b1 + Math.floor(mid / 65536) + carry + Math.imul(aHi, bLo) + Math.imul(aLo, bHi)) >>> 0;
}

const tmp: U64 = { hi: 0, lo: 0 };

function readU32LE(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}

/** `std::hash<std::string>` (64-bit libstdc++) of bytes[0, len); result in out. */
export function libstdcxxHashBytes(bytes: Uint8Array, len: number, out: U64): void {
  // hash = seed ^ (len * mul)
  mul64(0, len >>> 0, MUL_HI, MUL_LO, tmp);
  let hHi = tmp.hi;
  let hLo = (tmp.lo ^ SEED_LO) >>> 0;
  const aligned = len & ~7;
  for (let p = 0; p < aligned; p += 8) {
    // data = shift_mix(load64(p) * mul) * mul; hash ^= data; hash *= mul
    mul64(readU32LE(bytes, p + 4), readU32LE(bytes, p), MUL_HI, MUL_LO, tmp);
    mul64(tmp.hi, (tmp.lo ^ (tmp.hi >>> 15)) >>> 0, MUL_HI, MUL_LO, tmp);
    mul64((hHi ^ tmp.hi) >>> 0, (hLo ^ tmp.lo) >>> 0, MUL_HI, MUL_LO, tmp);
    hHi = tmp.hi;
    hLo = tmp.lo;
  }
  const rest = len & 7;
  if (rest !== 0) {
    // The 1..7 tail bytes, little-endian (byte i at bits 8i).
    let dLo = 0;
    let dHi = 0;
    for (let i = rest - 1; i >= 0; i--) {
      const byte = bytes[aligned + i]!;
      if (i >= 4) dHi = ((dHi << 8) | byte) >>> 0;
      else dLo = ((dLo << 8) | byte) >>> 0;
    }
    mul64((hHi ^ dHi) >>> 0, (hLo ^ dLo) >>> 0, MUL_HI, MUL_LO, tmp);
    hHi = tmp.hi;
    hLo = tmp.lo;
  }
  // hash = shift_mix(shift_mix(hash) * mul)
  mul64(hHi, (hLo ^ (hHi >>> 15)) >>> 0, MUL_HI, MUL_LO, tmp);
  out.hi = tmp.hi;
  out.lo = (tmp.lo ^ (tmp.hi >>> 15)) >>> 0;
}

/** The hash as a decimal string (as C++ prints a size_t); for tests and debugging. */
export function libstdcxxHashString(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  const out: U64 = { hi: 0, lo: 0 };
  libstdcxxHashBytes(bytes, bytes.length, out);
  return ((BigInt(out.hi) << 32n) | BigInt(out.lo)).toString();
}

/** (hi * 2^32 + lo) mod m, exact for m < 2^37. */
export function mod64(hi: number, lo: number, m: number): number {
  let r = hi % m;
  r = (r * 65536) % m;
  r = (r * 65536) % m;
  return (r + lo) % m;
}
