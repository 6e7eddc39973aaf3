/**
 * Cell values as Sheets stores, parses and renders them.
 * Pure and hot: every cell of every request passes through here, so patterns are compiled once
 * (module-level regexes, a cache of compiled number formats) and nothing reads a clock or a time zone.
 *
 * Behaviours chosen where Google's is unknown or deliberately simplified (cited by docs/fidelity.md):
 * - Input numbers are plain decimals with a `.` point (`4`, `-3.5`, `.5`, `1e3`, `+2`); no thousands
 *   separators and no `es_CL` decimal comma (`1,5` stays a string). Surrounding spaces are trimmed.
 * - Dates are read day-first (`DD-MM-YYYY`, `DD/MM/YYYY`, 1–2 digit day and month) or ISO (`YYYY-MM-DD`),
 *   optionally followed by ` HH:MM` or ` HH:MM:SS` (24 h). Impossible dates (`31-02-2026`) stay strings.
 *   Time-only input (`11:33`), month names and two-digit years are not parsed (they stay strings).
 * - A typed date/date-time keeps an existing DATE/DATE_TIME/TIME format (so a date-time typed into a
 *   `dd-mm-yyyy` column renders without its time, as Sheets does with an explicit format); otherwise it
 *   sets `dd-mm-yyyy[ hh:mm:ss]` (day-first input) or `yyyy-mm-dd[ hh:mm:ss]` (ISO input).
 * - A typed percentage keeps an existing PERCENT format; otherwise `0%` (integer) or `0.00%`.
 * - USER_ENTERED text into a TEXT-formatted (plain text) cell stays text, as in the Sheets UI.
 * - `'` alone (an apostrophe with nothing after it) clears the cell; `'0042` stores the string `0042`.
 * - Formulas are stored, never evaluated: their value is null and FORMATTED_VALUE/UNFORMATTED_VALUE
 *   render them as `""`; FORMULA renders the formula text.
 * - FORMULA on a non-formula cell renders as UNFORMATTED_VALUE (so a date is its serial unless
 *   dateTimeRenderOption is FORMATTED_STRING).
 * - The general format (no number format) prints integers without decimals and other numbers with up to
 *   10 significant digits, `.` as the decimal point (the `es_CL` comma is not reproduced), and
 *   `1.5E+15`-style scientific notation from 1e15 up or below 1e-9.
 */
import type { NumberFormatSpec } from './workbook.ts';

export type ValueInputOption = 'RAW' | 'USER_ENTERED';
export type ValueRenderOption = 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';
export type DateTimeRenderOption = 'SERIAL_NUMBER' | 'FORMATTED_STRING';

/** A stored cell. `value` is the effective value (formulas are not evaluated: their value is null). */
export interface StoredCell {
  value: number | string | boolean | null;
  /** The formula text (`=SUM(A1:A3)`) when the cell holds one. */
  formula?: string;
  /** The cell's own number format (set when a date/percent was typed with USER_ENTERED, or by the workbook). */
  format?: NumberFormatSpec;
}

/** What writing one input value does to a cell. */
export type CellWrite =
  /** `cell.format` present: the write sets the cell's format; absent: the cell keeps the format it had. */
  | { kind: 'set'; cell: StoredCell }
  /** `""` clears the cell's value (its format stays). */
  | { kind: 'clear' }
  /** `null` in the input leaves the cell untouched (Google: "Null values will be skipped"). */
  | { kind: 'skip' };

/** Thrown for an input value of a type Sheets does not accept (objects, arrays). */
export class ValueTypeError extends Error {
  override name = 'ValueTypeError';
}

const SKIP: CellWrite = Object.freeze({ kind: 'skip' }) as CellWrite;
const CLEAR: CellWrite = Object.freeze({ kind: 'clear' }) as CellWrite;

