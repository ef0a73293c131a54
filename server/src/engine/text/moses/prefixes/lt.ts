// Non-breaking prefixes for 'lt': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.lt at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "A", "Ā", "B", "C", "Č", "D", "E", "Ē", "F", "G", "Ģ", "H", "I", "Ī", "J", "K", "Ķ", "L", "Ļ", "M", "N", "Ņ",
    "O", "P", "Q", "R", "S", "Š", "T", "U", "Ū", "V", "W", "X", "Y", "Z", "Ž", "Dz", "Dž", "Just", "m", "mėn",
    "d", "g", "gim", "Pr", "Pn", "Pirm", "Antr", "Treč", "Ketv", "Penkt", "Šešt", "Sekm", "Saus", "Vas", "Kov",
    "Bal", "Geg", "Birž", "Liep", "Rugpj", "Rugs", "Spal", "Lapkr", "Gruod", "a", "adv", "akad", "aklg", "akt",
    "al", "A.V", "aps", "apskr", "apyg", "asist", "asmv", "avd", "a.k", "asm", "asm.k", "atsak", "atsisk", "sąsk",
    "aut", "b", "k", "b.k", "bkl", "bt", "buv", "dail", "dek", "dėst", "dir", "dirig", "doc", "drp", "dš", "egz",
    "eil", "ekon", "el", "etc", "ež", "faks", "fak", "gen", "gyd", "gv", "įl", "Įn", "insp", "pan", "t.t", "k.a",
    "kand", "kat", "kyš", "kl", "kln", "kn", "koresp", "kpt", "kr", "kt", "kun", "l", "e", "p", "l.e.p", "ltn",
    "mst", "m.e", "m.m", "mot", "mstl", "mgr", "mgnt", "mjr", "mln", "mlrd", "mok", "mokyt", "moksl", "nkt",
    "ntk", "Nr", "nr", "p.d", "a.d", "p.m.e", "pav", "pavad", "pirm", "pl", "plg", "plk", "pr", "Kr", "pr.Kr",
    "prok", "prot", "pss", "pšt", "pvz", "r", "red", "rš", "sąs", "saviv", "sav", "sekr", "sen", "sk", "skg",
    "skyr", "skv", "sp", "spec", "sr", "st", "str", "stud", "š", "š.m", "šnek", "tir", "tūkst", "up", "upl",
    "vad", "vlsč", "ved", "vet", "virš", "vyr", "vyresn", "vs", "Vt", "vt", "vtv", "vv", "žml", "air", "amer",
    "anat", "angl", "arab", "archeol", "archit", "astr", "austral", "av", "bažn", "bdv", "bibl", "biol", "bot",
    "brt", "brus", "buh", "chem", "col", "con", "conj", "dab", "dgs", "dial", "dipl", "dktv", "džn", "esam",
    "euf", "fam", "farm", "filol", "filos", "fin", "fiz", "fiziol", "flk", "fon", "fot", "geod", "geogr", "geol",
    "geom", "glžk", "gr", "gram", "her", "hidr", "ind", "iron", "isp", "ist", "istor", "it", "įv", "reikšm",
    "įv.reikšm", "jap", "juok", "jūr", "kalb", "kar", "kas", "kin", "klaus", "knyg", "kom", "komp", "kosm", "kul",
    "kuop", "lit", "lingv", "log", "lot", "mat", "maž", "med", "medž", "men", "menk", "metal", "meteor", "min",
    "mit", "ms", "muz", "n", "neig", "neol", "niek", "ofic", "opt", "orig", "parl", "pat", "paž", "poet", "poez",
    "poligr", "polit", "ppr", "pranc", "priet", "prek", "prk", "prs", "psn", "psich", "rad", "rel", "ret", "rus",
    "sl", "sov", "sport", "stat", "sudurt", "sutr", "suv", "šach", "šiaur", "škot", "teatr", "tech", "techn",
    "teig", "teis", "tekst", "tel", "teol", "v", "t.p", "t", "t.y", "vaik", "vart", "vid", "vksm", "vns", "vok",
    "vulg", "zool", "žr", "ž.ū", "ž", "ū", "Em.", "Gerb", "gerb", "malon", "Prof", "prof", "Dr", "dr", "habil",
    "inž", "Inž",
  ],
  numericOnly: [
    "No",
  ],
};
