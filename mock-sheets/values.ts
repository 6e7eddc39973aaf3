/**
 * Cell values as Sheets stores, parses and renders them.
 * CONTRACT (implemented by the a1/values helper; signatures are fixed, bodies to be written).
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
  | { kind: 'set'; cell: StoredCell }
  /** `""` clears the cell's value (its format stays). */
  | { kind: 'clear' }
  /** `null` in the input leaves the cell untouched (Google: "Null values will be skipped"). */
  | { kind: 'skip' };

/** Thrown for an input value of a type Sheets does not accept (objects, arrays). */
export class ValueTypeError extends Error {
  override name = 'ValueTypeError';
}

/**
 * Interpret one input value. RAW keeps strings as strings; USER_ENTERED parses numbers, booleans (TRUE/FALSE),
 * percentages (`5%` → 0.05 with a PERCENT format), `=` formulas, and day-first dates and date-times
 * (`DD-MM-YYYY`, `DD/MM/YYYY`, `DD-MM-YYYY HH:MM:SS`, `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS`) into serial numbers with a DATE or
 * DATE_TIME format. `existingFormat` is the column/cell format already there (a typed date keeps it).
 */
export function parseInput(input: unknown, option: ValueInputOption, existingFormat?: NumberFormatSpec): CellWrite {
  throw new Error(`not implemented: parseInput(${String(input)}, ${option}, ${JSON.stringify(existingFormat)})`);
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
  throw new Error(`not implemented: renderCell(${JSON.stringify(cell)}, ${valueRender}, ${dateTimeRender}, ${JSON.stringify(effectiveFormat)})`);
}

/** Serial number (days since 1899-12-30, fraction = time of day) of a calendar date-time. */
export function toSerial(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  throw new Error(`not implemented: toSerial(${year}, ${month}, ${day}, ${hour}, ${minute}, ${second})`);
}

/** Calendar parts of a serial number. */
export function fromSerial(serial: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  throw new Error(`not implemented: fromSerial(${serial})`);
}

/** Format a number with a Sheets number format pattern (`dd-mm-yyyy`, `yyyy-mm-dd`, `dd-mm-yyyy hh:mm:ss`, `0.00`, `0%`...). */
export function formatNumber(value: number, format: NumberFormatSpec): string {
  throw new Error(`not implemented: formatNumber(${value}, ${JSON.stringify(format)})`);
}
