/**
 * Statistics of adjacent symbol pairs for BPE learning, all in typed arrays: a pair is an index p
 * with (left[p], right[p]) symbol ids, a count, a list of words that may contain it, and a place in a
 * max-heap ordered by (count desc, left id asc, right id asc) — fastBPE's choice of the next merge.
 */

const EMPTY = -1;

function grownInt32(a: Int32Array<ArrayBuffer>, min: number, fill = 0): Int32Array<ArrayBuffer> {
  if (a.length >= min) return a;
  const b = new Int32Array(Math.max(min, a.length * 2));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

function grownFloat64(a: Float64Array<ArrayBuffer>, min: number): Float64Array<ArrayBuffer> {
  if (a.length >= min) return a;
  const b = new Float64Array(Math.max(min, a.length * 2));
  b.set(a);
  return b;
}

export class PairStore {
  size = 0;
  left = new Int32Array(1024);
  right = new Int32Array(1024);
  count = new Float64Array(1024);
  /** Position in `heap`, or -1 when the pair is not there (count 0). */
  private heapPos = new Int32Array(1024).fill(EMPTY);
  /** Head of the pair's linked list of word ids (occWord/occNext), newest first. */
  private occHead = new Int32Array(1024).fill(EMPTY);
  /** Last word added to the pair's list, so one word is not listed twice in a row. */
  private lastWord = new Int32Array(1024).fill(EMPTY);
  private occWord = new Int32Array(4096);
  private occNext = new Int32Array(4096);
  private occSize = 0;
  private heap = new Int32Array(1024);
  private heapSize = 0;
  /** Open-addressing table (power-of-two size) of pair indices, keyed by (left, right). */
  private slots = new Int32Array(4096).fill(EMPTY);

  private slotOf(l: number, r: number): number {
    const mask = this.slots.length - 1;
    let h = (Math.imul(l, 0x9e3779b1) ^ Math.imul(r ^ (r >>> 15), 0x85ebca6b)) >>> 0;
    h = (h ^ (h >>> 16)) & mask;
    for (;;) {
      const p = this.slots[h]!;
      if (p === EMPTY || (this.left[p] === l && this.right[p] === r)) return h;
      h = (h + 1) & mask;
    }
  }

  /** Index of pair (l, r), or -1. */
  find(l: number, r: number): number {
    return this.slots[this.slotOf(l, r)]!;
  }

  private create(l: number, r: number, slot: number): number {
    const p = this.size++;
    if (p >= this.left.length) {
      const n = p + 1;
      this.left = grownInt32(this.left, n);
      this.right = grownInt32(this.right, n);
      this.count = grownFloat64(this.count, n);
      this.heapPos = grownInt32(this.heapPos, n, EMPTY);
      this.occHead = grownInt32(this.occHead, n, EMPTY);
      this.lastWord = grownInt32(this.lastWord, n, EMPTY);
    }
    this.left[p] = l;
    this.right[p] = r;
    this.count[p] = 0;
    this.slots[slot] = p;
    if (this.size * 2 > this.slots.length) this.rehash();
    return p;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    for (let p = 0; p < this.size; p++) this.slots[this.slotOf(this.left[p]!, this.right[p]!)] = p;
  }

  /**
   * Adds `delta` (may be negative) to the count of pair (l, r); a positive delta also records that
   * `word` contains the pair. Returns the pair index (-1 if a missing pair was decremented).
   */
  add(l: number, r: number, delta: number, word: number): number {
    const slot = this.slotOf(l, r);
    let p = this.slots[slot]!;
    if (p === EMPTY) {
      if (delta <= 0) return EMPTY;
      p = this.create(l, r, slot);
    }
    if (delta > 0 && this.lastWord[p] !== word) {
      this.lastWord[p] = word;
      const o = this.occSize++;
      if (o >= this.occWord.length) {
        this.occWord = grownInt32(this.occWord, o + 1);
        this.occNext = grownInt32(this.occNext, o + 1);
      }
      this.occWord[o] = word;
      this.occNext[o] = this.occHead[p]!;
      this.occHead[p] = o;
    }
    this.setCount(p, this.count[p]! + delta);
    return p;
  }

  /** Words listed for pair p (some may no longer contain it), in a fresh array. */
  wordsOf(p: number): Int32Array {
    let n = 0;
    for (let o = this.occHead[p]!; o !== EMPTY; o = this.occNext[o]!) n++;
    const out = new Int32Array(n);
    n = 0;
    for (let o = this.occHead[p]!; o !== EMPTY; o = this.occNext[o]!) out[n++] = this.occWord[o]!;
    return out;
  }

  /** The pair fastBPE merges next: highest count, then smallest (left, right); -1 if none is left. */
  best(): number {
    return this.heapSize > 0 ? this.heap[0]! : EMPTY;
  }

  /** Count of the second pair in heap order (0 if none): equal to best's count when there is a tie. */
  runnerUpCount(): number {
    const n = this.heapSize;
    if (n < 2) return 0;
    const a = this.count[this.heap[1]!]!;
    return n > 2 ? Math.max(a, this.count[this.heap[2]!]!) : a;
  }

  /** While false (initial counting), counts change without heap upkeep; see buildHeap. */
  private heapOn = false;

  /** Puts every pair with a positive count into the heap at once (O(pairs)) and keeps it from then on. */
  buildHeap(): void {
    let n = 0;
    if (this.heap.length < this.size) this.heap = new Int32Array(this.size);
    for (let p = 0; p < this.size; p++) {
      if (this.count[p]! > 0) {
        this.heap[n] = p;
        this.heapPos[p] = n++;
      }
    }
    this.heapSize = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i);
    this.heapOn = true;
  }

  /** Sets the count of p, keeping the heap in order (pairs at count <= 0 leave the heap). */
  setCount(p: number, c: number): void {
    const old = this.count[p]!;
    this.count[p] = c;
    if (!this.heapOn) return;
    const pos = this.heapPos[p]!;
    if (c <= 0) {
      if (pos !== EMPTY) this.heapRemove(pos);
    } else if (pos === EMPTY) {
      const i = this.heapSize++;
      if (i >= this.heap.length) this.heap = grownInt32(this.heap, i + 1);
      this.heap[i] = p;
      this.heapPos[p] = i;
      this.siftUp(i);
    } else if (c > old) {
      this.siftUp(pos);
    } else if (c < old) {
      this.siftDown(pos);
    }
  }

  /** Strict order of the heap: does pair a come before pair b? */
  private before(a: number, b: number): boolean {
    const ca = this.count[a]!;
    const cb = this.count[b]!;
    if (ca !== cb) return ca > cb;
    const la = this.left[a]!;
    const lb = this.left[b]!;
    if (la !== lb) return la < lb;
    return this.right[a]! < this.right[b]!;
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const p = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const q = heap[parent]!;
      if (!this.before(p, q)) break;
      heap[i] = q;
      this.heapPos[q] = i;
      i = parent;
    }
    heap[i] = p;
    this.heapPos[p] = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = this.heapSize;
    const p = heap[i]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.before(heap[c + 1]!, heap[c]!)) c++;
      const q = heap[c]!;
      if (!this.before(q, p)) break;
      heap[i] = q;
      this.heapPos[q] = i;
      i = c;
    }
    heap[i] = p;
    this.heapPos[p] = i;
  }

  private heapRemove(pos: number): void {
    const p = this.heap[pos]!;
    this.heapPos[p] = EMPTY;
    const last = --this.heapSize;
    if (pos === last) return;
    const q = this.heap[last]!;
    this.heap[pos] = q;
    this.heapPos[q] = pos;
    this.siftUp(pos);
    if (this.heap[pos] === q) this.siftDown(pos);
  }
}
