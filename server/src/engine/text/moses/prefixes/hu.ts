// Non-breaking prefixes for 'hu': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.hu at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V",
    "W", "X", "Y", "Z", "Á", "É", "Í", "Ó", "Ö", "Ő", "Ú", "Ü", "Ű", "Dr", "dr", "kb", "Kb", "vö", "Vö", "pl",
    "Pl", "ca", "Ca", "min", "Min", "max", "Max", "ún", "Ún", "prof", "Prof", "de", "De", "du", "Du", "Szt", "St",
  ],
  numericOnly: [
    "jan", "Jan", "Feb", "feb", "márc", "Márc", "ápr", "Ápr", "máj", "Máj", "jún", "Jún", "Júl", "júl", "aug",
    "Aug", "Szept", "szept", "okt", "Okt", "nov", "Nov", "dec", "Dec", "tel", "Tel", "Fax", "fax",
  ],
};
