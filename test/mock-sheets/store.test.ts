import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectTable } from '../../mock-sheets/append.ts';
import { SheetsStore } from '../../mock-sheets/store.ts';
import { testWorkbook, SPREADSHEET_ID } from './mock-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'sheetsim-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function loaded(path = ':memory:'): SheetsStore {
  const store = new SheetsStore(path);
  store.loadWorkbook(testWorkbook());
  return store;
}

describe('SheetsStore', () => {
  it('loads a workbook with USER_ENTERED semantics, column formats and default grid sizes', () => {
    const store = loaded();
    const [ops, meta, mine] = store.sheets(SPREADSHEET_ID);
    expect([ops!.title, ops!.rowCount, ops!.columnCount, ops!.sheetId]).toEqual(['Operaciones', 1000, 26, 0]);
    expect([mine!.rowCount, mine!.columnCount]).toEqual([10, 5]);
    expect(meta!.sheetId).toBeGreaterThan(0);
    const cells = store.readCells(ops!.sid, { startRow: 1, endRow: 2, startCol: 0, endCol: 4 });
    // '' in the spec leaves the cell out; the date-time string became a serial in the date-time column
    expect(cells.map((c) => [c.col, c.cell.value])).toEqual([
      [0, 'OT-001'],
      [1, 46155.48180555556],
      [2, 7],
    ]);
    expect(store.columnFormats(ops!.sid).get(2)).toEqual({ type: 'DATE', pattern: 'dd-mm-yyyy' });
    store.close();
  });

  it('digests equal workbooks equally and changes with any cell', () => {
    const a = loaded();
    const b = loaded();
    expect(a.digest()).toBe(b.digest());
    const sid = a.sheets(SPREADSHEET_ID)[1]!.sid;
    a.writeCell(sid, 5, 5, { value: true });
    expect(a.digest()).not.toBe(b.digest());
    a.writeCell(sid, 5, 5, null);
    expect(a.digest()).toBe(b.digest());
    // booleans, numbers and numeric-looking strings stay distinct
    a.writeCell(sid, 5, 5, { value: '1' });
    b.writeCell(sid, 5, 5, { value: 1 });
    expect(a.export().spreadsheets[0]!.sheets[1]!.cells.at(-1)!.value).toBe('1');
    expect(a.digest()).not.toBe(b.digest());
    a.close();
    b.close();
  });

  it('rolls back a failed transaction, cells and in-memory occupancy alike', () => {
    const store = loaded();
    const sid = store.sheets(SPREADSHEET_ID)[1]!.sid;
    const before = store.digest();
    const detect = () => detectTable(store.occupancy(sid), { startRow: 0, endRow: 1000, startCol: 0, endCol: 26 });
    expect(detect().startRow).toBe(1);
    expect(() =>
      store.transaction(() => {
        store.writeCell(sid, 1, 0, { value: 'half' });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.digest()).toBe(before);
    expect(detect().startRow).toBe(1);
    store.close();
  });

  it('inserts rows by moving the rows below down', () => {
    const store = loaded();
    const sid = store.sheets(SPREADSHEET_ID)[0]!.sid;
    store.transaction(() => store.insertRows(sid, 1, 2));
    const tags = store.readCells(sid, { startRow: 0, endRow: 10, startCol: 0, endCol: 1 }).map((c) => [c.row, c.cell.value]);
    expect(tags).toEqual([
      [0, 'TAG_SPOOL'],
      [3, 'OT-001'],
      [4, 'OT-002'],
    ]);
    store.close();
  });

  it('keeps its workbook in a file across reopen (WAL)', () => {
    const path = join(dir, 'reopen.db');
    const first = loaded(path);
    const sid = first.sheets(SPREADSHEET_ID)[1]!.sid;
    first.transaction(() => first.writeCell(sid, 9, 1, { value: 'persisted' }));
    const digest = first.digest();
    expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
    first.close();
    const second = new SheetsStore(path);
    expect(second.spreadsheetCount()).toBe(1);
    expect(second.firstSpreadsheetId()).toBe(SPREADSHEET_ID);
    expect(second.digest()).toBe(digest);
    second.close();
  });
});
