// Non-breaking prefixes for 'gu': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.gu at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "રૂ", "ડો", "ડૉ", "શ્રી", "એ", "બી", "સી", "ડી", "ઇ", "એફ", "જી", "એચ", "આઈ", "જે", "કે", "એલ", "એમ", "એન",
    "ઓ", "પી", "ક્યૂ", "આર", "એસ", "ટી", "યુ", "વી", "ડબલ્યુ", "એક્સ", "વાય", "ઝેડ", "ક", "ખ", "ગ", "ઘ", "ઙ", "ચ",
    "છ", "જ", "ઝ", "ઞ", "ટ", "ઠ", "ડ", "ઢ", "ણ", "ત", "થ", "દ", "ધ", "ન", "પ", "ફ", "બ", "ભ", "મ", "ય", "ર", "લ",
    "ળ", "વ", "શ", "ષ", "સ", "હ",
  ],
  numericOnly: [],
};
