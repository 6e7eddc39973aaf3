import { describe, expect, it } from 'vitest';
import type { NumberFormatSpec } from '../../mock-sheets/workbook.ts';
import {
  ValueTypeError,
  daysInMonth,
  formatGeneral,
  formatNumber,
  fromSerial,
  parseInput,
  renderCell,
  toSerial,
  type CellWrite,
  type StoredCell,
  type ValueInputOption,
} from '../../mock-sheets/values.ts';

const DATE_DMY: NumberFormatSpec = { type: 'DATE', pattern: 'dd-mm-yyyy' };
const DATE_ISO: NumberFormatSpec = { type: 'DATE', pattern: 'yyyy-mm-dd' };
const DATE_TIME_DMY: NumberFormatSpec = { type: 'DATE_TIME', pattern: 'dd-mm-yyyy hh:mm:ss' };
const DATE_TIME_ISO: NumberFormatSpec = { type: 'DATE_TIME', pattern: 'yyyy-mm-dd hh:mm:ss' };
const SERIAL_2026_05_13_113348 = 46155 + (11 * 3600 + 33 * 60 + 48) / 86400;

const set = (value: StoredCell['value'], format?: NumberFormatSpec): CellWrite =>
  format === undefined ? { kind: 'set', cell: { value } } : { kind: 'set', cell: { value, format } };

describe('serial numbers', () => {
  const table: Array<[[number, number, number, number?, number?, number?], number]> = [
    [[1899, 12, 30], 0],
    [[1899, 12, 31], 1],
    [[1900, 1, 1, 12], 2.5], // Google's own example
    [[1900, 2, 1, 15], 33.625], // Google's own example
    [[1900, 1, 6], 7],
    [[1900, 3, 1], 61], // 1900 is not a leap year
    [[1970, 1, 1], 25569],
    [[2000, 2, 29], 36585],
    [[2026, 1, 20], 46042],
    [[2026, 5, 13, 11, 33, 48], SERIAL_2026_05_13_113348],
    [[1899, 12, 29], -1],
  ];
  it.each(table)('toSerial(%j) = %d and back', (parts, serial) => {
    const [y, mo, d, h = 0, mi = 0, s = 0] = parts;
    expect(toSerial(y, mo, d, h, mi, s)).toBeCloseTo(serial, 10);
    expect(fromSerial(serial)).toEqual({ year: y, month: mo, day: d, hour: h, minute: mi, second: s });
  });

  it('serial of 13-05-2026 11:33:48 is 46155.4818…', () => {
    expect(toSerial(2026, 5, 13, 11, 33, 48).toFixed(4)).toBe('46155.4818');
  });

  it('round-trips every second of a day and every day across leap years', () => {
    for (let s = 0; s < 86400; s += 7) {
      const parts = fromSerial(toSerial(2026, 5, 13, Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60));
      expect(parts.hour * 3600 + parts.minute * 60 + parts.second).toBe(s);
    }
    for (let serial = -800; serial < 60000; serial += 1) {
      const p = fromSerial(serial);
      expect(toSerial(p.year, p.month, p.day)).toBe(serial);
    }
  });

  it('rounds a serial a hair below midnight up to the next day', () => {
    expect(fromSerial(46155.9999999)).toEqual({ year: 2026, month: 5, day: 14, hour: 0, minute: 0, second: 0 });
  });

  it.each([[2024, 2, 29], [2026, 2, 28], [1900, 2, 28], [2000, 2, 29], [2026, 4, 30], [2026, 12, 31]])(
    'daysInMonth(%i, %i) = %i',
    (y, m, days) => expect(daysInMonth(y, m)).toBe(days),
  );
});

