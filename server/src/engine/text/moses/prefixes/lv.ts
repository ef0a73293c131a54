// Non-breaking prefixes for 'lv': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.lv at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "A", "Ā", "B", "C", "Č", "D", "E", "Ē", "F", "G", "Ģ", "H", "I", "Ī", "J", "K", "Ķ", "L", "Ļ", "M", "N", "Ņ",
    "O", "P", "Q", "R", "S", "Š", "T", "U", "Ū", "V", "W", "X", "Y", "Z", "Ž", "dr", "Dr", "med", "prof", "Prof",
    "inž", "Inž", "ist.loc", "Ist.loc", "kor.loc", "Kor.loc", "v.i", "vietn", "Vietn", "a.l", "t.p", "pārb",
    "Pārb", "vec", "Vec", "inv", "Inv", "sk", "Sk", "spec", "Spec", "vienk", "Vienk", "virz", "Virz", "māksl",
    "Māksl", "mūz", "Mūz", "akad", "Akad", "soc", "Soc", "galv", "Galv", "vad", "Vad", "sertif", "Sertif",
    "folkl", "Folkl", "hum", "Hum",
  ],
  numericOnly: [
    "Nr",
  ],
};
