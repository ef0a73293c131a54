import type { Merge } from './learnBpe.js';
import { END_OF_WORD } from './symbols.js';

const EMPTY = -1;

/**
 * Integer view of codes for fast segmentation: every token string of the codes gets an id, and a
 * pair of ids maps to its merge rank through an open-addressing table. Tokens are compared as
 * strings (the same string is the same id), as fastBPE's string-keyed maps do.
 */
export class CodeIndex {
  private readonly ids = new Map<string, number>();
  readonly tokens: string[] = [];
  private readonly leftOf: Int32Array;
  private readonly rightOf: Int32Array;
  /** Token id of each merge's result. */
  readonly mergedOf: Int32Array;
  private readonly slots: Int32Array;
  /** Id of each BMP character alone / with `</w>` (-2 = not looked up yet), so words need no substrings. */
  private readonly charIds = new Int32Array(0x10000).fill(-2);
  private readonly finalCharIds = new Int32Array(0x10000).fill(-2);

  constructor(merges: readonly Merge[]) {
    const n = merges.length;
    this.leftOf = new Int32Array(n);
    this.rightOf = new Int32Array(n);
    this.mergedOf = new Int32Array(n);
    let size = 16;
    while (size < n * 2) size *= 2;
    this.slots = new Int32Array(size).fill(EMPTY);
    for (let r = 0; r < n; r++) {
      const m = merges[r]!;
      const l = this.intern(m.left);
      const rt = this.intern(m.right);
      this.leftOf[r] = l;
      this.rightOf[r] = rt;
      this.mergedOf[r] = this.intern(m.left + m.right);
      const s = this.slotOf(l, rt);
      if (this.slots[s] === EMPTY) this.slots[s] = r; // a repeated pair keeps its first rank
    }
  }

  private intern(t: string): number {
    let id = this.ids.get(t);
    if (id === undefined) {
      id = this.tokens.length;
      this.tokens.push(t);
      this.ids.set(t, id);
    }
    return id;
  }

  /** Id of a token string, or -1 if no merge uses or makes it. */
  id(token: string): number {
    return this.ids.get(token) ?? EMPTY;
  }

  /** Id of the symbol for code point `cp` (`final`: with `</w>`), or -1. */
  charId(cp: number, final: boolean): number {
    if (cp > 0xffff) return this.id(String.fromCodePoint(cp) + (final ? END_OF_WORD : ''));
    const table = final ? this.finalCharIds : this.charIds;
    let id = table[cp]!;
    if (id === -2) table[cp] = id = this.id(String.fromCharCode(cp) + (final ? END_OF_WORD : ''));
    return id;
  }

  private slotOf(l: number, r: number): number {
    const mask = this.slots.length - 1;
    let h = (Math.imul(l, 0x9e3779b1) ^ Math.imul(r ^ (r >>> 15), 0x85ebca6b)) >>> 0;
    h = (h ^ (h >>> 16)) & mask;
    for (;;) {
      const k = this.slots[h]!;
      if (k === EMPTY || (this.leftOf[k] === l && this.rightOf[k] === r)) return h;
      h = (h + 1) & mask;
    }
  }

  /** Rank of the merge of token ids (l, r), or -1. */
  rank(l: number, r: number): number {
    return this.slots[this.slotOf(l, r)]!;
  }
}
