import { describe, expect, it } from 'vitest';
import {
  A1Error,
  MAX_COLUMNS,
  columnToLetters,
  formatA1,
  lettersToColumn,
  parseA1,
  quoteSheetTitle,
  type A1Range,
} from '../../mock-sheets/a1.ts';

const good: Array<[string, A1Range]> = [
  ['Sheet1!A1:B2', { sheet: 'Sheet1', startRow: 0, endRow: 2, startCol: 0, endCol: 2 }],
  ['A1:B2', { sheet: null, startRow: 0, endRow: 2, startCol: 0, endCol: 2 }],
  ['B2:A1', { sheet: null, startRow: 0, endRow: 2, startCol: 0, endCol: 2 }],
  ['A2:B1', { sheet: null, startRow: 0, endRow: 2, startCol: 0, endCol: 2 }],
  ['A1', { sheet: null, startRow: 0, endRow: 1, startCol: 0, endCol: 1 }],
  ['Uniones!H12', { sheet: 'Uniones', startRow: 11, endRow: 12, startCol: 7, endCol: 8 }],
  ['a1:b2', { sheet: null, startRow: 0, endRow: 2, startCol: 0, endCol: 2 }],
  ['Sheet1!A:A', { sheet: 'Sheet1', startCol: 0, endCol: 1 }],
  ['Sheet1!A:C', { sheet: 'Sheet1', startCol: 0, endCol: 3 }],
  ['Sheet1!C:A', { sheet: 'Sheet1', startCol: 0, endCol: 3 }],
  ['Sheet1!1:2', { sheet: 'Sheet1', startRow: 0, endRow: 2 }],
  ['1:1', { sheet: null, startRow: 0, endRow: 1 }],
  ['Sheet1!A5:A', { sheet: 'Sheet1', startRow: 4, startCol: 0, endCol: 1 }],
  ['Operaciones!A2:BK', { sheet: 'Operaciones', startRow: 1, startCol: 0, endCol: 63 }],
  ['Sheet1!B:A5', { sheet: 'Sheet1', startRow: 4, startCol: 0, endCol: 2 }],
  ['Sheet1!A5:5', { sheet: 'Sheet1', startRow: 4, endRow: 5, startCol: 0 }],
  ['Sheet1', { sheet: 'Sheet1' }],
  ['Metadata', { sheet: 'Metadata' }],
  ['A', { sheet: 'A' }],
  ['ABCD', { sheet: 'ABCD' }],
  ['AAAA1', { sheet: 'AAAA1' }],
  ['Hoja1', { sheet: 'Hoja1' }],
  ['Hoja_1.v2', { sheet: 'Hoja_1.v2' }],
  ['Operación', { sheet: 'Operación' }],
  ['Class Data!A2:E', { sheet: 'Class Data', startRow: 1, startCol: 0, endCol: 5 }],
  ["'My Sheet'", { sheet: 'My Sheet' }],
  ["'My Sheet'!A1:B2", { sheet: 'My Sheet', startRow: 0, endRow: 2, startCol: 0, endCol: 2 }],
  ["'Jon''s_Data'!A1:D5", { sheet: "Jon's_Data", startRow: 0, endRow: 5, startCol: 0, endCol: 4 }],
  ["'''quoted'''", { sheet: "'quoted'" }],
  ["'A1'", { sheet: 'A1' }],
  ["'A1'!A1", { sheet: 'A1', startRow: 0, endRow: 1, startCol: 0, endCol: 1 }],
  ["'x!y'!B3", { sheet: 'x!y', startRow: 2, endRow: 3, startCol: 1, endCol: 2 }],
  ['Sheet1!ZZZ1', { sheet: 'Sheet1', startRow: 0, endRow: 1, startCol: 18277, endCol: 18278 }],
  ['Sheet1!zz10', { sheet: 'Sheet1', startRow: 9, endRow: 10, startCol: 701, endCol: 702 }],
  ['Sheet1!A10000000', { sheet: 'Sheet1', startRow: 9_999_999, endRow: 10_000_000, startCol: 0, endCol: 1 }],
];

const bad: string[] = [
  '',
  '!A1',
  'Sheet1!',
  'Sheet1!A',
  'Sheet1!5',
  'Sheet1!A0',
  'A0',
  'Sheet1!A:5',
  'Sheet1!A1:',
  'Sheet1!:A1',
  'Sheet1!A1:B2:C3',
  'A1:B2:C3',
  'Sheet1!AAAA1',
  'A10000001',
  'zz0',
  'Sheet1!1A',
  'Sheet1!A1B',
  'Sheet1!A10000001',
  'A1,B2',
  "'Unterminated",
  "'Unterminated!A1",
  "''!A1",
  "''",
  "'Funnel'!'Funnel'!A1",
  "'Sheet1'A1",
  'Sheet1!$A$1',
  'My  Sheet!A1',
  ' Sheet1!A1',
  "Jon's!A1",
];

