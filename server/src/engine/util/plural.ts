/** "1 line", "2 lines": a count with its noun in the right number (`text` formats the count). */
export function plural(n: number, one: string, many = `${one}s`, text: (n: number) => string = String): string {
  return `${text(n)} ${n === 1 ? one : many}`;
}
