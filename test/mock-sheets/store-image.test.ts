import { describe, expect, it } from 'vitest';
import { SheetsStore } from '../../mock-sheets/store.ts';
import { decodeStore, encodeStore, StoreImageError } from '../../mock-sheets/store-image.ts';
import { SPREADSHEET_ID, testWorkbook } from './mock-fixture.ts';

/** The test workbook plus cells of every stored kind: a formula, a boolean, a NaN, -0, an own format only, unicode. */
function variedStore(): SheetsStore {
  const store = new SheetsStore();
  store.loadWorkbook(testWorkbook());
  const [ops, , mine] = store.sheets(SPREADSHEET_ID);
  store.writeCell(ops!.sid, 5, 0, { value: 6, formula: '=SUM(C2:C3)' });
  store.writeCell(ops!.sid, 5, 1, { value: true });
  store.writeCell(ops!.sid, 5, 2, { value: Number.NaN });
  store.writeCell(ops!.sid, 5, 3, { value: -0 });
  store.writeCell(ops!.sid, 6, 1, { value: null, format: { type: 'PERCENT', pattern: '0.00%' } });
  store.writeCell(mine!.sid, 2, 4, { value: 'Ñandú 🚀 0.1+0.2', format: { type: 'TEXT' } });
  store.writeCell(mine!.sid, 3, 0, { value: 0.1 + 0.2 });
  return store;
}

/** The same store's mirrors as a store opened on its SQLite file would build them. */
function fromSqlite(store: SheetsStore): SheetsStore {
  return new SheetsStore(store.db.serialize());
}

describe('store images (encodeStore / decodeStore)', () => {
  it('give back the same workbook, the same mirrors as SQLite would build, the same digest and the meta', () => {
    const store = variedStore();
    const { store: back, meta } = decodeStore(encodeStore(store, { spreadsheetId: SPREADSHEET_ID }));
    expect(meta).toEqual({ spreadsheetId: SPREADSHEET_ID });
    expect(back.export()).toEqual(store.export());
    expect(back.digest()).toBe(store.digest());
    const rebuilt = fromSqlite(store);
    for (const sheet of store.sheets(SPREADSHEET_ID)) {
      // Value for value, -0 and NaN's NULL included.
      expect(back.cellTuples(sheet.sid)).toStrictEqual(rebuilt.cellTuples(sheet.sid));
      expect(back.cellTuples(sheet.sid).length).toBeGreaterThan(0);
    }
  });

  it('open a store that takes writes like any other, and leave the original alone', () => {
    const store = variedStore();
    const before = store.digest();
    const { store: back } = decodeStore(encodeStore(store));
    const ops = back.sheets(SPREADSHEET_ID)[0]!;
    back.writeCell(ops.sid, 1, 0, { value: 'OT-999' });
    back.writeCell(ops.sid, 2, 3, null);
    back.insertRows(ops.sid, 1, 2);
    expect(back.readCells(ops.sid, { startRow: 3, endRow: 4, startCol: 0, endCol: 1 }).map((c) => c.cell.value)).toEqual(['OT-999']);
    // The mirror still equals what SQLite holds after the writes.
    expect(back.cellTuples(ops.sid)).toStrictEqual(fromSqlite(back).cellTuples(ops.sid));
    expect(store.digest()).toBe(before);
  });

  it('read an image from any offset of a larger buffer', () => {
    const store = variedStore();
    const bytes = encodeStore(store);
    const shifted = Buffer.alloc(bytes.length + 3);
    bytes.copy(shifted, 3);
    expect(decodeStore(shifted.subarray(3)).store.digest()).toBe(store.digest());
  });

  it('refuse bytes that are not a whole image, naming what is wrong', () => {
    const bytes = encodeStore(variedStore());
    expect(() => decodeStore(bytes.subarray(0, bytes.length - 8))).toThrow(StoreImageError);
    expect(() => decodeStore(bytes.subarray(0, bytes.length - 8))).toThrow(/bytes where its header says/);
    expect(() => decodeStore(Buffer.from([1, 0]))).toThrow(/shorter than its header/);
    const notJson = Buffer.from(bytes);
    notJson.write('}', 4);
    expect(() => decodeStore(notJson)).toThrow(/header is not JSON/);
    const header = bytes.readUInt32LE(0);
    const other = Buffer.from(bytes.toString('latin1', 0, 4 + header).replace('sheetsim-store-image/1', 'sheetsim-store-image/9') + bytes.toString('latin1', 4 + header), 'latin1');
    expect(() => decodeStore(other)).toThrow(/format "sheetsim-store-image\/9"/);
  });
});