describe('parseInput', () => {
  const table: Array<[unknown, ValueInputOption, NumberFormatSpec | undefined, CellWrite]> = [
    // skip and clear
    [null, 'RAW', undefined, { kind: 'skip' }],
    [undefined, 'USER_ENTERED', undefined, { kind: 'skip' }],
    ['', 'RAW', undefined, { kind: 'clear' }],
    ['', 'USER_ENTERED', DATE_DMY, { kind: 'clear' }],
    // RAW keeps everything as given
    ['=1+1', 'RAW', undefined, set('=1+1')],
    ['4', 'RAW', undefined, set('4')],
    ['TRUE', 'RAW', undefined, set('TRUE')],
    ['13-05-2026 11:33:48', 'RAW', undefined, set('13-05-2026 11:33:48')],
    ["'0042", 'RAW', undefined, set("'0042")],
    [4, 'RAW', DATE_DMY, set(4)],
    [true, 'RAW', undefined, set(true)],
    // JSON numbers and booleans stay what they are under USER_ENTERED too
    [7, 'USER_ENTERED', DATE_ISO, set(7)],
    [-3.25, 'USER_ENTERED', undefined, set(-3.25)],
    [false, 'USER_ENTERED', undefined, set(false)],
    // USER_ENTERED formulas, booleans, numbers
    ['=SUM(A1:A3)', 'USER_ENTERED', undefined, { kind: 'set', cell: { value: null, formula: '=SUM(A1:A3)' } }],
    ['TRUE', 'USER_ENTERED', undefined, set(true)],
    ['false', 'USER_ENTERED', undefined, set(false)],
    ['True', 'USER_ENTERED', undefined, set(true)],
    ['4', 'USER_ENTERED', undefined, set(4)],
    ['4', 'USER_ENTERED', DATE_DMY, set(4)], // keeps the date format: the Total_Uniones bug
    [' 4 ', 'USER_ENTERED', undefined, set(4)],
    ['-3.5', 'USER_ENTERED', undefined, set(-3.5)],
    ['+2', 'USER_ENTERED', undefined, set(2)],
    ['.5', 'USER_ENTERED', undefined, set(0.5)],
    ['1e3', 'USER_ENTERED', undefined, set(1000)],
    ['0042', 'USER_ENTERED', undefined, set(42)],
    ["'0042", 'USER_ENTERED', undefined, set('0042')],
    ["'=1+1", 'USER_ENTERED', undefined, set('=1+1')],
    ["'", 'USER_ENTERED', undefined, { kind: 'clear' }],
    // percentages
    ['12%', 'USER_ENTERED', undefined, set(0.12, { type: 'PERCENT', pattern: '0%' })],
    ['12.5%', 'USER_ENTERED', undefined, set(0.125, { type: 'PERCENT', pattern: '0.00%' })],
    ['-5%', 'USER_ENTERED', undefined, set(-0.05, { type: 'PERCENT', pattern: '0%' })],
    ['50%', 'USER_ENTERED', { type: 'PERCENT', pattern: '0.0%' }, set(0.5)],
    // dates and date-times
    ['20-01-2026', 'USER_ENTERED', undefined, set(46042, DATE_DMY)],
    ['20/01/2026', 'USER_ENTERED', undefined, set(46042, DATE_DMY)],
    ['2026-01-20', 'USER_ENTERED', undefined, set(46042, DATE_ISO)],
    ['1-5-2026', 'USER_ENTERED', undefined, set(toSerial(2026, 5, 1), DATE_DMY)],
    ['20-01-2026', 'USER_ENTERED', DATE_ISO, set(46042)],
    ['13-05-2026 11:33:48', 'USER_ENTERED', undefined, set(SERIAL_2026_05_13_113348, DATE_TIME_DMY)],
    ['13-05-2026 11:33', 'USER_ENTERED', undefined, set(46155 + (11 * 60 + 33) / 1440, DATE_TIME_DMY)],
    ['2026-05-13 11:33:48', 'USER_ENTERED', undefined, set(SERIAL_2026_05_13_113348, DATE_TIME_ISO)],
    ['13-05-2026 11:33:48', 'USER_ENTERED', DATE_TIME_DMY, set(SERIAL_2026_05_13_113348)],
    ['13-05-2026 11:33:48', 'USER_ENTERED', DATE_DMY, set(SERIAL_2026_05_13_113348)],
    ['29-02-2024', 'USER_ENTERED', undefined, set(toSerial(2024, 2, 29), DATE_DMY)],
    // things that stay strings
    ['31-02-2026', 'USER_ENTERED', undefined, set('31-02-2026')],
    ['29-02-2026', 'USER_ENTERED', undefined, set('29-02-2026')],
    ['00-01-2026', 'USER_ENTERED', undefined, set('00-01-2026')],
    ['20-13-2026', 'USER_ENTERED', undefined, set('20-13-2026')],
    ['20-01-2026 24:00:00', 'USER_ENTERED', undefined, set('20-01-2026 24:00:00')],
    ['20-01/2026', 'USER_ENTERED', undefined, set('20-01/2026')],
    ['2026/01/20', 'USER_ENTERED', undefined, set('2026/01/20')],
    ['1,234.5', 'USER_ENTERED', undefined, set('1,234.5')],
    ['1,5', 'USER_ENTERED', undefined, set('1,5')],
    ['1.2.3', 'USER_ENTERED', undefined, set('1.2.3')],
    ['-', 'USER_ENTERED', undefined, set('-')],
    ['   ', 'USER_ENTERED', undefined, set('   ')],
    ['WORKER17', 'USER_ENTERED', undefined, set('WORKER17')],
    ['MK-1335-CW-25238-011', 'USER_ENTERED', undefined, set('MK-1335-CW-25238-011')],
    ['PAUSAR', 'USER_ENTERED', undefined, set('PAUSAR')],
    ['TRUEISH', 'USER_ENTERED', undefined, set('TRUEISH')],
    ['4', 'USER_ENTERED', { type: 'TEXT' }, set('4')],
    ['20-01-2026', 'USER_ENTERED', { type: 'TEXT' }, set('20-01-2026')],
  ];

  it.each(table)('%j %s (format %j)', (input, option, format, expected) => {
    expect(parseInput(input, option, format)).toEqual(expected);
  });

  const wrongTypes: Array<[string, unknown]> = [
    ['an object', {}],
    ['an array', [1, 2]],
    ['a Sheets ExtendedValue object', { stringValue: 'x' }],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a function', () => 1],
    ['a bigint', 10n],
  ];
  it.each(wrongTypes)('rejects %s with ValueTypeError', (_label, input) => {
    expect(() => parseInput(input, 'USER_ENTERED')).toThrow(ValueTypeError);
    expect(() => parseInput(input, 'RAW')).toThrow(ValueTypeError);
  });
});

