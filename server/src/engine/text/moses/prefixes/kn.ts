// Non-breaking prefixes for 'kn': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.kn at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "ರೂ", "ಡಾ", "ಶ್ರೀ", "ಎ", "ಬಿ", "ಸಿ", "ಡಿ", "ಇ", "ಎಫ್", "ಜಿ", "ಹೆಚ್", "ಎಚ್‌", "ಐ", "ಜೆ", "ಕೆ", "ಎಲ್", "ಎಂ",
    "ಎನ್", "ಒ", "ಪಿ", "ಕ್ಯೂ", "ಆರ್", "ಎಸ್", "ಟಿ", "ಯು", "ವಿ", "ಡಬ್ಲ್ಯೂ", "ಎಕ್ಸ್", "ವೈ", "ಜೆಡ್",
  ],
  numericOnly: [],
};
