// Non-breaking prefixes for 'fi': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.fi at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V",
    "W", "X", "Y", "Z", "Å", "Ä", "Ö", "alik", "alil", "amir", "apul", "apul.prof", "arkkit", "ass", "assist",
    "dipl", "dipl.arkkit", "dipl.ekon", "dipl.ins", "dipl.kielenk", "dipl.kirjeenv", "dipl.kosm", "dipl.urk",
    "dos", "erikoiseläinl", "erikoishammasl", "erikoisl", "erikoist", "ev.luutn", "evp", "fil", "ft", "hallinton",
    "hallintot", "hammaslääket", "jatk", "jääk", "kansaned", "kapt", "kapt.luutn", "kenr", "kenr.luutn",
    "kenr.maj", "kers", "kirjeenv", "kom", "kom.kapt", "komm", "konst", "korpr", "luutn", "maist", "maj", "Mr",
    "Mrs", "Ms", "M.Sc", "neuv", "nimim", "Ph.D", "prof", "puh.joht", "pääll", "res", "san", "siht", "suom",
    "sähköp", "säv", "toht", "toim", "toim.apul", "toim.joht", "toim.siht", "tuom", "ups", "vänr", "vääp",
    "ye.ups", "ylik", "ylil", "ylim", "ylimatr", "yliop", "yliopp", "ylip", "yliv", "e.g", "ent", "esim", "huom",
    "i.e", "ilm", "l", "mm", "myöh", "nk", "nyk", "par", "po", "t", "v",
  ],
  numericOnly: [],
};
