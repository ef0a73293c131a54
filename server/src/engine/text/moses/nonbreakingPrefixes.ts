/**
 * Moses' non-breaking prefix lists (one data module per language under prefixes/, from Moses,
 * LGPL-2.1): words that a following `.` does not end a sentence after (`Mr.`, `e.g.`), and words that
 * it does not end one after only when a number follows (`No. 5`).
 */
import { prefixes as prefixes_as } from './prefixes/as.js';
import { prefixes as prefixes_bn } from './prefixes/bn.js';
import { prefixes as prefixes_ca } from './prefixes/ca.js';
import { prefixes as prefixes_cs } from './prefixes/cs.js';
import { prefixes as prefixes_de } from './prefixes/de.js';
import { prefixes as prefixes_el } from './prefixes/el.js';
import { prefixes as prefixes_en } from './prefixes/en.js';
import { prefixes as prefixes_es } from './prefixes/es.js';
import { prefixes as prefixes_et } from './prefixes/et.js';
import { prefixes as prefixes_fi } from './prefixes/fi.js';
import { prefixes as prefixes_fr } from './prefixes/fr.js';
import { prefixes as prefixes_ga } from './prefixes/ga.js';
import { prefixes as prefixes_gu } from './prefixes/gu.js';
import { prefixes as prefixes_hi } from './prefixes/hi.js';
import { prefixes as prefixes_hu } from './prefixes/hu.js';
import { prefixes as prefixes_is } from './prefixes/is.js';
import { prefixes as prefixes_it } from './prefixes/it.js';
import { prefixes as prefixes_kn } from './prefixes/kn.js';
import { prefixes as prefixes_lt } from './prefixes/lt.js';
import { prefixes as prefixes_lv } from './prefixes/lv.js';
import { prefixes as prefixes_ml } from './prefixes/ml.js';
import { prefixes as prefixes_mni } from './prefixes/mni.js';
import { prefixes as prefixes_mr } from './prefixes/mr.js';
import { prefixes as prefixes_nl } from './prefixes/nl.js';
import { prefixes as prefixes_or } from './prefixes/or.js';
import { prefixes as prefixes_pa } from './prefixes/pa.js';
import { prefixes as prefixes_pl } from './prefixes/pl.js';
import { prefixes as prefixes_pt } from './prefixes/pt.js';
import { prefixes as prefixes_ro } from './prefixes/ro.js';
import { prefixes as prefixes_ru } from './prefixes/ru.js';
import { prefixes as prefixes_sk } from './prefixes/sk.js';
import { prefixes as prefixes_sl } from './prefixes/sl.js';
import { prefixes as prefixes_sv } from './prefixes/sv.js';
import { prefixes as prefixes_ta } from './prefixes/ta.js';
import { prefixes as prefixes_tdt } from './prefixes/tdt.js';
import { prefixes as prefixes_te } from './prefixes/te.js';
import { prefixes as prefixes_yue } from './prefixes/yue.js';
import { prefixes as prefixes_zh } from './prefixes/zh.js';

export interface PrefixList {
  always: readonly string[];
  numericOnly: readonly string[];
}

/** 1: always non-breaking; 2: non-breaking before a number (tokenizer.perl's hash values). */
export type PrefixKind = 1 | 2;

const BY_LANGUAGE: Record<string, PrefixList> = {
  as: prefixes_as,
  bn: prefixes_bn,
  ca: prefixes_ca,
  cs: prefixes_cs,
  de: prefixes_de,
  el: prefixes_el,
  en: prefixes_en,
  es: prefixes_es,
  et: prefixes_et,
  fi: prefixes_fi,
  fr: prefixes_fr,
  ga: prefixes_ga,
  gu: prefixes_gu,
  hi: prefixes_hi,
  hu: prefixes_hu,
  is: prefixes_is,
  it: prefixes_it,
  kn: prefixes_kn,
  lt: prefixes_lt,
  lv: prefixes_lv,
  ml: prefixes_ml,
  mni: prefixes_mni,
  mr: prefixes_mr,
  nl: prefixes_nl,
  or: prefixes_or,
  pa: prefixes_pa,
  pl: prefixes_pl,
  pt: prefixes_pt,
  ro: prefixes_ro,
  ru: prefixes_ru,
  sk: prefixes_sk,
  sl: prefixes_sl,
  sv: prefixes_sv,
  ta: prefixes_ta,
  tdt: prefixes_tdt,
  te: prefixes_te,
  yue: prefixes_yue,
  zh: prefixes_zh,
};

const cache = new Map<string, ReadonlyMap<string, PrefixKind>>();

/** Whether Moses has a prefix file for this language code. */
export function hasPrefixList(lang: string): boolean {
  return Object.hasOwn(BY_LANGUAGE, lang);
}

/**
 * The prefix table tokenizer.perl -l lang loads: the language's own list, or English's when Moses has
 * none for that code (as load_prefixes falls back).
 */
export function nonbreakingPrefixes(lang: string): ReadonlyMap<string, PrefixKind> {
  const key = hasPrefixList(lang) ? lang : 'en';
  let table = cache.get(key);
  if (!table) {
    const list = BY_LANGUAGE[key]!;
    const map = new Map<string, PrefixKind>();
    for (const p of list.always) map.set(p, 1);
    for (const p of list.numericOnly) map.set(p, 2);
    table = map;
    cache.set(key, table);
  }
  return table;
}
