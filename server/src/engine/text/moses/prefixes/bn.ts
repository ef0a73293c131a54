// Non-breaking prefixes for 'bn': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.bn at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "ড", "এ", "বি", "সি", "ডি", "ই", "এফ", "জি", "এইচ", "আম", "জে", "কে", "এল", "এম", "এন", "হে", "পি", "কিউ",
    "আর", "এস", "টি", "ইউ", "ভি ", "ডব্লু", "এক্স", "ওয়াই", "জেড",
  ],
  numericOnly: [],
};
