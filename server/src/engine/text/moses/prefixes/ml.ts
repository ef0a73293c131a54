// Non-breaking prefixes for 'ml': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.ml at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "ഡോ", "ശ്രീ", "എ", "ബി", "സി", "ഡി", "ഇ", "എഫ്", "ജി", "എച്ച്", "ഐ", "ജെ", "കെ", "എൽ", "എം", "എൻ", "ഒ", "പി ",
    "ക്യൂ", "ആർ", "എസ്", "ടി", "യു", "വി", "ഡബ്ല്യു", "എക്സ്", "വൈ", "സെഡ്",
  ],
  numericOnly: [],
};
