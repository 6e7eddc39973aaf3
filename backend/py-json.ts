/** JSON text as Python's json.dumps writes it, because the real backend's Metadata_JSON cells were made that way. */

/** Serialise like `json.dumps(value)`: `", "` and `": "` separators, non-ASCII escaped; `float` values keep `.0`. */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof PyFloat) return formatPyFloat(value.value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NaN';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return escapeAscii(JSON.stringify(value));
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${escapeAscii(JSON.stringify(k))}: ${pyJsonDumps(v)}`);
    return `{${parts.join(', ')}}`;
  }
  return escapeAscii(JSON.stringify(String(value)));
}

/** Marks a number that Python held as a float (so 12 prints as `12.0`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

function formatPyFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : n < 0 ? '-Infinity' : 'NaN';
  const s = String(n);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

function escapeAscii(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
