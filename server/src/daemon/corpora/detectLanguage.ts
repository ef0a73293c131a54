/**
 * A cheap language identifier for corpus diagnostics ("this line looks like German"): counts the most
 * frequent function words of each language and a few letters that only some languages use. It is
 * meant to catch whole lines in the wrong language (untranslated strings, swapped files), not to
 * classify short or technical text: lines with too little evidence are left undecided.
 * No LSP imports, so it could move to engine/text if the CLI ever wants it.
 */

/**
 * Function words, lower case. Words shared by several languages count for each of them; one-letter
 * words (a, o, e, y) are left out: they are too common across languages (English 'a' vs Portuguese 'a').
 */
const STOP_WORDS: Record<string, string> = {
  en: 'the of and to in is that for it with as was on be by this are from at or an not have has but which can you will if all its they one more their also been were when there would these other into than we may his he she who what used using should must only such',
  fr: 'le la les de des du un une et est en que qui dans pour pas sur au aux avec ce cette ces il elle ils elles sont par plus ne se sa son ses ou être été fait peut vous nous leur leurs mais comme tout tous toutes très aussi où sans entre lors doit fichier votre cet donc',
  de: 'der die das und ist nicht zu den von mit sich des auf für im dem ein eine einen einer eines als auch es an werden aus er hat dass sie nach bei um am sind noch wie wird oder kann nur über wenn diese dieser dieses durch zum zur können wurde ihre sein',
  ro: 'și şi de la în cu pe nu un este sunt care din să ce mai fi pentru sau fost această acest acestă al ale lui prin dacă către după când își îşi dar ca cum numai foarte se unei unui acestea fiecare',
  es: 'el la los las de del en que es por un una con no para se al lo como más pero sus su le ya este esta está son también entre cuando muy sin sobre ser hay fue puede',
  it: 'il lo la gli le di del della delle dei è che per un una con non si da al alla sono come più ma anche questo questa nel nella essere ha hanno può',
  pt: 'os as de do da dos das é que em um uma para com não se por mais como mas ao na no pelo pela são também está ser foi pode você',
  nl: 'de het een en van is dat in op te met voor zijn niet die er aan ook als bij om door maar wordt kan worden naar dit uit of wat deze',
};

/** Letters that point at a language (each occurrence adds a little, capped per line). */
const LETTERS: Record<string, string> = {
  fr: 'éèêàçùûôîïœë',
  de: 'äöüß',
  ro: 'ăâîșşțţ',
  es: 'ñáíóúé¿¡',
  it: 'àèéìòù',
  pt: 'ãõçáâêóôà',
  nl: '',
  en: '',
};

/** French/Italian elisions: l'homme, d'un, qu'il, dell'anno. */
const ELISION: Record<string, RegExp> = {
  fr: /(?:^|[\s(«"])(?:l|d|qu|n|s|c|j|m|t|jusqu|lorsqu|puisqu)['’][\p{L}]/giu,
  it: /(?:^|[\s(])(?:dell|nell|all|dall|sull|un)['’][\p{L}]/giu,
};

export const IDENTIFIABLE_LANGUAGES = Object.keys(STOP_WORDS);

const wordIndex = new Map<string, string[]>();
for (const [lang, words] of Object.entries(STOP_WORDS)) {
  for (const w of words.split(' ')) {
    const list = wordIndex.get(w);
    if (list) list.push(lang);
    else wordIndex.set(w, [lang]);
  }
}
const letterIndex = new Map<string, string[]>();
for (const [lang, letters] of Object.entries(LETTERS)) {
  for (const ch of letters) {
    const list = letterIndex.get(ch);
    if (list) list.push(lang);
    else letterIndex.set(ch, [lang]);
  }
}

export interface LanguageGuess {
  lang: string;
  /** Evidence for the winner and for the runner-up. */
  score: number;
  runnerUp: number;
}

const WORD = /\p{L}+/gu;
const MIN_WORDS = 4;
const MIN_SCORE = 2.5;
const LETTER_WEIGHT = 0.5;
const LETTER_CAP = 3;

/**
 * The language of one line, or undefined when the evidence is too thin (fewer than 4 words, or no
 * clear winner). `among` restricts the candidates.
 */
export function identifyLanguage(line: string, among: readonly string[] = IDENTIFIABLE_LANGUAGES): LanguageGuess | undefined {
  const lower = line.toLowerCase();
  const words = lower.match(WORD);
  if (!words || words.length < MIN_WORDS) return undefined;
  const score = new Map<string, number>();
  const add = (lang: string, v: number) => score.set(lang, (score.get(lang) ?? 0) + v);
  // distinct words: a repeated token ('SI.ENS, MIN.SI, ...') is one piece of evidence
  for (const w of new Set(words)) for (const lang of wordIndex.get(w) ?? []) add(lang, 1);
  const letterScore = new Map<string, number>();
  for (const ch of lower) {
    const langs = letterIndex.get(ch);
    if (!langs) continue;
    for (const lang of langs) letterScore.set(lang, (letterScore.get(lang) ?? 0) + LETTER_WEIGHT);
  }
  for (const [lang, v] of letterScore) add(lang, Math.min(LETTER_CAP, v));
  for (const [lang, re] of Object.entries(ELISION)) {
    const m = lower.match(re);
    if (m) add(lang, Math.min(LETTER_CAP, m.length));
  }
  let best: string | undefined;
  let bestScore = 0;
  let second = 0;
  for (const lang of among) {
    const s = score.get(lang) ?? 0;
    if (s > bestScore) {
      second = bestScore;
      bestScore = s;
      best = lang;
    } else if (s > second) {
      second = s;
    }
  }
  // Needs real evidence, relative to the line's length too (technical lines have few function words).
  if (!best || bestScore < MIN_SCORE || bestScore < words.length * 0.15) return undefined;
  if (bestScore < 2 * second && bestScore - second < 3) return undefined;
  return { lang: best, score: bestScore, runnerUp: second };
}

export function isIdentifiable(lang: string): boolean {
  return lang in STOP_WORDS;
}
