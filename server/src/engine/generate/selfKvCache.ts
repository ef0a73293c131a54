/**
 * The decoder's self-attention keys and values, kept between steps (selfAttendStep in decodeKernels.ts
 * writes each step's rows into it in place and reads them back).
 */
import { tf, type Tensor3D } from '../backend/tf.js';
import { offsets } from './attentionLoops.js';
import { allocate, growCache } from './decodeKernels.js';

/**
 * The self-attention keys/values of every decoder row, for every layer, as backend tensors.
 * Position-major: position p has `slots` slots of [k | v] (width values each), and the step at p
 * writes row r's into slot r. A row's earlier positions are wherever its ancestors wrote them:
 * slotOf[p·slots + r] is the slot of position p that row r reads. Reordering rows (beam search)
 * composes that table with the new order, so no key or value is ever copied (except once when the
 * rows outgrow the slots).
 */
export class SelfKvCache {
  /** Per layer: (capacity, slots, width). */
  data: Tensor3D[] = [];
  /** (capacity, slots): for position p < fed and row r, the slot holding row r's [k | v] at p. */
  slotOf: Int32Array;

  constructor(
    layers: number,
    private readonly capacity: number,
    width: number,
    /** Slots per position (at least the rows of any step). */
    public slots: number,
  ) {
    this.slotOf = new Int32Array(capacity * slots);
    try {
      for (let i = 0; i < layers; i++) this.data.push(tf.keep(allocate([capacity, slots, width]) as Tensor3D));
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** Before the step at `position`: there row r writes (and later reads) slot r. */
  startStep(rows: number, position: number): void {
    if (rows > this.slots) throw new Error(`SelfKvCache: ${rows} rows for ${this.slots} slots`);
    const o = position * this.slots;
    for (let r = 0; r < rows; r++) this.slotOf[o + r] = r;
  }

  /** Row r of the next step continues row indices[r]; `fed` positions are filled. */
  select(indices: Int32Array, fed: number): void {
    if (indices.length > this.slots) this.grow(indices.length, fed);
    const s = this.slots;
    const row = offsets(indices.length);
    for (let p = 0; p < fed; p++) {
      const o = p * s;
      for (let r = 0; r < indices.length; r++) row[r] = this.slotOf[o + indices[r]];
      this.slotOf.set(row.subarray(0, indices.length), o);
    }
  }

  dispose(): void {
    for (const t of this.data) t.dispose();
    this.data = [];
  }

  /** More slots per position, keeping the first `fed` positions. */
  private grow(slots: number, fed: number): void {
    const old = this.data;
    this.data = old.map((c) => tf.keep(growCache(c, slots, fed)));
    for (const c of old) c.dispose();
    const slotOf = new Int32Array(this.capacity * slots);
    for (let p = 0; p < fed; p++) slotOf.set(this.slotOf.subarray(p * this.slots, (p + 1) * this.slots), p * slots);
    this.slotOf = slotOf;
    this.slots = slots;
  }
}
