/**
 * One pass over a corpus file for the editor's diagnostics: invalid UTF-8, NUL bytes, over-long and
 * empty lines, lines in another language, and heavy exact duplication, each with its line number.
 * Built for big files and a responsive daemon: the file is streamed in 64 KiB chunks, the work is cut
 * into slices of a few milliseconds with a macrotask yield between them (so requests are answered
 * while a scan runs), the scan stops at once when its AbortSignal fires, and the expensive parts are
 * capped (language identification samples lines; duplicate tracking holds at most `maxTracked`
 * distinct lines; at most `maxIssuesPerKind` lines are reported per kind, with a count of the rest).
 * No LSP imports: the daemon turns the report into diagnostics.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { firstInvalidUtf8 } from '../../engine/text/corpusReader.js';
import { identifyLanguage, isIdentifiable } from './detectLanguage.js';

export type IssueKind = 'invalid-utf8' | 'nul-byte' | 'too-long' | 'empty' | 'wrong-language' | 'duplicate';
export type IssueSeverity = 'error' | 'warning' | 'info';

export interface CorpusIssue {
  kind: IssueKind;
  /** 1-based line number. */
  line: number;
  /** Length of the line in UTF-16 code units (for the editor's range). */
  length: number;
  severity: IssueSeverity;
  message: string;
}

export interface DuplicateLine {
  text: string;
  count: number;
  /** 1-based line numbers: the first occurrence, then up to a few more. */
  lines: number[];
}

export interface CorpusReport {
  path: string;
  bytes: number;
  lines: number;
  nonEmpty: number;
  counts: Record<IssueKind, number>;
  /** Lines confidently identified, per language (over the sampled lines). */
  languages: Record<string, number>;
  identified: number;
  /** The language most sampled lines are in, when clear (≥ 60% of at least 20 identified lines). */
  majority?: string;
  /** The language the file was checked against: the declared one, else the majority. */
  checkedLang?: string;
  /** Lines that repeat an earlier line (each repeat counted once). */
  repeats: number;
  topDuplicates: DuplicateLine[];
  issues: CorpusIssue[];
  /** What the caps left out, for messages. */
  notes: string[];
}

export interface ScanOptions {
  /** The language the file should be in, and why (for messages). */
  expectedLang?: string;
  expectedFrom?: string;
  /** Lines of a parallel file (changes the empty-line message). */
  parallel?: boolean;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Work between yields to the event loop (default 8 ms). */
  sliceMs?: number;
  maxIssuesPerKind?: number;
  /** Identify every line up to this many, then every 50th (default 20,000). */
  languageSample?: number;
  /** Repeats above this fraction of non-empty lines are "heavy duplication" (default 0.05). */
  duplicateThreshold?: number;
  /** Distinct lines remembered for duplicate detection (default 1,000,000). */
  maxTracked?: number;
  maxLineBytes?: number;
}

export const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  fr: 'French',
  de: 'German',
  ro: 'Romanian',
  es: 'Spanish',
  it: 'Italian',
  pt: 'Portuguese',
  nl: 'Dutch',
};
export const languageName = (code: string) => LANGUAGE_NAMES[code] ?? `'${code}'`;

export class ScanAborted extends Error {
  constructor() {
    super('corpus scan cancelled');
    this.name = 'AbortError';
  }
}

/** Two 32-bit FNV-1a variants folded into one 53-bit number: collisions are negligible at a million lines. */
function lineHash(buf: Buffer): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ buf.length;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    h1 = Math.imul(h1 ^ b, 0x01000193);
    h2 = Math.imul(h2 ^ b, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));
const fmt = (n: number) => n.toLocaleString('en-US');

