/**
 * The extension manifest, its generated files and its grammar agree with the code: every contributed
 * command is registered and every registered command contributed; the committed JSON Schema and
 * docs/config.md are what the schema module generates today; the log grammar colours a real line.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { configDocs, DOCS_FILE, SCHEMA_FILE, schemaJson } from '../../../scripts/gen-schema.js';
import { formatProgress } from '../../../server/src/engine/train/reports.js';
import { BACKEND_CHOICES } from '../../../server/src/engine/backend/backendNames.js';
import { ROOT } from '../../helpers/paths.js';

interface Manifest {
  main: string;
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string }[];
    jsonValidation: { fileMatch: string[]; url: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
    languages: { id: string }[];
    configuration: { properties: Record<string, { default?: unknown }> };
    menus: Record<string, { command: string }[]>;
    keybindings: { command: string }[];
  };
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

test('contributed commands and registered handlers are the same set', () => {
  const source = readFileSync(join(ROOT, 'client/src/extension.ts'), 'utf8');
  const registered = [...source.matchAll(/'(mass\.[A-Za-z]+)':/g)].map((m) => m[1]).sort();
  const contributed = manifest.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(registered, contributed);
  for (const c of manifest.contributes.commands) assert.equal(c.category, 'MASS');
  const referenced = [...Object.values(manifest.contributes.menus).flat(), ...manifest.contributes.keybindings].map((m) => m.command);
  for (const id of referenced) assert.ok(contributed.includes(id), `${id} is referenced in menus/keybindings but not contributed`);
});

test('the committed JSON Schema and config docs are generated from the schema module', () => {
  assert.equal(readFileSync(join(ROOT, SCHEMA_FILE), 'utf8'), schemaJson(), `${SCHEMA_FILE} is stale: run npm run build`);
  assert.equal(readFileSync(join(ROOT, DOCS_FILE), 'utf8'), configDocs(), `${DOCS_FILE} is stale: run npm run build`);
  const [validation] = manifest.contributes.jsonValidation;
  assert.deepEqual(validation!.fileMatch, ['mass.config.json', '*.mass.json']);
  assert.equal(join(ROOT, validation!.url), join(ROOT, SCHEMA_FILE));
  const schema = JSON.parse(schemaJson()) as { properties: Record<string, { description?: string; default?: unknown }> };
  for (const [name, p] of Object.entries(schema.properties)) assert.ok(p.description, `${name} has no description`);
});

test('settings have defaults, and the MASS settings the issue names exist', () => {
  const props = manifest.contributes.configuration.properties;
  for (const key of [
    'mass.backend',
    'mass.daemon.memoryLimitMB',
    'mass.defaultLanguages',
    'mass.checkpointDirectory',
    'mass.translate.mode',
    'mass.summarize.mode',
  ]) {
    assert.ok(key in props, key);
    assert.ok(props[key]!.default !== undefined, `${key} has no default`);
  }
  // the setting offers exactly the engine's backends (server/src/engine/backend/backendNames.ts)
  assert.deepEqual((props['mass.backend'] as { enum?: unknown }).enum, [...BACKEND_CHOICES]);
});

interface Rule {
  match?: string;
  name?: string;
  include?: string;
  captures?: Record<string, { name: string }>;
}
interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

/**
 * Tokenizes one line with a grammar made only of `match` rules, by TextMate's rule: at each position
 * the rule whose match starts earliest wins, ties going to the first listed. Oniguruma and JS regexps
 * agree on the constructs this grammar uses (lookbehind, \b, classes).
 */
function tokenize(grammar: Grammar, line: string): [string, string][] {
  const rules = grammar.patterns.map((p) => grammar.repository[p.include!.slice(1)]!);
  const compiled = rules.map((r) => ({ rule: r, re: new RegExp(r.match!, 'gd') }));
  const out: [string, string][] = [];
  let pos = 0;
  while (pos < line.length) {
    let best: { m: RegExpExecArray; rule: Rule } | undefined;
    for (const { rule, re } of compiled) {
      re.lastIndex = pos;
      const m = re.exec(line);
      if (m && m[0].length > 0 && (!best || m.index < best.m.index)) best = { m, rule };
    }
    if (!best) break;
    const { m, rule } = best;
    if (rule.captures) {
      for (const [i, c] of Object.entries(rule.captures)) {
        const span = m.indices![Number(i)];
        if (span) out.push([line.slice(span[0], span[1]), c.name]);
      }
    } else out.push([m[0], rule.name!]);
    pos = m.index + m[0].length;
  }
  return out;
}

