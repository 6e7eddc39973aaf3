import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import { UsageError } from '../errors.ts';

// The errors live below every layer (simulator/errors.ts); commands keep importing them from here.
export { InputError, UsageError } from '../errors.ts';

/** One flag of a command, as `--help` shows it and the parser reads it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in `--help` after the flag, e.g. `N`, `FILE`, `URL`. */
  valueName?: string;
  description: string;
  /** Shown in `--help`; defaults are applied by the command itself, so help and behaviour agree. */
  defaultText?: string;
  multiple?: boolean;
}

/** Everything a command receives: parsed flags, positionals and its I/O. */
export interface CommandContext {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT/SIGTERM; long-running commands stop cleanly when it fires. */
  signal: AbortSignal;
  /** True when stdout is a terminal (colour, live progress). */
  isTTY: boolean;
}

/** A `sheetsim <name>` sub-command. `run` returns the exit code (0 ok, 1 a check failed). */
export interface Command {
  name: string;
  summary: string;
  /** Usage line after `sheetsim <name>`, e.g. `[options] FILE`. */
  usage: string;
  /** Paragraphs shown by `--help` after the usage line. */
  description?: string;
  options: Record<string, OptionSpec>;
  /** Example invocations shown by `--help`. */
  examples?: string[];
  /** Internal commands (a child process sheetsim starts itself) are left out of the command list. */
  hidden?: boolean;
  run(ctx: CommandContext): Promise<number>;
}

const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

// `--workers -3`: node's parser refuses a value that starts with a dash ("ambiguous ... use --workers=-XYZ"). A
// negative number after a flag that takes a value is that flag's value, so the flag's own check can answer it.
function attachNegativeValues(argv: string[], options: Record<string, { type: 'string' | 'boolean'; short?: string }>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const long = /^--([^=]+)$/.exec(arg);
    const short = /^-([^-])$/.exec(arg);
    const name = long ? long[1]! : short ? Object.keys(options).find((k) => options[k]!.short === short[1]) : undefined;
    if (name && options[name]?.type === 'string' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`--${name}=${next}`);
      i += 1;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** Parse argv for one command with node's strict parser; unknown flags become a UsageError. */
export function parseCommandArgs(command: Command, argv: string[]): { values: CommandContext['values']; positionals: string[]; help: boolean } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  try {
    const parsed = parseArgs({ args: attachNegativeValues(argv, options), options, allowPositionals: true, strict: true, allowNegative: true } as Parameters<typeof parseArgs>[0]);
    const values = parsed.values as CommandContext['values'];
    return { values, positionals: parsed.positionals, help: values.help === true };
  } catch (err) {
    const message = (err as Error).message;
    // Node explains this one in three lines; one is enough.
    const ambiguous = /^Option '(?:-\w, )?(--[\w-]+)[^']*' argument is ambiguous/.exec(message);
    if (ambiguous) throw new UsageError(`${ambiguous[1]} expects a value; to give one that starts with a dash, write ${ambiguous[1]}=VALUE`);
    throw new UsageError(`${message.replace(/\. To specify a positional argument.*$/s, '')} (see 'sheetsim ${command.name} --help')`);
  }
}

/** The `--help` text of a command. */
export function formatHelp(command: Command): string {
  const lines = [`Usage: sheetsim ${command.name} ${command.usage}`.trimEnd(), '', command.summary];
  if (command.description) lines.push('', command.description.trim());
  const rows: [string, string][] = Object.entries(command.options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
    const desc = spec.description + (spec.defaultText !== undefined ? ` (default: ${spec.defaultText})` : '');
    return [flag, desc];
  });
  rows.push(['-h, --help', 'Show this help.']);
  const width = Math.min(34, Math.max(...rows.map(([f]) => f.length)) + 2);
  lines.push('', 'Options:');
  for (const [flag, desc] of rows) {
    lines.push(flag.length + 2 > width ? `  ${flag}\n  ${' '.repeat(width)}${desc}` : `  ${flag.padEnd(width)}${desc}`);
  }
  if (command.examples?.length) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  return lines.join('\n') + '\n';
}

// ---- typed flag readers: each names the flag and what was expected --------------------------

/** A string flag, or the fallback. */
export function stringOpt(ctx: CommandContext, name: string, fallback: string): string;
export function stringOpt(ctx: CommandContext, name: string, fallback?: undefined): string | undefined;
export function stringOpt(ctx: CommandContext, name: string, fallback?: string): string | undefined {
  const v = ctx.values[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw new UsageError(`--${name} expects a value`);
  return v;
}

/** An integer flag within [min, max]. */
export function intOpt(ctx: CommandContext, name: string, fallback: number, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  const v = stringOpt(ctx, name);
  if (v === undefined) return fallback;
  if (!/^-?\d+$/.test(v.trim())) throw new UsageError(`--${name} expects a whole number, got '${v}'`);
  const n = Number(v);
  if (n < min || n > max) {
    throw new UsageError(max === Number.MAX_SAFE_INTEGER ? `--${name} must be a whole number >= ${min}, got ${n}` : `--${name} must be between ${min} and ${max}, got ${n}`);
  }
  return n;
}

/** A decimal flag within [min, max]. */
export function numberOpt(ctx: CommandContext, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  const v = stringOpt(ctx, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} expects a number, got '${v}'`);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** One of a fixed set of words. */
export function enumOpt<T extends string>(ctx: CommandContext, name: string, allowed: readonly T[], fallback: T): T {
  const v = stringOpt(ctx, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${v}'`);
  return v as T;
}

/** A boolean flag (`--x` / `--no-x`). */
export function boolOpt(ctx: CommandContext, name: string, fallback = false): boolean {
  const v = ctx.values[name];
  return v === undefined ? fallback : v === true;
}

/** Parse a duration such as `300`, `90s`, `5m`, `1h`, `250ms` into milliseconds. */
export function parseDuration(text: string, flag = 'duration'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`--${flag} expects a duration like 90s, 5m or 1h, got '${text}'`);
  const unit = m[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  const ms = Math.round(Number(m[1]) * factor);
  if (ms <= 0) throw new UsageError(`--${flag} must be longer than zero, got '${text}'`);
  return ms;
}

/** A duration flag in milliseconds. */
export function durationOpt(ctx: CommandContext, name: string, fallbackMs: number): number {
  const v = stringOpt(ctx, name);
  return v === undefined ? fallbackMs : parseDuration(v, name);
}
