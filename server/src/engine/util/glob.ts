import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';

function segmentRegex(seg: string): RegExp {
  let re = '';
  for (const ch of seg) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const hasMagic = (s: string) => /[*?]/.test(s);

/**
 * Expands a path pattern with `*`, `?` and `**` (any number of folders) relative to `base`, sorted;
 * a pattern without wildcards is returned as is (existence is checked by the caller, which can then
 * name the missing file). Hidden folders and node_modules are not descended into by `**`.
 */
export async function expandGlob(pattern: string, base: string): Promise<string[]> {
  const abs = isAbsolute(pattern) ? pattern : resolve(base, pattern);
  if (!hasMagic(abs)) return [abs];
  const parts = abs.split(sep);
  let fixed = parts[0] === '' ? sep : parts[0]!;
  let i = 1;
  while (i < parts.length && !hasMagic(parts[i]!)) fixed = join(fixed, parts[i++]!);
  const results: string[] = [];
  async function walk(dir: string, rest: string[]): Promise<void> {
    if (rest.length === 0) {
      results.push(dir);
      return;
    }
    const [seg, ...tail] = rest as [string, ...string[]];
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (seg === '**') {
      await walk(dir, tail);
      for (const e of entries) {
        if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') await walk(join(dir, e.name), rest);
      }
      return;
    }
    const re = segmentRegex(seg);
    for (const e of entries) {
      if (!re.test(e.name)) continue;
      const p = join(dir, e.name);
      if (tail.length === 0) {
        if (e.isFile() || (e.isSymbolicLink() && (await stat(p).catch(() => undefined))?.isFile())) results.push(p);
      } else if (e.isDirectory()) {
        await walk(p, tail);
      }
    }
  }
  await walk(fixed, parts.slice(i));
  return [...new Set(results)].sort();
}
