/** Sheets number formats: a pattern (`dd-mm-yyyy`, `0.00%`, `#,##0`...) is compiled once into a formatter and cached. */
import { fromSerial } from './serial-dates.ts';
import type { NumberFormatSpec } from './workbook.ts';

type Formatter = (value: number) => string;

/** Default patterns per format type when the spec has none (`es_CL` defaults, with a `.` decimal point). */
const DEFAULT_PATTERNS: Record<NumberFormatSpec['type'], string> = {
  TEXT: '',
  NUMBER: '#,##0.00',
  PERCENT: '0.00%',
  CURRENCY: '$#,##0.00',
  DATE: 'dd-mm-yyyy',
  TIME: 'hh:mm:ss',
  DATE_TIME: 'dd-mm-yyyy hh:mm:ss',
  SCIENTIFIC: '0.00E+00',
};

const compiled = new Map<string, Formatter>();

/** Format a number with a Sheets number format pattern (`dd-mm-yyyy`, `yyyy-mm-dd`, `dd-mm-yyyy hh:mm:ss`, `0.00`, `0%`...). */
export function formatNumber(value: number, format: NumberFormatSpec): string {
  const pattern = format.pattern ?? DEFAULT_PATTERNS[format.type] ?? '';
  let formatter = compiled.get(pattern);
  if (formatter === undefined) {
    formatter = compilePattern(pattern);
    compiled.set(pattern, formatter);
  }
  return formatter(value);
}

function compilePattern(pattern: string): Formatter {
  // A pattern may hold positive;negative;zero;text sections; only the first is honoured (negatives get `-`).
  const section = pattern.split(';')[0]!;
  return compileDatePattern(section) ?? compileNumberPattern(section) ?? formatGeneral;
}

type DateToken = 'yyyy' | 'yy' | 'month' | 'month2' | 'd' | 'dd' | 'h' | 'hh' | 'minute' | 'minute2' | 's' | 'ss' | { literal: string };

const DATE_LITERALS = ' -/:.,';

/** Compile a date/time pattern (`dd-mm-yyyy hh:mm:ss`), or null when the pattern is not one. */
function compileDatePattern(pattern: string): Formatter | null {
  const tokens: DateToken[] = [];
  let i = 0;
  const p = pattern.toLowerCase();
  while (i < p.length) {
    const ch = p[i]!;
    let run = 1;
    while (p[i + run] === ch) run++;
    if (ch === 'y') {
      if (run !== 2 && run !== 4) return null;
      tokens.push(run === 4 ? 'yyyy' : 'yy');
    } else if (ch === 'm' || ch === 'd' || ch === 'h' || ch === 's') {
      if (run > 2) return null; // month and day names (`mmm`, `dddd`) are not supported
      tokens.push(ch === 'm' ? (run === 2 ? 'month2' : 'month') : ((run === 2 ? ch + ch : ch) as DateToken));
    } else if (DATE_LITERALS.includes(ch)) {
      tokens.push({ literal: pattern.slice(i, i + run) });
    } else {
      return null;
    }
    i += run;
  }
  if (tokens.every((t) => typeof t !== 'string')) return null;
  // `m` means minutes right after an hour or right before a second (skipping literals), else month.
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t !== 'month' && t !== 'month2') continue;
    const before = previousField(tokens, k);
    const after = nextField(tokens, k);
    if (before === 'h' || before === 'hh' || after === 's' || after === 'ss') tokens[k] = t === 'month' ? 'minute' : 'minute2';
  }
  return (value: number): string => {
    const c = fromSerial(value);
    let out = '';
    for (const t of tokens) {
      switch (t) {
        case 'yyyy': out += pad(c.year, 4); break;
        case 'yy': out += pad(((c.year % 100) + 100) % 100, 2); break;
        case 'month': out += c.month; break;
        case 'month2': out += pad(c.month, 2); break;
        case 'd': out += c.day; break;
        case 'dd': out += pad(c.day, 2); break;
        case 'h': out += c.hour; break;
        case 'hh': out += pad(c.hour, 2); break;
        case 'minute': out += c.minute; break;
        case 'minute2': out += pad(c.minute, 2); break;
        case 's': out += c.second; break;
        case 'ss': out += pad(c.second, 2); break;
        default: out += t.literal;
      }
    }
    return out;
  };
}

