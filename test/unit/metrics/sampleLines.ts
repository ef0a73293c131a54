/**
 * Real lines of data/corpora/en-fr/valid.fr (REFS), hand-edited the way a translation system
 * errs (HYPS: words changed, dropped, a line left empty, one upper-cased), and a second,
 * hand-written reference (REFS2). Expected scores in the tests come from the original tools run on
 * exactly these lines (multi-bleu.perl, sacreBLEU 2.6.0, rouge-score with NLTK 3.8).
 */
export const REFS: readonly string[] = [
  'Le paquet fournit la collection de routines de gestion SoundFont, appelée AWElib.',
  'Par défaut, AWElib est installée comme une bibliothèque statique.',
  'système de sauvegarde/capture simple − interface graphique',
  "Ce paquet fournit l'interface graphique pour Back In Time.",
  'Charmap permet de sélectionner une police et de voir facilement toutes les glyphes que cette police propose.',
  'Cette bibliothèque Common Lisp vise à simplifier le travail avec les fichiers CSV :',
  "–⋅sfxtest : programme d'exemple de contrôle du pilote AWE.",
  'outil automatique pour sauvegarder périodiquement des bases de données PostgreSQL',
];

export const HYPS: readonly string[] = [
  'Le paquet fournit une collection de routines pour gérer SoundFont, nommée AWElib.',
  'Par défaut, AWElib est installée en tant que bibliothèque statique.',
  'système de sauvegarde simple − interface graphique',
  "Ce paquet fournit l'interface graphique de Back in Time.",
  'Charmap permet de choisir une police et de voir toutes les glyphes de cette police.',
  '',
  "–⋅sfxtest : programme d'exemple pour contrôler le pilote AWE.",
  'OUTIL automatique pour sauvegarder des bases de données PostgreSQL',
];

export const REFS2: readonly string[] = [
  'Ce paquet fournit la collection de routines SoundFont appelée AWElib.',
  'AWElib est installée par défaut comme bibliothèque statique.',
  'système simple de sauvegarde/capture − interface graphique',
  "Ce paquet contient l'interface graphique de Back In Time.",
  'Charmap permet de choisir une police et de voir facilement toutes ses glyphes.',
  'Cette bibliothèque Common Lisp simplifie le travail avec les fichiers CSV :',
  '–⋅sfxtest : exemple de programme de contrôle du pilote AWE.',
  'outil pour sauvegarder automatiquement des bases de données PostgreSQL',
];
