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
import { formatGeneral, formatNumber } from './number-format.ts';
import { daysInMonth, toSerial } from './serial-dates.ts';
import type { NumberFormatSpec } from './workbook.ts';

// Split by concern: serial dates (serial-dates.ts) and number formats (number-format.ts); re-exported for callers.
export { daysInMonth, fromSerial, toSerial } from './serial-dates.ts';
export { formatGeneral, formatNumber } from './number-format.ts';

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