describe('formatNumber', () => {
  const table: Array<[number, NumberFormatSpec, string]> = [
    [46042, DATE_DMY, '20-01-2026'],
    [7, DATE_ISO, '1900-01-06'],
    [4, DATE_DMY, '03-01-1900'],
    [4, DATE_ISO, '1900-01-03'],
    [SERIAL_2026_05_13_113348, DATE_TIME_DMY, '13-05-2026 11:33:48'],
    [SERIAL_2026_05_13_113348, DATE_TIME_ISO, '2026-05-13 11:33:48'],
    [SERIAL_2026_05_13_113348, DATE_DMY, '13-05-2026'],
    [SERIAL_2026_05_13_113348, { type: 'TIME', pattern: 'hh:mm' }, '11:33'],
    [SERIAL_2026_05_13_113348, { type: 'TIME', pattern: 'h:mm:ss' }, '11:33:48'],
    [SERIAL_2026_05_13_113348, { type: 'DATE', pattern: 'd/m/yy' }, '13/5/26'],
    [SERIAL_2026_05_13_113348, { type: 'DATE', pattern: 'DD-MM-YYYY' }, '13-05-2026'],
    [SERIAL_2026_05_13_113348, { type: 'DATE_TIME', pattern: 'mm/dd/yyyy hh:mm' }, '05/13/2026 11:33'],
    [SERIAL_2026_05_13_113348, { type: 'DATE_TIME' }, '13-05-2026 11:33:48'],
    [SERIAL_2026_05_13_113348, { type: 'DATE' }, '13-05-2026'],
    [0.12, { type: 'PERCENT', pattern: '0%' }, '12%'],
    [0.125, { type: 'PERCENT', pattern: '0.00%' }, '12.50%'],
    [0.125, { type: 'PERCENT' }, '12.50%'],
    [-0.05, { type: 'PERCENT', pattern: '0%' }, '-5%'],
    [3.14159, { type: 'NUMBER', pattern: '0' }, '3'],
    [2.5, { type: 'NUMBER', pattern: '0' }, '3'],
    [3.14159, { type: 'NUMBER', pattern: '0.00' }, '3.14'],
    [1.005, { type: 'NUMBER', pattern: '0.00' }, '1.01'],
    [-0.001, { type: 'NUMBER', pattern: '0.00' }, '0.00'],
    [-1234.5, { type: 'NUMBER', pattern: '0.00' }, '-1234.50'],
    [1234567.891, { type: 'NUMBER', pattern: '#,##0' }, '1,234,568'],
    [1234567.891, { type: 'NUMBER', pattern: '#,##0.00' }, '1,234,567.89'],
    [1234567.891, { type: 'NUMBER' }, '1,234,567.89'],
    [999, { type: 'NUMBER', pattern: '#,##0' }, '999'],
    [-1000, { type: 'NUMBER', pattern: '#,##0' }, '-1,000'],
    [1500, { type: 'CURRENCY', pattern: '"$"#,##0' }, '$1,500'],
    [1500, { type: 'CURRENCY' }, '$1,500.00'],
    [12345.678, { type: 'SCIENTIFIC', pattern: '0.00E+00' }, '1.23E+04'],
    [7, { type: 'NUMBER', pattern: 'mystery' }, '7'], // unknown pattern → general
    [2.5, { type: 'NUMBER', pattern: '[Red]0.00' }, '2.5'],
    [2.5, { type: 'TEXT' }, '2.5'],
    [-2.5, { type: 'NUMBER', pattern: '0.00;(0.00)' }, '-2.50'], // only the first section is honoured
  ];
  it.each(table)('%d with %j → %s', (value, format, text) => {
    expect(formatNumber(value, format)).toBe(text);
  });
});

