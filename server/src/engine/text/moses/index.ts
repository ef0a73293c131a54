/**
 * Our TypeScript equivalents of the Moses scripts XLM/MASS run before BPE, byte for byte (see
 * test/parity/tokenize.parity.test.ts). Every function takes and returns one line without its `\n`.
 */
export { MOSES_STAGES, mosesPreprocess, type MosesStage } from './pipeline.js';
export { replaceUnicodePunctuation } from './replaceUnicodePunctuation.js';
export { normalizePunctuation } from './normalizePunctuation.js';
export { removeNonPrintingChar } from './removeNonPrintingChar.js';
export { tokenize as mosesTokenize, escapeSpecialChars, type TokenizeOptions } from './tokenizer.js';
export { detokenize as mosesDetokenize, deescapeSpecialChars } from './detokenizer.js';
export { hasPrefixList, nonbreakingPrefixes } from './nonbreakingPrefixes.js';
