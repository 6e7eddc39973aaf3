/** Field readers for the realism configuration JSON (CLI files, `POST /__sheetsim/config`): each error names the field. */
import type { SheetsMethod } from './admin-types.ts';

/** A configuration value that is not what its field expects; the message starts with the field path. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Short rendering of a bad value for an error message. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Assert `value` is a plain JSON object whose keys are all in `allowed`. */
export function objectAt(value: unknown, field: string, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`${field}: expected an object, got ${show(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new ConfigError(`${field}.${key}: unknown field (expected one of ${allowed.join(', ')})`);
  }
  return value as Record<string, unknown>;
}

/** A finite number within [min, max]. */
export function numberAt(value: unknown, field: string, min: number, max: number, what = 'a number'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Infinity ? `at least ${min}` : `between ${min} and ${max}`;
    throw new ConfigError(`${field}: expected ${what} ${range}, got ${show(value)}`);
  }
  return value;
}

/** A whole number within [min, max]. */
export function integerAt(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw new ConfigError(`${field}: expected a whole number ${range}, got ${show(value)}`);
  }
  return value;
}

/** A probability in [0, 1]. */
export function rateAt(value: unknown, field: string): number {
  return numberAt(value, field, 0, 1, 'a rate');
}

/** Every Sheets method the mock serves, by Google's name. */
export const SHEETS_METHODS: readonly SheetsMethod[] = [
  'spreadsheets.get',
  'spreadsheets.create',
  'spreadsheets.batchUpdate',
  'values.get',
  'values.batchGet',
  'values.update',
  'values.batchUpdate',
  'values.append',
  'values.clear',
  'values.batchClear',
];

/** Methods that count as reads for quota and latency (Google: "any method that retrieves data"). */
export const READ_METHODS: ReadonlySet<SheetsMethod> = new Set<SheetsMethod>(['spreadsheets.get', 'values.get', 'values.batchGet']);

/** A Sheets method name such as `values.append`. */
export function methodAt(value: unknown, field: string): SheetsMethod {
  if (typeof value !== 'string' || !(SHEETS_METHODS as readonly string[]).includes(value)) {
    throw new ConfigError(`${field}: expected a Sheets method (${SHEETS_METHODS.join(', ')}), got ${show(value)}`);
  }
  return value as SheetsMethod;
}
