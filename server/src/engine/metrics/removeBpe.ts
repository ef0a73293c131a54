/**
 * Undoes BPE segmentation the way XLM/MASS does before scoring BLEU:
 * `sed -r 's/(@@ )|(@@ ?$)//g'` (joins "fr@@ ance" → "france", drops a trailing "@@" or "@@ ").
 */
export function removeBpe(line: string): string {
  return line.replace(/(@@ )|(@@ ?$)/g, '');
}
