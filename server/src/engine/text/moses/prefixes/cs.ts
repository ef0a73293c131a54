// Non-breaking prefixes for 'cs': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.cs at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "Bc", "BcA", "Ing", "Ing.arch", "MUDr", "MVDr", "MgA", "Mgr", "JUDr", "PhDr", "RNDr", "PharmDr", "ThLic",
    "ThDr", "Ph.D", "Th.D", "prof", "doc", "CSc", "DrSc", "dr. h. c", "PaedDr", "Dr", "PhMr", "DiS", "abt", "ad",
    "a.i", "aj", "angl", "anon", "apod", "atd", "atp", "aut", "bd", "biogr", "b.m", "b.p", "b.r", "cca", "cit",
    "cizojaz", "c.k", "col", "čes", "čín", "čj", "ed", "facs", "fasc", "fol", "fot", "franc", "h.c", "hist", "hl",
    "hrsg", "ibid", "il", "ind", "inv.č", "jap", "jhdt", "jv", "koed", "kol", "korej", "kl", "krit", "lat", "lit",
    "m.a", "maď", "mj", "mp", "násl", "např", "nepubl", "něm", "no", "nr", "n.s", "okr", "odd", "odp", "obr",
    "opr", "orig", "phil", "pl", "pokrač", "pol", "port", "pozn", "př.kr", "př.n.l", "přel", "přeprac", "příl",
    "pseud", "pt", "red", "repr", "resp", "revid", "rkp", "roč", "roz", "rozš", "samost", "sect", "sest", "seš",
    "sign", "sl", "srv", "stol", "sv", "šk", "šk.ro", "špan", "tab", "t.č", "tis", "tj", "tř", "tzv", "univ",
    "uspoř", "vol", "vl.jm", "vs", "vyd", "vyobr", "zal", "zejm", "zkr", "zprac", "zvl", "n.p", "než", "abl",
    "absol", "adj", "adv", "ak", "ak. sl", "akt", "alch", "amer", "anat", "anglosas", "arab", "arch", "archit",
    "arg", "astr", "astrol", "att", "bás", "belg", "bibl", "biol", "boh", "bot", "bulh", "círk", "csl", "č",
    "čas", "dat", "děj", "dep", "dět", "dial", "dór", "dopr", "dosl", "ekon", "epic", "etnonym", "eufem", "f",
    "fam", "fem", "fil", "film", "form", "fr", "fut", "fyz", "gen", "geogr", "geol", "geom", "germ", "gram",
    "hebr", "herald", "hovor", "hud", "hut", "chcsl", "chem", "ie", "imp", "impf", "indoevr", "inf", "instr",
    "interj", "ión", "iron", "it", "kanad", "katalán", "klas", "kniž", "komp", "konj", " ", "konkr", "kř", "kuch",
    "lék", "les", "lid", "liturg", "lok", "log", "m", "mat", "meteor", "metr", "mod", "ms", "mysl", "n", "náb",
    "námoř", "neklas", "nesklon", "nom", "ob", "obch", "obyč", "ojed", "opt", "part", "pas", "pejor", "pers",
    "pf", "plpf", "práv", "prep", "předl", "přivl", "r", "rcsl", "refl", "reg", "ř", "řec", "s", "samohl", "sg",
    "souhl", "spec", "srov", "stfr", "střv", "stsl", "subj", "subst", "superl", "sz", "táz", "tech", "telev",
    "teol", "trans", "typogr", "var", "vedl", "verb", "vl. jm", "voj", "vok", "vůb", "vulg", "výtv", "vztaž",
    "zahr", "zájm", "zast", "zeměd", "zř", "dl", "sport", "horn", "RSDr", "pomn", "ev", "slang", "nprap", "dop",
    "st", "p. n. l", "před n. l", "n. l", "př. Kr", "po Kr", "př. n. l", "tzn", "p", "br", "č. j", "č. p", "čp",
    "a. s", "s. r. o", "spol. s r. o", "p. o", "s. p", "v. o. s", "k. s", "o. p. s", "o. s", "v. r", "v z", "ml",
    "vč", "kr", "mld", "hod", "popř", "ap", "event", "rus", "slov", "rum", "švýc", "P. T", "hor", "dol", "S.O.S",
  ],
  numericOnly: [],
};