describe('formatGeneral', () => {
  const table: Array<[number, string]> = [
    [0, '0'],
    [-0, '0'],
    [7, '7'],
    [-42, '-42'],
    [1000000, '1000000'],
    [3.5, '3.5'],
    [-3.25, '-3.25'],
    [0.1 + 0.2, '0.3'],
    [2 / 3, '0.6666666667'],
    [SERIAL_2026_05_13_113348, '46155.48181'],
    [0.00000015, '0.00000015'],
    [1e15, '1E+15'],
    [1.5e20, '1.5E+20'],
    [1e-10, '1E-10'],
  ];
  it.each(table)('%d → %s', (value, text) => {
    expect(formatGeneral(value)).toBe(text);
  });
});

describe('renderCell', () => {
  const table: Array<[StoredCell, NumberFormatSpec | undefined, [string | number | boolean, string | number | boolean, string | number | boolean, string | number | boolean]]> = [
    // [cell, effective format, [FORMATTED_VALUE, UNFORMATTED_VALUE+SERIAL_NUMBER, UNFORMATTED_VALUE+FORMATTED_STRING, FORMULA+SERIAL_NUMBER]]
    [{ value: 7 }, DATE_ISO, ['1900-01-06', 7, '1900-01-06', 7]],
    [{ value: 4 }, DATE_DMY, ['03-01-1900', 4, '03-01-1900', 4]],
    [{ value: 4 }, undefined, ['4', 4, 4, 4]],
    [{ value: 3.5 }, undefined, ['3.5', 3.5, 3.5, 3.5]],
    [{ value: 0.12, format: { type: 'PERCENT', pattern: '0%' } }, { type: 'PERCENT', pattern: '0%' }, ['12%', 0.12, 0.12, 0.12]],
    [{ value: true }, undefined, ['TRUE', true, true, true]],
    [{ value: false }, DATE_DMY, ['FALSE', false, false, false]],
    [{ value: 'PAUSAR' }, undefined, ['PAUSAR', 'PAUSAR', 'PAUSAR', 'PAUSAR']],
    [{ value: '20-01-2026' }, DATE_DMY, ['20-01-2026', '20-01-2026', '20-01-2026', '20-01-2026']],
    [{ value: null, formula: '=A1+1' }, undefined, ['', '', '', '=A1+1']],
    [{ value: null }, undefined, ['', '', '', '']],
  ];
  it.each(table)('%j (format %j)', (cell, format, [formatted, unformatted, unformattedString, formula]) => {
    expect(renderCell(cell, 'FORMATTED_VALUE', 'SERIAL_NUMBER', format)).toEqual(formatted);
    expect(renderCell(cell, 'FORMATTED_VALUE', 'FORMATTED_STRING', format)).toEqual(formatted);
    expect(renderCell(cell, 'UNFORMATTED_VALUE', 'SERIAL_NUMBER', format)).toEqual(unformatted);
    expect(renderCell(cell, 'UNFORMATTED_VALUE', 'FORMATTED_STRING', format)).toEqual(unformattedString);
    expect(renderCell(cell, 'FORMULA', 'SERIAL_NUMBER', format)).toEqual(formula);
  });
});

