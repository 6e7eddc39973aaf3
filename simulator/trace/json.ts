// Hand-written JSON for the plain data a trace line holds (strings, finite numbers, booleans, null, plain objects
// and arrays). The output is byte-for-byte JSON.stringify's: anything unusual (toJSON, class instances, undefined at
// the top, non-finite numbers, deep nesting, cycles) is handed to JSON.stringify itself rather than imitated.

// JSON.stringify escapes `"`, `\`, U+0000..U+001F and lone surrogates; a string without any of them is quoted as is.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

// Past this depth the value goes to JSON.stringify, which also reports cycles with its usual TypeError.
const MAX_DEPTH = 32;

/** A string as JSON (identical to JSON.stringify(s)). */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** A value as JSON, identical to JSON.stringify(v) for every value (fast for plain data, delegated otherwise). */
export function jsonValue(v: unknown): string {
  const s = plain(v, 0);
  return s === undefined ? (JSON.stringify(v) as string) : s;
}

// Plain JSON of v, or undefined when v is something only JSON.stringify should decide.
function plain(v: unknown, depth: number): string | undefined {
  switch (typeof v) {
    case 'string':
      return jsonString(v);
    case 'number':
      // Number-to-string is the same algorithm JSON uses for finite numbers (-0 prints "0" in both).
      return Number.isFinite(v) ? `${v}` : undefined;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      if (depth >= MAX_DEPTH) return undefined;
      if (Array.isArray(v)) return array(v, depth + 1);
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) return undefined;
      return object(v as Record<string, unknown>, depth + 1);
    }
    default:
      return undefined;
  }
}

function array(a: readonly unknown[], depth: number): string | undefined {
  if (Object.getPrototypeOf(a) !== Array.prototype || 'toJSON' in a) return undefined;
  const n = a.length;
  if (n === 0) return '[]';
  let out = '[';
  for (let i = 0; i < n; i++) {
    const x = a[i];
    let s: string | undefined;
    // JSON.stringify writes null for holes and for elements it cannot represent.
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') s = 'null';
    else if (typeof x === 'string') s = jsonString(x);
    else {
      s = plain(x, depth);
      if (s === undefined) return undefined;
    }
    out += i === 0 ? s : `,${s}`;
  }
  return `${out}]`;
}

function object(o: Record<string, unknown>, depth: number): string | undefined {
  if ('toJSON' in o) return undefined;
  // Object.keys has JSON.stringify's key order (integer keys first, then insertion order).
  const keys = Object.keys(o);
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const x = o[k];
    // JSON.stringify leaves out properties it cannot represent.
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    let s: string | undefined;
    if (typeof x === 'string') s = jsonString(x);
    else {
      s = plain(x, depth);
      if (s === undefined) return undefined;
    }
    out += first ? `${jsonString(k)}:${s}` : `,${jsonString(k)}:${s}`;
    first = false;
  }
  return `${out}}`;
}
