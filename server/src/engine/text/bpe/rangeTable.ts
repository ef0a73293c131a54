/**
 * Interns strings and numbers them 0, 1, 2, ... in insertion order, with lookups by a range of a
 * larger string (a word inside a line) that need no substring: the hot path of counting and
 * applying BPE, where a JS Map would need a fresh substring, and its hash, for every word.
 * Open addressing over FNV-1a hashes of UTF-16 code units.
 */
export class RangeTable {
  private slots = new Int32Array(1 << 12).fill(-1);
  private hashes = new Int32Array(1 << 11);
  private _keys: string[] = [];

  /** The keys, in id order. */
  get keys(): readonly string[] {
    return this._keys;
  }

  get size(): number {
    return this._keys.length;
  }

  private static hash(s: string, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h;
  }

  /** Id of `text.slice(start, end)`, or -1. */
  find(text: string, start: number, end: number): number {
    const h = RangeTable.hash(text, start, end);
    const mask = this.slots.length - 1;
    const n = end - start;
    for (let s = (h ^ (h >>> 15)) & mask; ; s = (s + 1) & mask) {
      const id = this.slots[s]!;
      if (id < 0) return -1;
      if (this.hashes[id] !== h) continue;
      const k = this._keys[id]!;
      if (k.length !== n) continue;
      let i = 0;
      while (i < n && k.charCodeAt(i) === text.charCodeAt(start + i)) i++;
      if (i === n) return id;
    }
  }

  /** Adds a key that is not in the table yet; returns its id. */
  insert(key: string): number {
    const id = this._keys.length;
    if (id >= this.hashes.length) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = RangeTable.hash(key, 0, key.length);
    this._keys.push(key);
    if (this._keys.length * 2 > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2).fill(-1);
      for (let k = 0; k < this._keys.length; k++) this.place(k);
    } else {
      this.place(id);
    }
    return id;
  }

  private place(id: number): void {
    const h = this.hashes[id]!;
    const mask = this.slots.length - 1;
    let s = (h ^ (h >>> 15)) & mask;
    while (this.slots[s] !== -1) s = (s + 1) & mask;
    this.slots[s] = id;
  }

  clear(): void {
    this._keys = [];
    this.slots = new Int32Array(1 << 12).fill(-1);
    this.hashes = new Int32Array(1 << 11);
  }
}
