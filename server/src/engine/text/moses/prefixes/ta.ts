// Non-breaking prefixes for 'ta': data from Moses (moses-smt/mosesdecoder, LGPL-2.1),
// scripts/share/nonbreaking_prefixes/nonbreaking_prefix.ta at commit 34452895f350, as tokenizer.perl's
// load_prefixes reads it (comment and empty lines dropped; 'X #NUMERIC_ONLY#' lines go to numericOnly).
import type { PrefixList } from '../nonbreakingPrefixes.js';

export const prefixes: PrefixList = {
  always: [
    "ர", "ூ", "திரு", "ஏ", "பீ", "சீ", "டீ", "ஈ", "எஃப்", "ஜீ", "எச்", "ஹெச்", "ஐ", "ஜே", "ஜை", "கே", "எல்",
    "எம்", "என்", "ஓ", "ப்பீ", "கியூ", "ஆர்", "எஸ்", "ட்டீ", "யூ", "வீ", "டபிள்-யூ", "எக்ஸ்", "வை", "செட்",
  ],
  numericOnly: [],
};
