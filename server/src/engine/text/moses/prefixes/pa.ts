// Non-breaking prefixes for 'pa': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.pa at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "ਡਾ", "ਪ੍ਰੋ", "ਸ੍ਰੀ", "ਏ", "ਬੀ", "ਸੀ", "ਡੀ", "ਈ", "ਐੱਫ", "ਜੀ", "ਐਚ", "ਆਈ", "ਜੇ", "ਕੇ", "ਐਲ", "ਐੱਮ", "ਐੱਨ",
    "ਓ", "ਪੀ", "ਕੀਓ", "ਆਰ", "ਐੱਸ", "ਸ", "ਟੀ", "ਯੂ", "ਵੀ", "ਡਬਲਿਊ", "ਐਕ੍ਸ", "ਵਾਈ", "ਜ਼ੈਡ", "ਕ", "ਖ", "ਗ", "ਘ", "ਙ",
    "ਚ", "ਛ", "ਜ", "ਝ", "ਞ", "ਟ", "ਠ", "ਡ", "ਢ", "ਣ", "ਤ", "ਥ", "ਦ", "ਧ", "ਨ", "ਪ", "ਫ", "ਬ", "ਭ", "ਮ", "ਯ", "ਰ",
    "ਲ", "ਵ", "ੜ", "ਹ",
  ],
  numericOnly: [],
};
