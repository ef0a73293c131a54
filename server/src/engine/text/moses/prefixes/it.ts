// Non-breaking prefixes for 'it': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.it at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V",
    "W", "X", "Y", "Z", "Adj", "Adm", "Adv", "Amn ", "Arch ", "Asst", "Avv", "Bart", "Bcc", "Bldg", "Brig",
    "Bros", "C.A.P", "C.P", "Capt", "Cc", "Cmdr", "Co", "Col", "Comdr", "Con", "Corp", "Cpl", "DR", "Dott", "Dr",
    "Drs", "Egr", "Ens", "Gen", "Geom", "Gov", "Hon", "Hosp", "Hr", "Id", "Ing", "Insp", "Lt", "MM", "MR", "MRS",
    "MS", "Maj", "Messrs", "Mlle", "Mme", "Mo", "Mons", "Mr", "Mrs", "Ms", "Msgr", "N.B", "Op", "Ord", "P.S",
    "P.T", "Pfc", "Ph", "Prof", "Pvt", "RP", "RSVP", "Rag", "Rep", "Reps", "Res", "Rev", "Rif", "Rt", "S.A",
    "S.B.F", "S.P.M", "S.p.A", "S.r.l", "Sen", "Sens", "Sfc", "Sgt", "Sig", "Sigg", "Soc", "Spett", "Sr", "St",
    "Supt", "Surg", "V.P", "a.c ", "acc", "all ", "banc", "c.a", "c.c.p", "c.m", "c.p", "c.s", "c.v", "corr",
    "dott", "e.p.c", "ecc", "es ", "fatt", "gg", "int", "lett", "ogg", "on", "p.c", "p.c.c", "p.es", "p.f", "p.r",
    "p.v", "post", "racc", "ric", "s.n.c", "seg", "sgg", "ss", "tel", "u.s", "v.r", "v.s", "v", "vs", "i.e",
    "rev", "e.g", "Nos", "Nr",
  ],
  numericOnly: [
    "pp", "No", "Art",
  ],
};
