// Evaluation metrics, number for number with the reference tools (multi-bleu.perl, sacreBLEU 2.6.0,
// rouge-score with NLTK's Porter stemmer).
export { multiBleu, type MultiBleuResult, type MultiBleuOptions } from './multiBleu.js';
export { removeBpe } from './removeBpe.js';
export {
  sacreBleu,
  sentenceBleu,
  countTokenizedPeriods,
  SACREBLEU_VERSION,
  SMOOTH_METHODS,
  type BleuScore,
  type SacreBleuOptions,
  type SmoothMethod,
} from './sacreBleu.js';
export { bleuTokenizer, tokenize13a, tokenizeIntl, tokenizeChar, BLEU_TOKENIZERS, type BleuTokenizerName } from './bleuTokenizers.js';
export { formatFixed } from './formatFixed.js';
export { chrF, sentenceChrF, type ChrFScore, type ChrFOptions } from './chrF.js';
export {
  rouge,
  rougePair,
  rougeTokenize,
  DEFAULT_ROUGE_TYPES,
  type RougeType,
  type RougeScores,
  type RougeOptions,
  type PrecisionRecallF,
  type RougeCorpusResult,
} from './rouge.js';
export { porterStem } from './porterStemmer.js';
export { evaluate, parseMetricList, METRIC_NAMES, type MetricName, type EvaluateOptions, type EvaluationReport } from './evaluate.js';
