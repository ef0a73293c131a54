// Non-breaking prefixes for 'mr': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.mr at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "रु", "डॉ", "डा", "श्री", "ए", "ऐ", "बी", "सी", "डी", "ई", "ऐफ", "एफ", "जी", "ऐच", "एच", "आइ", "जे", "के",
    "ऐल", "एल", "ऐम", "एम", "ऐन", "एन", "ओ", "पी", "क्यू", "आर", "ऐस", "एस", "टी", "यू", "वी", "डब्ल्यू", "ऐक्स",
    "एक्स", "वाय", "वाई", "ज़ैड", "क", "ख", "ग", "घ", "ङ", "च", "छ", "ज", "झ", "ञ", "ट", "ठ", "ड", "ढ", "ण", "त",
    "थ", "द", "ध", "न", "प", "फ", "ब", "भ", "म", "य", "र", "ल", "व", "श", "ष", "स", "ह",
  ],
  numericOnly: [],
};