test('the training-log grammar colours a progress line, a score line and a failure', () => {
  const g = manifest.contributes.grammars[0]!;
  assert.ok(manifest.contributes.languages.some((l) => l.id === g.language));
  assert.ok(existsSync(join(ROOT, g.path)));
  const grammar = JSON.parse(readFileSync(join(ROOT, g.path), 'utf8')) as Grammar;
  assert.equal(grammar.scopeName, g.scopeName);

  const tokens = tokenize(grammar, 'epoch 1 step 40 | loss 5.12 ppl 167.3 | 812 tok/s | lr 2.0e-05 | mem 312 MB | eta 3m');
  const scopeOf = (text: string) => tokens.find(([t]) => t === text)?.[1];
  assert.equal(scopeOf('epoch'), 'keyword.other.label.mass-log');
  assert.equal(scopeOf('loss'), 'keyword.other.label.mass-log');
  assert.equal(scopeOf('5.12'), 'constant.numeric.mass-log');
  assert.equal(scopeOf('2.0e-05'), 'constant.numeric.mass-log');
  assert.equal(scopeOf('tok/s'), 'keyword.other.unit.mass-log');
  assert.equal(scopeOf('MB'), 'keyword.other.unit.mass-log');
  assert.equal(scopeOf('|'), 'punctuation.separator.mass-log');

  // The trainer's own progress line (what the output channel shows).
  const real = formatProgress({
    epoch: 2,
    step: 40,
    totalSteps: 400,
    losses: { 'MA-en': 5.1, 'MA-fr': 5.2 },
    loss: 5.15,
    ppl: 172.4,
    lr: 2e-5,
    tokensPerSecond: 812,
    memoryMB: 312,
    etaSeconds: 185,
    elapsedSeconds: 60,
  });
  const realTokens = tokenize(grammar, real);
  const realScope = (text: string) => realTokens.find(([t]) => t === text)?.[1];
  assert.equal(realScope('MA-en'), 'entity.name.type.step-kind.mass-log', real);
  assert.equal(realScope('5.1500'), 'constant.numeric.mass-log', real);
  assert.equal(realScope('3m05s'), 'constant.numeric.duration.mass-log', real);
  assert.equal(realScope('tok/s'), 'keyword.other.unit.mass-log', real);
  assert.equal(realScope('400'), 'constant.numeric.mass-log', real);

  const scores = tokenize(grammar, 'end of epoch 3: valid_en-fr_mt_bleu 12.40 | _valid_en_mass_ppl 84.1 | MA-en 4.21');
  assert.ok(scores.some(([t, s]) => t === 'valid_en-fr_mt_bleu' && s.startsWith('entity.name.function.metric')));
  assert.ok(scores.some(([t, s]) => t === 'MA-en' && s.startsWith('entity.name.type.step-kind')));
  assert.ok(scores.some(([t, s]) => t === 'end of epoch' && s.startsWith('keyword.control.event')));

  // Lines the trainer prints around evaluation.
  assert.deepEqual(tokenize(grammar, '============ End of epoch 1 ============'), [
    ['============ End of epoch 1 ============', 'markup.heading.banner.mass-log'],
  ]);
  assert.deepEqual(tokenize(grammar, 'valid_en-fr_mt_ppl -> 1074.389418'), [
    ['valid_en-fr_mt_ppl', 'entity.name.function.metric.mass-log'],
    ['->', 'punctuation.separator.mass-log'],
    ['1074.389418', 'constant.numeric.mass-log'],
  ]);
  const saved = tokenize(grammar, 'saved /tmp/w/dumped/e2e/2026-11-25T18-12-44-000Z/checkpoint.safetensors');
  assert.deepEqual(
    saved.map(([, s]) => s),
    ['keyword.control.event.mass-log', 'string.unquoted.path.mass-log'],
  );

  const failure = tokenize(grammar, 'step 120 | loss NaN ppl NaN | training diverged');
  assert.equal(failure.length, 1);
  assert.equal(failure[0]![1], 'invalid.illegal.error.mass-log');
});

test('the extension activates on a MASS config, and its entry is the bundle', () => {
  assert.equal(manifest.main, './dist/extension.js');
  assert.ok(manifest.activationEvents.includes('workspaceContains:**/mass.config.json'));
  assert.ok(manifest.activationEvents.includes('workspaceContains:**/*.mass.json'));
  assert.ok(manifest.activationEvents.includes('onWebviewPanel:mass.trainingPanel'));
});
