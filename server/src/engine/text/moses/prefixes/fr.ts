// Non-breaking prefixes for 'fr': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.fr at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V",
    "W", "X", "Y", "Z", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s",
    "t", "u", "v", "w", "x", "y", "z", "A.C.N", "A.M", "art", "ann", "apr", "av", "auj", "lib", "B.P", "boul",
    "ca", "c.-à-d", "cf", "ch.-l", "chap", "contr", "C.P.I", "C.Q.F.D", "C.N", "C.N.S", "C.S", "dir", "éd", "e.g",
    "env", "al", "etc", "E.V", "ex", "fasc", "fém", "fig", "fr", "hab", "ibid", "id", "i.e", "inf", "LL.AA",
    "LL.AA.II", "LL.AA.RR", "LL.AA.SS", "L.D", "LL.EE", "LL.MM", "LL.MM.II.RR", "loc.cit", "masc", "MM", "ms",
    "N.B", "N.D.A", "N.D.L.R", "N.D.T", "n/réf", "NN.SS", "N.S", "N.D", "N.P.A.I", "p.c.c", "pl", "pp", "p.ex",
    "p.j", "P.S", "R.A.S", "R.-V", "R.P", "R.I.P", "SS", "S.S", "S.A", "S.A.I", "S.A.R", "S.A.S", "S.E", "sec",
    "sect", "sing", "S.M", "S.M.I.R", "sq", "sqq", "suiv", "sup", "suppl", "tél", "T.S.V.P", "vb", "vol", "vs",
    "X.O", "Z.I",
  ],
  numericOnly: [],
};
