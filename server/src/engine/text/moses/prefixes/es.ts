// Non-breaking prefixes for 'es': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.es at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V",
    "W", "X", "Y", "Z", "A.C", "Apdo", "Av", "Bco", "CC.AA", "Da", "Dep", "Dn", "Dr", "Dra", "EE.UU", "Excmo",
    "FF.CC", "Fil ", "Gral", "J.C", "Let", "Lic", "N.B", "P.D", "P.V.P", "Prof", "Pts", "Rte", "S.A", "S.A.R",
    "S.E", "S.L", "S.R.C", "Sr", "Sra", "Srta", "Sta", "Sto", "T.V.E", "Tel", "Ud", "Uds", "V.B", "V.E", "Vd",
    "Vds", "a/c", "adj", "admón", "afmo", "apdo", "av", "c", "c.f", "c.g", "cap", "cm", "cta", "dcha", "doc",
    "ej", "entlo", "esq", "etc", "f.c", "gr ", "grs", "izq", "kg", "km", "mg", "mm", "nÃºm", "núm", "p", "p.a",
    "p.ej", "ptas", "pÃ¡g ", "pÃ¡gs", "pág", "págs", "q.e.g.e", "q.e.s.m", "s", "s.s.s", "vid", "vol",
  ],
  numericOnly: [],
};