describe('write then read, as the backend does', () => {
  /** Write one value into a cell that has `columnFormat`, then render it the way a store would. */
  function writeThenRead(input: unknown, option: ValueInputOption, columnFormat: NumberFormatSpec | undefined) {
    const write = parseInput(input, option, columnFormat);
    if (write.kind !== 'set') throw new Error(`expected a set, got ${write.kind}`);
    const cell = write.cell;
    const effective = cell.format ?? columnFormat;
    return {
      cell,
      formatted: renderCell(cell, 'FORMATTED_VALUE', 'SERIAL_NUMBER', effective),
      unformatted: renderCell(cell, 'UNFORMATTED_VALUE', 'SERIAL_NUMBER', effective),
      unformattedString: renderCell(cell, 'UNFORMATTED_VALUE', 'FORMATTED_STRING', effective),
      formula: renderCell(cell, 'FORMULA', 'SERIAL_NUMBER', effective),
      formulaString: renderCell(cell, 'FORMULA', 'FORMATTED_STRING', effective),
    };
  }

  it.each([[undefined], [DATE_TIME_DMY]])(
    'a DD-MM-YYYY HH:MM:SS string into a cell with format %j reads back in all three render options (B-001/B-002)',
    (columnFormat) => {
      const r = writeThenRead('13-05-2026 11:33:48', 'USER_ENTERED', columnFormat);
      expect(r.formatted).toBe('13-05-2026 11:33:48');
      expect(typeof r.unformatted).toBe('number');
      expect((r.unformatted as number).toFixed(4)).toBe('46155.4818');
      expect(r.unformattedString).toBe('13-05-2026 11:33:48');
      expect(r.formula).toBe(r.unformatted); // FORMULA shows a date as its serial unless FORMATTED_STRING is asked
      expect(r.formulaString).toBe('13-05-2026 11:33:48');
    },
  );

  it('USER_ENTERED "7" into a yyyy-mm-dd date column reads 1900-01-06 formatted and 7 unformatted (Total_Uniones)', () => {
    const r = writeThenRead('7', 'USER_ENTERED', DATE_ISO);
    expect(r.cell).toEqual({ value: 7 });
    expect(r.formatted).toBe('1900-01-06');
    expect(r.unformatted).toBe(7);
  });

  it('RAW "7" into the same column stays the string 7 in every render option (the production fix)', () => {
    const r = writeThenRead('7', 'RAW', DATE_ISO);
    expect([r.formatted, r.unformatted, r.formula]).toEqual(['7', '7', '7']);
  });

  it('a formula is kept, not evaluated', () => {
    const r = writeThenRead('=COUNTA(A:A)', 'USER_ENTERED', undefined);
    expect([r.formatted, r.unformatted, r.formula]).toEqual(['', '', '=COUNTA(A:A)']);
  });
});
