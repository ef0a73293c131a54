// Non-breaking prefixes for 'pl': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.pl at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "adw", "afr", "akad", "al", "Al", "am", "amer", "arch", "art", "Art", "artyst", "astr", "austr", "bałt",
    "bdb", "bł", "bm", "br", "bryg", "bryt", "centr", "ces", "chem", "chiń", "chir", "c.k", "c.o", "cyg", "cyw",
    "cyt", "czes", "czw", "cd", "Cd", "czyt", "ćw", "ćwicz", "daw", "dcn", "dekl", "demokr", "det", "diec", "dł",
    "dn", "dot", "dol", "dop", "dost", "dosł", "h.c", "ds", "dst", "duszp", "dypl", "egz", "ekol", "ekon",
    "elektr", "em", "ew", "fab", "farm", "fot", "fr", "gat", "gastr", "geogr", "geol", "gimn", "głęb", "gm",
    "godz", "górn", "gosp", "gr", "gram", "hist", "hiszp", "hr", "Hr", "hot", "id", "in", "im", "iron", "jn",
    "kard", "kat", "katol", "k.k", "kk", "kol", "kl", "k.p.a", "kpc", "k.p.c", "kpt", "kr", "k.r", "krak",
    "k.r.o", "kryt", "kult", "laic", "łac", "niem", "woj", "nb", "np", "Nb", "Np", "pol", "pow", "m.in", "pt",
    "ps", "Pt", "Ps", "cdn", "jw", "ryc", "rys", "Ryc", "Rys", "tj", "tzw", "Tzw", "tzn", "zob", "ang", "ub",
    "ul", "pw", "pn", "pl", "k", "n", "ww", "wł", "ur", "zm", "żyd", "żarg", "żyw", "wył", "bp", "wyst", "tow",
    "Tow", "o", "sp", "Sp", "st", "spółdz", "Spółdz", "społ", "spółgł", "stoł", "stow", "Stoł", "Stow", "zn",
    "zew", "zewn", "zdr", "zazw", "zast", "zaw", "zał", "zal", "zam", "zak", "zakł", "zagr", "zach", "Adw", "lek",
    "Lek", "med", "mec", "Mec", "doc", "Doc", "dyw", "dyr", "Dyw", "Dyr", "inż", "Inż", "mgr", "Mgr", "dh", "dr",
    "Dh", "Dr", "p", "P", "red", "Red", "prof", "prok", "Prof", "Prok", "hab", "płk", "Płk", "nadkom", "Nadkom",
    "podkom", "Podkom", "ks", "Ks", "gen", "Gen", "por", "Por", "reż", "Reż", "przyp", "Przyp", "śp", "św", "śW",
    "Śp", "Św", "ŚW", "szer", "Szer", "tel", "poz", "pok", "oo", "oO", "Oo", "OO", "najśw", "Najśw", "A", "B",
    "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "Q", "R", "S", "T", "U", "V", "W", "X", "Y",
    "Z", "Ś", "Ć", "Ż", "Ź", "Dz",
  ],
  numericOnly: [
    "nr", "Nr", "pkt", "str", "tab", "Tab", "ust", "par", "r", "l", "s",
  ],
};
