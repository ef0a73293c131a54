/**
 * The Porter stemmer as NLTK 3.8 runs it by default (`PorterStemmer()`, mode NLTK_EXTENSIONS) —
 * the stemmer rouge-score uses. That mode is Porter (1980) plus Martin Porter's later changes plus
 * NLTK's own: an irregular-forms table, 'ies'/'ied' on 4-letter words, "y → i" only after a
 * consonant, 'alli' handled first in step 2, extra 'fulli' and 'logi' rules, 2-letter words left
 * alone, and a 2-letter vowel-consonant stem counting as *o.
 * Meant for lowercase ASCII words (rouge's tokens are [a-z0-9]+); it indexes UTF-16 units where
 * NLTK indexes code points, which only matters for characters outside the BMP.
 */

/** NLTK's table of irregular forms (checked on the word as given, before lowercasing). */
const IRREGULAR = new Map<string, string>([
  ['sky', 'sky'],
  ['skies', 'sky'],
  ['dying', 'die'],
  ['lying', 'lie'],
  ['tying', 'tie'],
  ['news', 'news'],
  ['innings', 'inning'],
  ['inning', 'inning'],
  ['outings', 'outing'],
  ['outing', 'outing'],
  ['cannings', 'canning'],
  ['canning', 'canning'],
  ['howe', 'howe'],
  ['proceed', 'proceed'],
  ['exceed', 'exceed'],
  ['succeed', 'succeed'],
]);

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/**
 * Which letters are consonants: not a vowel, and a 'y' only at the start or after a vowel. (NLTK
 * decides 'y' recursively from the left; this is the same rule computed in one pass.)
 */
function consonants(word: string): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i < word.length; i++) {
    const c = word[i]!;
    out.push(VOWELS.has(c) ? false : c === 'y' ? i === 0 || !out[i - 1] : true);
  }
  return out;
}

/** m in [C](VC){m}[V]: the number of vowel→consonant transitions. */
function measure(stem: string): number {
  const cons = consonants(stem);
  let m = 0;
  for (let i = 0; i + 1 < cons.length; i++) if (!cons[i] && cons[i + 1]) m++;
  return m;
}

const positiveMeasure = (stem: string): boolean => measure(stem) > 0;
const measureAbove1 = (stem: string): boolean => measure(stem) > 1;

function containsVowel(stem: string): boolean {
  return consonants(stem).some((c) => !c);
}

/** *d: ends in a double consonant. */
function endsDoubleConsonant(word: string): boolean {
  const n = word.length;
  return n >= 2 && word[n - 1] === word[n - 2] && consonants(word)[n - 1]!;
}

/** *o: ends consonant-vowel-consonant, the last not w, x or y (NLTK: or the stem is just vowel-consonant). */
function endsCvc(word: string): boolean {
  const n = word.length;
  const cons = consonants(word);
  if (n >= 3 && cons[n - 3] && !cons[n - 2] && cons[n - 1] && !'wxy'.includes(word[n - 1]!)) return true;
  return n === 2 && !cons[0] && !!cons[1];
}

/** [suffix, replacement, condition on the stem left after removing the suffix]. '*d' means "a double consonant". */
type Rule = readonly [string, string, ((stem: string) => boolean) | null];

/** The first rule whose suffix matches decides: replace if its condition holds, else keep the word. */
function applyRules(word: string, rules: readonly Rule[]): string {
  for (const [suffix, replacement, condition] of rules) {
    if (suffix === '*d' && endsDoubleConsonant(word)) {
      const stem = word.slice(0, -2);
      return condition === null || condition(stem) ? stem + replacement : word;
    }
    if (word.endsWith(suffix)) {
      const stem = word.slice(0, word.length - suffix.length);
      return condition === null || condition(stem) ? stem + replacement : word;
    }
  }
  return word;
}

function step1a(word: string): string {
  if (word.endsWith('ies') && word.length === 4) return word.slice(0, -3) + 'ie';
  return applyRules(word, [
    ['sses', 'ss', null],
    ['ies', 'i', null],
    ['ss', 'ss', null],
    ['s', '', null],
  ]);
}

