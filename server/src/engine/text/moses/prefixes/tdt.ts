// Non-breaking prefixes for 'tdt': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.tdt at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V",
    "W", "X", "Y", "Z", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "q", "r", "s",
    "t", "u", "v", "w", "x", "y", "z", "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "XIII", "XIV",
    "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "xiii",
    "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx", "Adj", "Adm", "Adv", "Ca", "Capt", "Cmdr", "Col", "Comdr",
    "Con", "Corp", "Cpl", "DR", "DRA", "Dr", "Dra", "Dras", "Drs", "Eng", "Enga", "Engas", "Engos", "Ex", "Exo",
    "Exmo", "Fig", "Gen", "Hosp", "Insp", "Lda", "MM", "MR", "MRS", "MS", "Maj", "Mrs", "Ms", "Msgr", "Op", "Ord",
    "Pfc", "Ph", "Prof", "Pvt", "Rep", "Reps", "Res", "Rev", "Rt", "Sen", "Sens", "Sfc", "Sgt", "Sr", "Sra",
    "Sras", "Srs", "Sto", "Supt", "Surg", "adj", "adm", "adv", "art", "cit", "col", "con", "corp", "cpl", "dr",
    "dra", "dras", "drs", "eng", "enga", "engas", "engos", "ex", "exo", "exmo", "fig", "op", "prof", "sr", "sra",
    "sras", "srs", "sto", "vs", "i.e", "rev", "e.g", "Nos", "Nr",
  ],
  numericOnly: [
    "p", "Art", "No", "Nu", "pp",
  ],
};