function previousField(tokens: DateToken[], k: number): DateToken | undefined {
  for (let j = k - 1; j >= 0; j--) if (typeof tokens[j] === 'string') return tokens[j];
  return undefined;
}

function nextField(tokens: DateToken[], k: number): DateToken | undefined {
  for (let j = k + 1; j < tokens.length; j++) if (typeof tokens[j] === 'string') return tokens[j];
  return undefined;
}

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

/** Optional literal prefix (`$`, `"US$ "`), the digits part, optional `%` or `E+00`, optional literal suffix. */
const NUMBER_PATTERN = /^((?:"[^"]*"|[$ ])*)(#,##0|0)(?:\.(0+))?(%|E\+0+)?((?:"[^"]*"|[$ ])*)$/;

/** Compile a numeric pattern (`0`, `0.00`, `#,##0`, `0%`, `0.00%`, `0.00E+00`), or null when the pattern is not one. */
function compileNumberPattern(pattern: string): Formatter | null {
  const m = NUMBER_PATTERN.exec(pattern);
  if (m === null) return null;
  const prefix = m[1]!.replaceAll('"', '');
  const grouped = m[2] === '#,##0';
  const decimals = m[3]?.length ?? 0;
  const kind = m[4] === undefined ? 'plain' : m[4] === '%' ? 'percent' : 'scientific';
  const exponentDigits = kind === 'scientific' ? m[4]!.length - 2 : 0;
  const suffix = m[5]!.replaceAll('"', '');
  return (value: number): string => {
    const negative = value < 0;
    let abs = Math.abs(kind === 'percent' ? value * 100 : value);
    let body: string;
    if (kind === 'scientific') {
      body = formatScientific(abs, decimals, exponentDigits);
    } else {
      abs = roundHalfUp(abs, decimals);
      body = abs.toFixed(decimals);
      if (grouped) body = groupThousands(body);
    }
    // A negative that rounds to zero prints without its sign (`-0.001` with `0.00` → `0.00`).
    const sign = negative && abs !== 0 ? '-' : '';
    return sign + prefix + body + (kind === 'percent' ? '%' : '') + suffix;
  };
}

/** Round half away from zero at `decimals` places, correcting binary artefacts (1.005 → 1.01 like Sheets, not 1.00). */
function roundHalfUp(abs: number, decimals: number): number {
  if (!Number.isFinite(abs) || abs >= 1e21) return abs;
  return Number(Math.round(Number(abs + 'e' + decimals)) + 'e-' + decimals);
}

function groupThousands(fixed: string): string {
  const dot = fixed.indexOf('.');
  const int = dot === -1 ? fixed : fixed.slice(0, dot);
  if (int.length <= 3) return fixed;
  let out = '';
  for (let i = 0; i < int.length; i++) {
    if (i > 0 && (int.length - i) % 3 === 0) out += ',';
    out += int[i];
  }
  return dot === -1 ? out : out + fixed.slice(dot);
}

function formatScientific(abs: number, decimals: number, exponentDigits: number): string {
  const [mantissa, exponent] = abs.toExponential(decimals).split('e') as [string, string];
  const exp = Number(exponent);
  return mantissa + 'E' + (exp < 0 ? '-' : '+') + pad(Math.abs(exp), Math.max(2, exponentDigits));
}

/** Sheets' general format (a number in a cell with no number format). */
export function formatGeneral(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e15 || abs < 1e-9) {
    const [mantissa, exponent] = formatScientific(abs, 9, 2).split('E') as [string, string];
    return (value < 0 ? '-' : '') + trimZeros(mantissa) + 'E' + exponent;
  }
  if (Number.isInteger(value)) return String(value);
  // Ten significant digits, never in exponent form inside [1e-9, 1e15).
  const decimals = Math.min(20, Math.max(0, 9 - Math.floor(Math.log10(abs))));
  return trimZeros(value.toFixed(decimals));
}

function trimZeros(text: string): string {
  if (!text.includes('.')) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  if (text.charCodeAt(end - 1) === 46) end--;
  return text.slice(0, end);
}
