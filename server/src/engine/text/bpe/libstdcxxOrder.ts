import { libstdcxxHashBytes, mod64, type U64 } from './libstdcxxHash.js';

/**
 * Bucket counts a default-constructed libstdc++ `unordered_map` goes through as it grows (GCC 12,
 * 64-bit, `_Prime_rehash_policy` with max load factor 1): the first insert allocates 13 buckets
 * (`_M_next_bkt(12)`), and every later rehash asks for at least twice the buckets, i.e. the next
 * entry of libstdc++'s prime table >= 2 * current, which is this chain. Measured by calling
 * `_Prime_rehash_policy::_M_next_bkt` from a g++ 12.2 program; a map one element past a count
 * rehashes to the next one (14 elements -> 29 buckets, 30 -> 59, ...).
 */
const BUCKET_CHAIN = [
  13, 29, 59, 127, 257, 541, 1109, 2357, 5087, 10273, 20753, 42043, 85229, 172933, 351061, 712697, 1447153, 2938679, 5967347, 12117689, 24607243, 49969847,
  101473717, 206062531, 418451333, 849749479, 1725587117, 3504151727,
];

/**
 * The order in which a libstdc++ `std::unordered_map<std::string, T>` iterates its keys after they
 * were inserted (each once, never erased) in the given order, as an array of indices into `keys`.
 *
 * libstdc++ keeps all nodes in one singly linked list; each bucket points at the node *before* its
 * first node. A node whose bucket is non-empty goes right after that bucket's "before" node (i.e. at
 * the front of its bucket's run); a node for an empty bucket goes to the front of the whole list. A
 * rehash walks the old list front to back and re-inserts each node by the same rule. Iteration walks
 * the list. We replay exactly that, with the hash codes libstdc++ caches for string keys.
 */
export function libstdcxxIterationOrder(keys: readonly string[]): Int32Array {
  const n = keys.length;
  const hashHi = new Uint32Array(n);
  const hashLo = new Uint32Array(n);
  const h: U64 = { hi: 0, lo: 0 };
  let scratch = Buffer.allocUnsafe(256);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    if (k.length * 3 > scratch.length) scratch = Buffer.allocUnsafe(k.length * 3 + 16);
    const len = scratch.write(k, 0, 'utf8');
    libstdcxxHashBytes(scratch, len, h);
    hashHi[i] = h.hi;
    hashLo[i] = h.lo;
  }

  const BEFORE = n; // the list head sentinel (_M_before_begin)
  const EMPTY = -1;
  const next = new Int32Array(n + 1).fill(EMPTY);
  const bucketOf = new Int32Array(n); // bucket of each inserted node under the current bucket count
  let buckets = new Int32Array(1).fill(EMPTY);
  let bucketCount = 1;
  let chainPos = -1;

  const rehash = (newCount: number): void => {
    const nb = new Int32Array(newCount).fill(EMPTY);
    let p = next[BEFORE]!;
    next[BEFORE] = EMPTY;
    let beginBucket = 0;
    while (p !== EMPTY) {
      const after = next[p]!;
      const b = mod64(hashHi[p]!, hashLo[p]!, newCount);
      bucketOf[p] = b;
      if (nb[b] === EMPTY) {
        next[p] = next[BEFORE]!;
        next[BEFORE] = p;
        nb[b] = BEFORE;
        if (next[p] !== EMPTY) nb[beginBucket] = p;
        beginBucket = b;
      } else {
        next[p] = next[nb[b]!]!;
        next[nb[b]!] = p;
      }
      p = after;
    }
    buckets = nb;
    bucketCount = newCount;
  };

  for (let x = 0; x < n; x++) {
    // _M_need_rehash(bucketCount, x, 1): with load factor 1 the map rehashes when it would hold more
    // elements than buckets (the first insert always allocates).
    if (x + 1 > (chainPos < 0 ? 0 : bucketCount)) {
      chainPos++;
      if (chainPos >= BUCKET_CHAIN.length) throw new Error('libstdcxxIterationOrder: too many keys');
      rehash(BUCKET_CHAIN[chainPos]!);
    }
    const b = mod64(hashHi[x]!, hashLo[x]!, bucketCount);
    bucketOf[x] = b;
    const before = buckets[b]!;
    if (before !== EMPTY) {
      next[x] = next[before]!;
      next[before] = x;
    } else {
      next[x] = next[BEFORE]!;
      next[BEFORE] = x;
      if (next[x] !== EMPTY) buckets[bucketOf[next[x]!]!] = x;
      buckets[b] = BEFORE;
    }
  }

  const order = new Int32Array(n);
  let i = 0;
  for (let p = next[BEFORE]!; p !== EMPTY; p = next[p]!) order[i++] = p;
  return order;
}
