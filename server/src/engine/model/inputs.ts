/** Token inputs of one side of the model, batch-major flat arrays (row b, position t at b·len + t). */
export interface TokenInput {
  bs: number;
  len: number;
  tokens: Int32Array;
  lengths: Int32Array;
  langs: Int32Array;
  /** Position ids; absent means 0..len-1 in every row (the encoder's `positions=None`). */
  positions?: Int32Array;
}

/** Largest language id in the input: XLM's `langs.max()`, which picks the cross-attention out_lin (v1). */
export function maxLang(langs: Int32Array): number {
  let m = 0;
  for (const l of langs) if (l > m) m = l;
  return m;
}
