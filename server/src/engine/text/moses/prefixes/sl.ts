// Non-breaking prefixes for 'sl': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.sl at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "dr", "Dr", "itd", "itn", "d", "jan", "Jan", "feb", "Feb", "mar", "Mar", "apr", "Apr", "jun", "Jun", "jul",
    "Jul", "avg", "Avg", "sept", "Sept", "sep", "Sep", "okt", "Okt", "nov", "Nov", "dec", "Dec", "tj", "Tj",
    "npr", "Npr", "sl", "Sl", "op", "Op", "gl", "Gl", "oz", "Oz", "prev", "dipl", "ing", "prim", "Prim", "cf",
    "Cf", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U",
    "V", "W", "X", "Y", "Z",
  ],
  numericOnly: [
    "št", "Št",
  ],
};
