import { describe, expect, it } from 'vitest';
import { detectTable, occupancyOfGrid, type Rect } from '../../mock-sheets/append.ts';

const whole: Rect = { startRow: 0, endRow: 1000, startCol: 0, endCol: 26 };
const _ = '';

describe('detectTable (values.append table detection)', () => {
  const cases: { name: string; grid: unknown[][]; range?: Rect; table: Rect | null; start: [number, number] }[] = [
    { name: 'empty sheet: the range top-left', grid: [], table: null, start: [0, 0] },
    {
      name: 'empty range inside a bounded search starts at its top-left',
      grid: [['x']],
      range: { startRow: 4, endRow: 10, startCol: 2, endCol: 5 },
      table: null,
      start: [4, 2],
    },
    {
      name: 'header and rows from A1: append below, column A',
      grid: [
        ['h1', 'h2', 'h3'],
        [1, 2, 3],
        [4, 5, 6],
      ],
      table: { startRow: 0, endRow: 3, startCol: 0, endCol: 3 },
      start: [3, 0],
    },
    {
      name: 'a fully empty row ends the table; data below it is ignored',
      grid: [['h1', 'h2'], [1, 2], [], ['far', 'away']],
      table: { startRow: 0, endRow: 2, startCol: 0, endCol: 2 },
      start: [2, 0],
    },
    {
      name: 'a row holding a value in any column keeps the table going',
      grid: [['h1', 'h2', 'h3'], [_, _, 'x'], [1]],
      table: { startRow: 0, endRow: 3, startCol: 0, endCol: 3 },
      start: [3, 0],
    },
    {
      name: 'the table starts at the first row with a value',
      grid: [[], [], ['h1', 'h2'], [1, 2]],
      table: { startRow: 2, endRow: 4, startCol: 0, endCol: 2 },
      start: [4, 0],
    },
    {
      name: 'production +1 column shift: header A1 cleared, column A empty in every row → append starts at B',
      grid: [
        [_, 'Fecha', 'Evento', 'Tag'],
        [_, '13-05-2026', 'INICIAR', 'OT-001'],
      ],
      table: { startRow: 0, endRow: 2, startCol: 1, endCol: 4 },
      start: [2, 1],
    },
    {
      name: 'data wiped except columns B..: the shift happens also when only the header lacks A',
      grid: [[_, 'h2', 'h3']],
      table: { startRow: 0, endRow: 1, startCol: 1, endCol: 3 },
      start: [1, 1],
    },
    {
      name: 'one row with A present avoids the shift',
      grid: [
        [_, 'h2'],
        ['a', 'b'],
      ],
      table: { startRow: 0, endRow: 2, startCol: 0, endCol: 2 },
      start: [2, 0],
    },
    {
      name: 'only the columns of the range count: a value outside them does not extend the table',
      grid: [['a', 'b', _, 'out'], [_, _, _, 'out'], ['c']],
      range: { startRow: 0, endRow: 1000, startCol: 0, endCol: 2 },
      table: { startRow: 0, endRow: 1, startCol: 0, endCol: 2 },
      start: [1, 0],
    },
    {
      name: 'a range starting at column C finds the table within C..',
      grid: [['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd']],
      range: { startRow: 0, endRow: 1000, startCol: 2, endCol: 26 },
      table: { startRow: 0, endRow: 2, startCol: 2, endCol: 4 },
      start: [2, 2],
    },
    {
      name: 'the table continues past the last row of the range (Sheet1!A1:E1 appends below the whole table)',
      grid: [['a', 'b'], ['c', 'd'], ['e', 'f'], [], ['g']],
      range: { startRow: 0, endRow: 1, startCol: 0, endCol: 5 },
      table: { startRow: 0, endRow: 3, startCol: 0, endCol: 2 },
      start: [3, 0],
    },
    {
      name: 'a table must start inside the range: data only below it is not a table',
      grid: [[], ['a'], ['b']],
      range: { startRow: 0, endRow: 1, startCol: 0, endCol: 5 },
      table: null,
      start: [0, 0],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const found = detectTable(occupancyOfGrid(c.grid), c.range ?? whole);
      expect(found.table).toEqual(c.table);
      expect([found.startRow, found.startCol]).toEqual(c.start);
    });
  }
});
