/**
 * The store serves range reads and the digest from each sheet's in-memory mirror (mock-sheets/cell-mirror.ts): after
 * any sequence of writes the mirror must hold exactly the rows SQLite holds, value for value, and the digest must be
 * the one a store reading SQLite afresh gives, also for a store opened from an image (mock-sheets/store-image.ts),
 * whose digest hashes the stored lines of the rows not written since.
 */
import { describe, expect, it } from 'vitest';
import { CellMirror } from '../../mock-sheets/cell-mirror.ts';
import type { CellTuple } from '../../mock-sheets/store-rows.ts';
import { SheetsStore } from '../../mock-sheets/store.ts';
import { decodeStore, encodeStore } from '../../mock-sheets/store-image.ts';
import { randomCell, SPREADSHEET_ID, testWorkbook } from './mock-fixture.ts';
import { seededRandom } from '../seeded-random.ts';

/** What SQLite holds for a sheet, read past the mirror. */
function sqliteRows(store: SheetsStore, sid: number): CellTuple[] {
  return store.db.prepare<[number], CellTuple>('SELECT r, c, kind, value, formula, format FROM cells WHERE sid = ? ORDER BY r, c').raw(true).all(sid);
}

/** The mirror's rows and range reads against SQLite's, for every sheet. */
function expectMirrored(store: SheetsStore, r: () => number, where: string): void {
  for (const sheet of store.sheets(SPREADSHEET_ID)) {
    const rows = sqliteRows(store, sheet.sid);
    // toStrictEqual: -0 and 0, or a number and its text, are different rows.
    expect(store.cellTuples(sheet.sid), `${where}, sheet ${sheet.title}`).toStrictEqual(rows);
    const startRow = Math.floor(r() * 20);
    const startCol = Math.floor(r() * 8);
    const rect = { startRow, endRow: startRow + 1 + Math.floor(r() * 20), startCol, endCol: startCol + 1 + Math.floor(r() * 8) };
    const inside = rows.filter(([row, col]) => row >= rect.startRow && row < rect.endRow && col >= rect.startCol && col < rect.endCol);
    expect(store.readCells(sheet.sid, rect).map((c) => [c.row, c.col]), `${where}, ${JSON.stringify(rect)}`).toEqual(inside.map(([row, col]) => [row, col]));
  }
}

/** The store's digest against the one a store reading SQLite afresh gives. */
function expectDigest(store: SheetsStore, where: string): void {
  expect(store.digest(), `${where}, digest`).toBe(new SheetsStore(store.db.serialize()).digest());
}

/** The test workbook with 150 random cells more in the first 25 rows of each sheet: loaded, or opened from its image. */
function startStore(r: () => number, fromImage: boolean): SheetsStore {
  const store = new SheetsStore();
  store.loadWorkbook(testWorkbook());
  for (const sheet of store.sheets(SPREADSHEET_ID)) {
    const writer = store.cellWriter(sheet.sid);
    for (let i = 0; i < 150; i++) writer.write(Math.floor(r() * 25), Math.floor(r() * 10), randomCell(r));
    writer.flush();
  }
  return fromImage ? decodeStore(encodeStore(store)).store : store;
}

describe('SheetsStore cell mirror', () => {
  it.each([
    ['a loaded store', false],
    ['a store opened from its image', true],
  ])('holds what SQLite holds after random writes, clears, row inserts, crops, sheet changes and rolled-back transactions: %s', (_, fromImage) => {
    for (let seed = 1; seed <= 6; seed++) {
      const r = seededRandom(seed);
      const store = startStore(r, fromImage);
      for (let step = 0; step < 300; step++) {
        const sheets = store.sheets(SPREADSHEET_ID);
        const sheet = sheets[Math.floor(r() * sheets.length)]!;
        const u = r();
        const row = Math.floor(r() * 25);
        const col = Math.floor(r() * 10);
        if (u < 0.5) store.writeCell(sheet.sid, row, col, randomCell(r));
        else if (u < 0.6) {
          const writer = store.cellWriter(sheet.sid);
          for (let i = 0; i < 200; i++) writer.write(Math.floor(r() * 25), Math.floor(r() * 10), randomCell(r));
          writer.flush();
        } else if (u < 0.7) store.clearValues(sheet.sid, { startRow: row, endRow: row + 1 + Math.floor(r() * 5), startCol: col, endCol: col + 1 + Math.floor(r() * 4) });
        else if (u < 0.78) store.insertRows(sheet.sid, row, 1 + Math.floor(r() * 3));
        else if (u < 0.84) store.updateSheet({ ...sheet, rowCount: Math.max(1, sheet.rowCount - Math.floor(r() * 5)), columnCount: Math.max(1, sheet.columnCount - Math.floor(r() * 2)) });
        else if (u < 0.87 && sheets.length > 1) store.deleteSheet(sheet.sid);
        else if (u < 0.9) store.addSheet(SPREADSHEET_ID, { sheetId: 1000 + step, title: `T${step}`, rowCount: 30, columnCount: 12 }, sheets.length);
        else if (u < 0.95) {
          // Half a batch written, then the transaction fails: SQLite rolls back and the mirror must follow.
          expect(() =>
            store.transaction(() => {
              store.writeCell(sheet.sid, row, col, { value: 'rolled back' });
              store.insertRows(sheet.sid, 0, 1);
              throw new Error('fail');
            }),
          ).toThrow('fail');
        } else {
          // Text SQLite does not give back as written (lone surrogates) and numbers it stores as NULL.
          const odd = [{ value: '\ud800x' }, { value: 'ok', formula: '=A1&"\udc00"' }, { value: Number.NaN }, { value: -0 }][Math.floor(r() * 4)]!;
          store.writeCell(sheet.sid, row, col, odd);
        }
        expectMirrored(store, r, `seed ${seed} step ${step}`);
        if (step % 5 === 0) expectDigest(store, `seed ${seed} step ${step}`);
      }
      expectDigest(store, `seed ${seed} end`);
    }
  });

  it('is built from SQLite for a store opened on an existing file, and gives its digest', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'sheetsim-mirror-'));
    try {
      const first = new SheetsStore(join(dir, 'm.db'));
      first.loadWorkbook(testWorkbook());
      const sid = first.sheets(SPREADSHEET_ID)[0]!.sid;
      first.writeCell(sid, 9, 3, { value: 42 });
      const digest = first.digest();
      first.close();
      const reopened = new SheetsStore(join(dir, 'm.db'));
      expect(reopened.cellTuples(sid)).toStrictEqual(sqliteRows(reopened, sid));
      expect(reopened.digest()).toBe(digest);
      reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('moves the rows below an insert in a sheet of 300,000 rows', () => {
    const mirror = CellMirror.of([[0, 0, 's', 'head', null, null], [150_000, 2, 'n', 7, null, null], [299_999, 1, 's', 'last', null, null]]);
    mirror.insertRows(1, 2);
    expect(mirror.all()).toStrictEqual([[0, 0, 's', 'head', null, null], [150_002, 2, 'n', 7, null, null], [300_001, 1, 's', 'last', null, null]]);
  });
});