const NUMBER_TEXT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const PERCENT_TEXT = /^([+-]?(?:[0-9]+(\.[0-9]*)?|\.[0-9]+))%$/;
const DAY_FIRST = /^([0-9]{1,2})([-/])([0-9]{1,2})\2([0-9]{4})(?: ([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?$/;
const ISO_DATE = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?: ([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?$/;

const FORMAT_PERCENT_INT: NumberFormatSpec = Object.freeze({ type: 'PERCENT', pattern: '0%' });
const FORMAT_PERCENT_DEC: NumberFormatSpec = Object.freeze({ type: 'PERCENT', pattern: '0.00%' });
const FORMAT_DATE_DAY_FIRST: NumberFormatSpec = Object.freeze({ type: 'DATE', pattern: 'dd-mm-yyyy' });
const FORMAT_DATE_ISO: NumberFormatSpec = Object.freeze({ type: 'DATE', pattern: 'yyyy-mm-dd' });
const FORMAT_DATE_TIME_DAY_FIRST: NumberFormatSpec = Object.freeze({ type: 'DATE_TIME', pattern: 'dd-mm-yyyy hh:mm:ss' });
const FORMAT_DATE_TIME_ISO: NumberFormatSpec = Object.freeze({ type: 'DATE_TIME', pattern: 'yyyy-mm-dd hh:mm:ss' });

function isDateFormat(format: NumberFormatSpec | undefined): boolean {
  return format !== undefined && (format.type === 'DATE' || format.type === 'DATE_TIME' || format.type === 'TIME');
}

function setCell(value: number | string | boolean, format?: NumberFormatSpec): CellWrite {
  return format === undefined ? { kind: 'set', cell: { value } } : { kind: 'set', cell: { value, format } };
}

/** A typed date or date-time, or null when `text` is not one (or names an impossible day or time). */
function parseDateText(text: string, existingFormat: NumberFormatSpec | undefined): CellWrite | null {
  let m = DAY_FIRST.exec(text);
  let dayFirst = true;
  let year: number, month: number, day: number;
  if (m !== null) {
    day = +m[1]!;
    month = +m[3]!;
    year = +m[4]!;
  } else {
    m = ISO_DATE.exec(text);
    if (m === null) return null;
    dayFirst = false;
    year = +m[1]!;
    month = +m[2]!;
    day = +m[3]!;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const timeAt = dayFirst ? 5 : 4;
  const hasTime = m[timeAt] !== undefined;
  const hour = hasTime ? +m[timeAt]! : 0;
  const minute = hasTime ? +m[timeAt + 1]! : 0;
  const second = m[timeAt + 2] !== undefined ? +m[timeAt + 2]! : 0;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const serial = toSerial(year, month, day, hour, minute, second);
  if (isDateFormat(existingFormat)) return setCell(serial);
  const format = hasTime
    ? dayFirst ? FORMAT_DATE_TIME_DAY_FIRST : FORMAT_DATE_TIME_ISO
    : dayFirst ? FORMAT_DATE_DAY_FIRST : FORMAT_DATE_ISO;
  return setCell(serial, format);
}

/** Interpret a string typed by a user (USER_ENTERED). */
function parseUserEntered(input: string, existingFormat: NumberFormatSpec | undefined): CellWrite {
  const first = input.charCodeAt(0);
  if (first === 39 /* ' */) return input.length === 1 ? CLEAR : setCell(input.slice(1));
  if (first === 61 /* = */) return { kind: 'set', cell: { value: null, formula: input } };
  if (existingFormat !== undefined && existingFormat.type === 'TEXT') return setCell(input);

  const text = input.trim();
  if (text.length === 0) return setCell(input);
  const upper = text.length <= 5 ? text.toUpperCase() : '';
  if (upper === 'TRUE') return setCell(true);
  if (upper === 'FALSE') return setCell(false);

  const c = text.charCodeAt(0);
  const numeric = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46; // digit + - .
  if (!numeric) return setCell(input);
  if (NUMBER_TEXT.test(text)) return setCell(Number(text));
  const pct = PERCENT_TEXT.exec(text);
  if (pct !== null) {
    const value = Number(pct[1]) / 100;
    if (existingFormat !== undefined && existingFormat.type === 'PERCENT') return setCell(value);
    return setCell(value, pct[2] !== undefined && pct[2].length > 1 ? FORMAT_PERCENT_DEC : FORMAT_PERCENT_INT);
  }
  return parseDateText(text, existingFormat) ?? setCell(input);
}

/**
 * Interpret one input value. RAW keeps strings as strings; USER_ENTERED parses numbers, booleans (TRUE/FALSE),
 * percentages (`5%` → 0.05 with a PERCENT format), `=` formulas, and day-first dates and date-times
 * (`DD-MM-YYYY`, `DD/MM/YYYY`, `DD-MM-YYYY HH:MM:SS`, `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS`) into serial numbers with a DATE or
 * DATE_TIME format. `existingFormat` is the column/cell format already there (a typed date keeps it).
 */
export function parseInput(input: unknown, option: ValueInputOption, existingFormat?: NumberFormatSpec): CellWrite {
  if (input === null || input === undefined) return SKIP;
  switch (typeof input) {
    case 'string':
      if (input.length === 0) return CLEAR;
      return option === 'RAW' ? setCell(input) : parseUserEntered(input, existingFormat);
    case 'number':
      if (!Number.isFinite(input)) throw new ValueTypeError(`expected a finite number, got ${input}`);
      return setCell(input);
    case 'boolean':
      return setCell(input);
    default:
      throw new ValueTypeError(
        `expected a string, number or boolean, got ${Array.isArray(input) ? 'an array' : typeof input === 'object' ? 'an object' : typeof input}`,
      );
  }
}

/**
 * Render a stored cell for a response. `effectiveFormat` is the cell's format or else its column's.
 * FORMATTED_VALUE gives the display string (numbers in a date format render as dates; plain numbers as
 * Sheets shows them, with a `.` decimal point); UNFORMATTED_VALUE gives numbers/booleans/strings raw, dates as
 * serials, or as formatted strings when dateTimeRenderOption is FORMATTED_STRING; FORMULA gives the formula text.
 */
export function renderCell(
  cell: StoredCell,
  valueRender: ValueRenderOption,
  dateTimeRender: DateTimeRenderOption,
  effectiveFormat?: NumberFormatSpec,
): string | number | boolean {
  if (valueRender === 'FORMULA' && cell.formula !== undefined) return cell.formula;
  const value = cell.value;
  if (value === null) return '';
  if (valueRender === 'FORMATTED_VALUE') {
    if (typeof value === 'number') return effectiveFormat === undefined ? formatGeneral(value) : formatNumber(value, effectiveFormat);
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    return value;
  }
  if (typeof value === 'number' && dateTimeRender === 'FORMATTED_STRING' && isDateFormat(effectiveFormat)) {
    return formatNumber(value, effectiveFormat!);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Serial numbers. Integer day arithmetic on the proleptic Gregorian calendar (H. Hinnant's
// days_from_civil), so no Date object, no time zone: a serial is wall-clock time in the sheet's zone.

/** Day number of 1899-12-30 counted from 1970-01-01. */
const EPOCH_DAYS = -25569;

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1-based month) of the Gregorian calendar; 1900 is not a leap year, as in Sheets. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Serial number (days since 1899-12-30, fraction = time of day) of a calendar date-time. */
export function toSerial(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const days = daysFromCivil(year, month, day) - EPOCH_DAYS;
  const seconds = hour * 3600 + minute * 60 + second;
  return seconds === 0 ? days : days + seconds / 86400;
}

/** Calendar parts of a serial number (month 1-based), rounded to the nearest second. */
export function fromSerial(serial: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let days = Math.floor(serial);
  let seconds = Math.round((serial - days) * 86400);
  if (seconds === 86400) {
    days += 1;
    seconds = 0;
  }
  const z = days + EPOCH_DAYS + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(seconds / 3600);
  const minute = Math.floor((seconds % 3600) / 60);
  return { year, month, day, hour, minute, second: seconds % 60 };
}

// ---------------------------------------------------------------------------------------------
// Number formats. A pattern is compiled once into a formatter and cached.

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