function step1b(word: string): string {
  if (word.endsWith('ied')) return word.slice(0, -3) + (word.length === 4 ? 'ie' : 'i');
  if (word.endsWith('eed')) {
    const stem = word.slice(0, -3);
    return measure(stem) > 0 ? stem + 'ee' : word;
  }
  let stem: string | undefined;
  for (const suffix of ['ed', 'ing']) {
    if (word.endsWith(suffix)) {
      const candidate = word.slice(0, -suffix.length);
      if (containsVowel(candidate)) {
        stem = candidate;
        break;
      }
    }
  }
  if (stem === undefined) return word;
  const last = stem[stem.length - 1]!;
  return applyRules(stem, [
    ['at', 'ate', null],
    ['bl', 'ble', null],
    ['iz', 'ize', null],
    ['*d', last, () => !'lsz'.includes(last)],
    ['', 'e', (s) => measure(s) === 1 && endsCvc(s)],
  ]);
}

function step1c(word: string): string {
  return applyRules(word, [['y', 'i', (stem) => stem.length > 1 && consonants(stem)[stem.length - 1]!]]);
}

function step2(word: string): string {
  if (word.endsWith('alli') && positiveMeasure(word.slice(0, -4))) return step2(word.slice(0, -4) + 'al');
  return applyRules(word, [
    ['ational', 'ate', positiveMeasure],
    ['tional', 'tion', positiveMeasure],
    ['enci', 'ence', positiveMeasure],
    ['anci', 'ance', positiveMeasure],
    ['izer', 'ize', positiveMeasure],
    ['bli', 'ble', positiveMeasure],
    ['alli', 'al', positiveMeasure],
    ['entli', 'ent', positiveMeasure],
    ['eli', 'e', positiveMeasure],
    ['ousli', 'ous', positiveMeasure],
    ['ization', 'ize', positiveMeasure],
    ['ation', 'ate', positiveMeasure],
    ['ator', 'ate', positiveMeasure],
    ['alism', 'al', positiveMeasure],
    ['iveness', 'ive', positiveMeasure],
    ['fulness', 'ful', positiveMeasure],
    ['ousness', 'ous', positiveMeasure],
    ['aliti', 'al', positiveMeasure],
    ['iviti', 'ive', positiveMeasure],
    ['biliti', 'ble', positiveMeasure],
    ['fulli', 'ful', positiveMeasure],
    // The 'l' stays with the stem for the measure, so 'geo'/'theo' work like 'archaeo'.
    ['logi', 'log', () => positiveMeasure(word.slice(0, -3))],
  ]);
}

function step3(word: string): string {
  return applyRules(word, [
    ['icate', 'ic', positiveMeasure],
    ['ative', '', positiveMeasure],
    ['alize', 'al', positiveMeasure],
    ['iciti', 'ic', positiveMeasure],
    ['ical', 'ic', positiveMeasure],
    ['ful', '', positiveMeasure],
    ['ness', '', positiveMeasure],
  ]);
}

function step4(word: string): string {
  return applyRules(word, [
    ['al', '', measureAbove1],
    ['ance', '', measureAbove1],
    ['ence', '', measureAbove1],
    ['er', '', measureAbove1],
    ['ic', '', measureAbove1],
    ['able', '', measureAbove1],
    ['ible', '', measureAbove1],
    ['ant', '', measureAbove1],
    ['ement', '', measureAbove1],
    ['ment', '', measureAbove1],
    ['ent', '', measureAbove1],
    ['ion', '', (stem) => measure(stem) > 1 && 'st'.includes(stem[stem.length - 1]!)],
    ['ou', '', measureAbove1],
    ['ism', '', measureAbove1],
    ['ate', '', measureAbove1],
    ['iti', '', measureAbove1],
    ['ous', '', measureAbove1],
    ['ive', '', measureAbove1],
    ['ize', '', measureAbove1],
  ]);
}

/** Both 5a rules share the suffix 'e', so both conditions are tried (unlike applyRules). */
function step5a(word: string): string {
  if (!word.endsWith('e')) return word;
  const stem = word.slice(0, -1);
  const m = measure(stem);
  return m > 1 || (m === 1 && !endsCvc(stem)) ? stem : word;
}

function step5b(word: string): string {
  return applyRules(word, [['ll', 'l', () => measure(word.slice(0, -1)) > 1]]);
}

/** NLTK's `PorterStemmer().stem(word)`. */
export function porterStem(word: string): string {
  const lower = word.toLowerCase();
  const irregular = IRREGULAR.get(word);
  if (irregular !== undefined) return irregular;
  if (word.length <= 2) return lower;
  return step5b(step5a(step4(step3(step2(step1c(step1b(step1a(lower))))))));
}
