// fastBPE-compatible BPE: learn codes, apply them, count vocabularies. See docs/bpe.md.
export { BpeCodes } from './codes.js';
export { BpeVocab, formatVocab, getVocab, sortedVocab, type VocabEntry } from './vocab.js';
export { BpeApplier, applyBpe, applyBpeFile, removeBpe } from './applyBpe.js';
export { formatCodes, learnBpe, learnBpeFromCounts, type LearnOptions, type LearnResult, type Merge } from './learnBpe.js';
export { TIE_BREAKS, initialSymbolOrder, readSymbolOrder, type TieBreak } from './symbolOrder.js';
export { WordCounts, countWords } from './wordCounts.js';
export { CONTINUATION, END_OF_WORD } from './symbols.js';