export async function scanCorpus(path: string, opts: ScanOptions = {}): Promise<CorpusReport> {
  const sliceMs = opts.sliceMs ?? 8;
  const maxIssues = opts.maxIssuesPerKind ?? 100;
  const sampleAll = opts.languageSample ?? 20000;
  const maxTracked = opts.maxTracked ?? 1_000_000;
  const maxLine = opts.maxLineBytes ?? 1 << 20;
  const threshold = opts.duplicateThreshold ?? 0.05;
  const signal = opts.signal;
  const total = (await stat(path)).size;

  const counts: Record<IssueKind, number> = { 'invalid-utf8': 0, 'nul-byte': 0, 'too-long': 0, empty: 0, 'wrong-language': 0, duplicate: 0 };
  const first: Partial<Record<IssueKind, number>> = {};
  const issues: CorpusIssue[] = [];
  const notes: string[] = [];
  const languages: Record<string, number> = {};
  /** Per language: lines identified with strong evidence (line, length), for wrong-language issues. */
  const strongLines = new Map<string, { line: number; length: number }[]>();
  const strongCounts: Record<string, number> = {};
  let identified = 0;
  let sampled = 0;
  const seen = new Map<number, number>();
  const dups = new Map<number, DuplicateLine>();
  let trackingFull = false;
  let lineNo = 0;
  let nonEmpty = 0;
  let repeats = 0;

  const issue = (kind: IssueKind, line: number, length: number, severity: IssueSeverity, message: string) => {
    counts[kind]++;
    first[kind] ??= line;
    if (counts[kind] <= maxIssues) issues.push({ kind, line, length, severity, message });
  };

  const onLine = (raw: Buffer, overlong: boolean) => {
    lineNo++;
    const buf = raw.length > 0 && raw[raw.length - 1] === 13 ? raw.subarray(0, raw.length - 1) : raw;
    if (overlong || buf.length > maxLine) {
      issue('too-long', lineNo, 0, 'error', `line is longer than ${fmt(maxLine)} bytes (not a text corpus line?)`);
      return;
    }
    if (buf.indexOf(0) >= 0) {
      issue('nul-byte', lineNo, buf.toString('utf8').length, 'error', 'line contains a NUL byte (binary data?); it will be skipped');
      return;
    }
    if (!isUtf8(buf)) {
      issue(
        'invalid-utf8',
        lineNo,
        buf.toString('utf8').length,
        'error',
        `invalid UTF-8 at byte ${firstInvalidUtf8(buf)} of the line; the line will be skipped (re-encode the file as UTF-8)`,
      );
      return;
    }
    const text = buf.toString('utf8');
    if (text.trim().length === 0) {
      issue(
        'empty',
        lineNo,
        text.length,
        'warning',
        opts.parallel ? 'empty line: it is skipped in training, and so is its partner line in the parallel file' : 'empty line: it is skipped in training',
      );
      return;
    }
    nonEmpty++;
    const h = lineHash(buf);
    const firstAt = seen.get(h);
    if (firstAt !== undefined) {
      repeats++;
      const d = dups.get(h);
      if (d) {
        d.count++;
        if (d.lines.length < 6) d.lines.push(lineNo);
      } else {
        dups.set(h, { text: text.length > 200 ? text.slice(0, 200) + '…' : text, count: 2, lines: [firstAt, lineNo] });
      }
    } else if (seen.size < maxTracked) {
      seen.set(h, lineNo);
    } else {
      trackingFull = true;
    }
    if (nonEmpty <= sampleAll || nonEmpty % 50 === 0) {
      sampled++;
      const guess = identifyLanguage(text);
      if (guess) {
        identified++;
        languages[guess.lang] = (languages[guess.lang] ?? 0) + 1;
        if (guess.score >= 3) {
          strongCounts[guess.lang] = (strongCounts[guess.lang] ?? 0) + 1;
          const list = strongLines.get(guess.lang) ?? [];
          if (list.length < maxIssues) list.push({ line: lineNo, length: text.length });
          strongLines.set(guess.lang, list);
        }
      }
    }
  };

  let sliceStart = performance.now();
  let bytesRead = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overlong = false;
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(10, start);
        if (nl < 0) break;
        let line: Buffer;
        if (pendingBytes > 0 || overlong) {
          if (!overlong) pending.push(chunk.subarray(start, nl));
          line = overlong ? Buffer.alloc(0) : Buffer.concat(pending);
          pending = [];
          pendingBytes = 0;
        } else {
          line = chunk.subarray(start, nl);
        }
        onLine(line, overlong);
        overlong = false;
        start = nl + 1;
        if ((lineNo & 255) === 0 && performance.now() - sliceStart > sliceMs) {
          await yieldToEventLoop();
          if (signal?.aborted) throw new ScanAborted();
          sliceStart = performance.now();
        }
      }
      if (start < chunk.length && !overlong) {
        pendingBytes += chunk.length - start;
        if (pendingBytes > maxLine) {
          overlong = true;
          pending = [];
          pendingBytes = 0;
        } else {
          pending.push(Buffer.from(chunk.subarray(start)));
        }
      }
      opts.onProgress?.(bytesRead, total);
      if (performance.now() - sliceStart > sliceMs) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
      if (signal?.aborted) throw new ScanAborted();
    }
    if (pendingBytes > 0 || overlong) onLine(overlong ? Buffer.alloc(0) : Buffer.concat(pending), overlong);
  } finally {
    stream.destroy();
  }

  // ---- language: the declared language, else the file's own majority
  let majority: string | undefined;
  const ranked = Object.entries(languages).sort((a, b) => b[1] - a[1]);
  if (identified >= 20 && ranked[0] && ranked[0][1] >= 0.6 * identified) majority = ranked[0][0];
  const declared = opts.expectedLang && isIdentifiable(opts.expectedLang) ? opts.expectedLang : undefined;
  const checkedLang = declared ?? majority;
  if (declared && identified >= 20 && ranked[0] && ranked[0][0] !== declared && ranked[0][1] >= 0.5 * identified) {
    const [lang, n] = ranked[0];
    issue(
      'wrong-language',
      1,
      0,
      'warning',
      `most lines look like ${languageName(lang)} (${Math.round((100 * n) / identified)}% of ${fmt(identified)} identified lines), but this file should be ${languageName(declared)} (${opts.expectedFrom ?? 'declared'})`,
    );
  } else if (checkedLang) {
    const wrong = [...strongLines.entries()]
      .filter(([l]) => l !== checkedLang)
      .flatMap(([l, list]) => list.map((x) => ({ ...x, lang: l })))
      .sort((a, b) => a.line - b.line);
    const why = declared
      ? `this file should be ${languageName(checkedLang)} (${opts.expectedFrom ?? 'declared'})`
      : `most of this file is ${languageName(checkedLang)}`;
    for (const w of wrong) issue('wrong-language', w.line, w.length, 'info', `this line looks like ${languageName(w.lang)}, but ${why}`);
    const strongWrong = Object.entries(strongCounts)
      .filter(([l]) => l !== checkedLang)
      .reduce((a, [, n]) => a + n, 0);
    counts['wrong-language'] = Math.max(counts['wrong-language'], strongWrong);
  }
  if (nonEmpty > sampleAll) notes.push(`language checked on ${fmt(sampled)} sampled lines`);

  // ---- duplication
  const top = [...dups.values()].sort((a, b) => b.count - a.count || a.lines[0]! - b.lines[0]!);
  if (trackingFull) notes.push(`duplicates counted among the first ${fmt(maxTracked)} distinct lines`);
  if (nonEmpty > 0 && repeats >= 10 && repeats / nonEmpty >= threshold) {
    const worst = top[0]!;
    issue(
      'duplicate',
      worst.lines[0]!,
      worst.text.length,
      'warning',
      `heavy duplication: ${fmt(repeats)} of ${fmt(nonEmpty)} non-empty lines (${((100 * repeats) / nonEmpty).toFixed(1)}%) repeat an earlier line; the most repeated line occurs ${fmt(worst.count)} times (first at line ${worst.lines[0]})`,
    );
    for (const d of top.slice(0, 10)) {
      const more = d.count > d.lines.length ? ', …' : '';
      issue('duplicate', d.lines[0]!, d.text.length, 'info', `this line occurs ${fmt(d.count)} times (lines ${d.lines.join(', ')}${more})`);
    }
  }
  counts.duplicate = repeats;

  // ---- what the caps hid
  for (const kind of Object.keys(counts) as IssueKind[]) {
    if (kind === 'duplicate') continue;
    if (counts[kind] > maxIssues)
      notes.push(`${fmt(counts[kind])} ${kind} lines in all (first at line ${first[kind]}); only the first ${maxIssues} are marked`);
  }
  issues.sort((a, b) => a.line - b.line);
  return {
    path,
    bytes: total,
    lines: lineNo,
    nonEmpty,
    counts,
    languages,
    identified,
    majority,
    checkedLang,
    repeats,
    topDuplicates: top.slice(0, 10),
    issues,
    notes,
  };
}
