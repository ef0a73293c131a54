import { UserError } from '../engine/errors.js';

export type OptionType = 'string' | 'number' | 'integer' | 'boolean';

export interface OptionSpec {
  name: string;
  type: OptionType;
  help: string;
  default?: string | number | boolean;
  /** Single-letter alias, without the dash. */
  short?: string;
  /** May be given several times; the values are collected into an array. */
  repeat?: boolean;
}

export interface ParsedArgs {
  options: Record<string, string | number | boolean | string[] | undefined>;
  positionals: string[];
}

function parseValue(spec: OptionSpec, raw: string, command: string): string | number | boolean {
  switch (spec.type) {
    case 'string':
      return raw;
    case 'boolean': {
      const v = raw.toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(v)) return true;
      if (['false', '0', 'no', 'off'].includes(v)) return false;
      throw new UserError(`${command}: --${spec.name} expects true or false, got '${raw}'`);
    }
    case 'number':
    case 'integer': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || (spec.type === 'integer' && !Number.isInteger(n))) {
        throw new UserError(`${command}: --${spec.name} expects ${spec.type === 'integer' ? 'an integer' : 'a number'}, got '${raw}'`);
      }
      return n;
    }
  }
}

/**
 * Parses `--name value`, `--name=value`, `-x value` and bare boolean `--name`. Unknown options are an
 * error naming the option; `--` ends option parsing.
 */
export function parseArgs(command: string, argv: string[], specs: OptionSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const options: ParsedArgs['options'] = {};
  for (const s of specs) if (s.default !== undefined) options[s.name] = s.default;
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      spec = byName.get(name) ?? byName.get(name.replace(/-/g, '_'));
      if (!spec) throw new UserError(`${command}: unknown option --${name} (see 'mass ${command} --help')`);
    } else if (arg.length === 2 && arg.startsWith('-') && arg !== '-') {
      spec = byShort.get(arg.slice(1));
      if (!spec) throw new UserError(`${command}: unknown option ${arg} (see 'mass ${command} --help')`);
    } else {
      positionals.push(arg);
      continue;
    }
    if (spec.type === 'boolean' && inline === undefined) {
      const next = argv[i + 1];
      if (next !== undefined && /^(true|false|on|off)$/i.test(next)) {
        options[spec.name] = parseValue(spec, next, command);
        i++;
      } else {
        options[spec.name] = true;
      }
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new UserError(`${command}: --${spec.name} needs a value`);
    if (spec.repeat) {
      const prev = options[spec.name];
      options[spec.name] = [...(Array.isArray(prev) ? prev : []), raw];
    } else {
      options[spec.name] = parseValue(spec, raw, command);
    }
  }
  return { options, positionals };
}

export function formatOptions(specs: OptionSpec[]): string {
  const rows = specs.map((s) => {
    const flag = `${s.short ? `-${s.short}, ` : ''}--${s.name}${s.type === 'boolean' ? '' : ` <${s.type}>`}${s.repeat ? ' ...' : ''}`;
    const def = s.default !== undefined ? ` (default: ${JSON.stringify(s.default)})` : '';
    return [flag, s.help + def] as const;
  });
  const width = Math.min(34, Math.max(0, ...rows.map(([f]) => f.length)) + 2);
  return rows.map(([f, h]) => `  ${f.padEnd(width)}${h}`).join('\n');
}
