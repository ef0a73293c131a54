// Non-breaking prefixes for 'ca': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.ca at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "Dr", "Dra", "pàg", "p", "c", "av", "Sr", "Sra", "adm", "esq", "Prof", "S.A", "S.L", "p.e", "ptes", "Sta",
    "St", "pl", "màx", "cast", "dir", "nre", "fra", "admdora", "Emm", "Excma", "espf", "dc", "admdor", "tel",
    "angl", "aprox", "ca", "dept", "dj", "dl", "dt", "ds", "dg", "dv", "ed", "entl", "al", "i.e", "maj", "smin",
    "n", "núm", "pta", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R",
    "S", "T", "U", "V", "W", "X", "Y", "Z",
  ],
  numericOnly: [],
};