describe('parseA1', () => {
  it.each(good)('parses %s', (text, expected) => {
    expect(parseA1(text)).toEqual(expected);
  });

  it.each(bad)('rejects %j with Google\'s message', (text) => {
    let thrown: unknown;
    try {
      parseA1(text);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(A1Error);
    expect((thrown as A1Error).message).toBe(`Unable to parse range: ${text}`);
    expect((thrown as A1Error).range).toBe(text);
  });

  it('gives a fresh object each call (results are not shared)', () => {
    const a = parseA1('A1:B2');
    const b = parseA1('C3');
    expect(a).toEqual({ sheet: null, startRow: 0, endRow: 2, startCol: 0, endCol: 2 });
    expect(b).not.toBe(a);
  });
});

describe('columns', () => {
  const table: Array<[number, string]> = [
    [0, 'A'], [1, 'B'], [25, 'Z'], [26, 'AA'], [27, 'AB'], [51, 'AZ'], [52, 'BA'],
    [701, 'ZZ'], [702, 'AAA'], [MAX_COLUMNS - 1, 'ZZZ'],
  ];
  it.each(table)('%i ↔ %s', (index, letters) => {
    expect(columnToLetters(index)).toBe(letters);
    expect(lettersToColumn(letters)).toBe(index);
    expect(lettersToColumn(letters.toLowerCase())).toBe(index);
  });

  it('round-trips every column', () => {
    for (let i = 0; i < MAX_COLUMNS; i++) expect(lettersToColumn(columnToLetters(i))).toBe(i);
  });

  it.each([-1, MAX_COLUMNS, 1.5, Number.NaN])('columnToLetters(%d) throws', (index) => {
    expect(() => columnToLetters(index)).toThrow(RangeError);
  });

  it.each(['', 'AAAA', 'A1', '1', 'Ñ', '-'])('lettersToColumn(%j) throws', (letters) => {
    expect(() => lettersToColumn(letters)).toThrow(RangeError);
  });
});

describe('quoteSheetTitle', () => {
  const table: Array<[string, string]> = [
    ['Sheet1', 'Sheet1'],
    ['Uniones', 'Uniones'],
    ['Hoja_1', 'Hoja_1'],
    ['A', 'A'],
    ['My Sheet', "'My Sheet'"],
    ["Jon's", "'Jon''s'"],
    ['Operación', "'Operación'"],
    ['a.b', "'a.b'"],
    ['A1', "'A1'"],
    ['zz99', "'zz99'"],
    ['2024', "'2024'"],
    ['R1C1', "'R1C1'"],
    ['ABCD1', 'ABCD1'],
  ];
  it.each(table)('%j → %s', (title, quoted) => {
    expect(quoteSheetTitle(title)).toBe(quoted);
  });

  it('a quoted title parses back to the same sheet', () => {
    for (const [title] of table) expect(parseA1(`${quoteSheetTitle(title)}!A1`).sheet).toBe(title);
  });
});

describe('formatA1', () => {
  const table: Array<[string, { startRow: number; endRow: number; startCol: number; endCol: number }, string]> = [
    ['Uniones', { startRow: 11, endRow: 12, startCol: 7, endCol: 8 }, 'Uniones!H12'],
    ['Sheet1', { startRow: 0, endRow: 22, startCol: 0, endCol: 11 }, 'Sheet1!A1:K22'],
    ['My Sheet', { startRow: 0, endRow: 2, startCol: 0, endCol: 2 }, "'My Sheet'!A1:B2"],
    ['Metadata', { startRow: 0, endRow: 1, startCol: 0, endCol: 11 }, 'Metadata!A1:K1'],
    ['Sheet1', { startRow: 0, endRow: 1000, startCol: 0, endCol: 26 }, 'Sheet1!A1:Z1000'],
    ["Jon's", { startRow: 4, endRow: 5, startCol: 26, endCol: 27 }, "'Jon''s'!AA5"],
  ];
  it.each(table)('%s %j → %s', (title, rect, text) => {
    expect(formatA1(title, rect)).toBe(text);
  });

  it('formats what parses back to the same rectangle', () => {
    for (const [title, rect, text] of table) {
      expect(parseA1(text)).toEqual({ sheet: title, ...rect });
    }
  });
});
