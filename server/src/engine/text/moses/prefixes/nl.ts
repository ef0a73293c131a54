// Non-breaking prefixes for 'nl': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.nl at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V",
    "W", "X", "Y", "Z", "bacc", "bc", "bgen", "c.i", "dhr", "dr", "dr.h.c", "drs", "ds", "eint", "fa", "Fa",
    "fam", "gen", "genm", "ing", "ir", "jhr", "jkvr", "jr", "kand", "kol", "lgen", "lkol", "Lt", "maj", "Mej",
    "mevr", "Mme", "mr", "Mw", "o.b.s", "plv", "prof", "ritm", "tint", "Vz", "Z.D", "Z.D.H", "Z.E", "Z.Em", "Z.H",
    "Z.K.H", "Z.K.M", "Z.M", "z.v", "a.g.v", "bijv", "bijz", "bv", "d.w.z", "e.c", "e.g", "e.k", "ev", "i.p.v",
    "i.s.m", "i.t.t", "i.v.m", "m.a.w", "m.b.t", "m.b.v", "m.h.o", "m.i", "m.i.v", "v.w.t", "Nrs ", "nrs",
  ],
  numericOnly: [
    "Nr", "nr",
  ],
};
