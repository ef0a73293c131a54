// Non-breaking prefixes for 'te': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.te at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "ర", "ూ", "శ్రీ", "ఎ", "బి", "సి", "డి", "ఇ", "ఎఫ్", "జి", "హెచ్‌", "ఐ", "జె", "కె", "ఎల్", "ఎం", "ఎమ్",
    "ఎన్", "ఓ", "పి", "క్యూ", "ఆర్", "ఎస్", "టి", "యు", "వి", "డబ్ల్యూ", "ఎక్స్", "వై", "జెడ్",
  ],
  numericOnly: [],
};
