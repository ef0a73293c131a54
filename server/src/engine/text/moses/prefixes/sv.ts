// Non-breaking prefixes for 'sv': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.sv at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V",
    "W", "X", "Y", "Z", "Å", "Ä", "Ö  ", "AB", "VG", "dvs", "d.v.s", "d. v. s", "etc", "from", "fr.o.m",
    "fr. o. m", "iaf", "i.a.f", "i. a. f", "jfr", "kl", "kr", "mao", "m.a.o", "m. a. o", "mfl", "m.fl", "m. fl",
    "mm", "m.m", "m. m.", "osv", "o.s.v", "o. s. v", "pga", "p.g.a", "p. g. a", "tex", "t.ex", "t. ex", "tom",
    "t.o.m", "t. o. m", "vs", "adv", "jur", "kand", "mag", "fil", "lic", "prop", "d", "f", "s", "mha", "m.h.a",
    "m. h. a", "vol", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
  ],
  numericOnly: [],
};
