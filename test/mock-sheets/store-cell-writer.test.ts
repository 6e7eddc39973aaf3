/** The batched cell writer a workbook load uses stores exactly what one writeCell per cell stores. */
import { describe, expect, it } from 'vitest';
import { SheetsStore } from '../../mock-sheets/store.ts';
import { randomCell, testWorkbook, SPREADSHEET_ID } from './mock-fixture.ts';
import { seededRandom } from '../seeded-random.ts';

const rng = seededRandom;

function twoStores(): { a: SheetsStore; b: SheetsStore; sids: number[] } {
  const a = new SheetsStore();
  const b = new SheetsStore();
  a.loadWorkbook(testWorkbook());
  b.loadWorkbook(testWorkbook());
  const sids = a.sheets(SPREADSHEET_ID).map((s) => s.sid);
  expect(b.sheets(SPREADSHEET_ID).map((s) => s.sid)).toEqual(sids);
  return { a, b, sids };
}

describe('SheetsStore.cellWriter', () => {
  it('leaves the same rows, occupancy and digest as writeCell, over full batches, a remainder, overwrites and deletions', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const r = rng(seed);
      const { a, b, sids } = twoStores();
      // A cached occupancy is kept up to date by both ways of writing.
      for (const sid of sids) {
        a.occupancy(sid);
        b.occupancy(sid);
      }
      a.transaction(() => {
        b.transaction(() => {
          for (const sid of sids) {
            const writer = b.cellWriter(sid);
            const n = 100 + Math.floor(r() * 600); // several batches of 128 and a remainder
            for (let i = 0; i < n; i++) {
              // Small grid: the same cell is written several times, so overwrites cross batch boundaries.
              const row = Math.floor(r() * 30);
              const col = Math.floor(r() * 12);
              const cell = randomCell(r);
              a.writeCell(sid, row, col, cell);
              writer.write(row, col, cell);
            }
            writer.flush();
          }
        });
      });
      for (const sid of sids) {
        expect([...b.cellRows(sid)], `seed ${seed} sheet ${sid}`).toEqual([...a.cellRows(sid)]);
        expect([...b.occupancy(sid).rows()].sort((x, y) => x - y)).toEqual([...a.occupancy(sid).rows()].sort((x, y) => x - y));
        for (let row = 0; row < 30; row++) expect(b.occupancy(sid).span(row, 0, 12)).toEqual(a.occupancy(sid).span(row, 0, 12));
      }
      expect(b.digest()).toBe(a.digest());
    }
  });

  it('writes nothing to SQLite until flush when fewer than a batch are pending', () => {
    const { b, sids } = twoStores();
    const sid = sids[2]!;
    const stored = b.db.prepare<[number, number, number], { value: string }>('SELECT value FROM cells WHERE sid = ? AND r = ? AND c = ?');
    const writer = b.cellWriter(sid);
    writer.write(5, 4, { value: 'x' });
    expect(stored.get(sid, 5, 4)).toBeUndefined();
    writer.flush();
    expect(stored.get(sid, 5, 4)?.value).toBe('x');
  });
});
