/** The record readers that skip rows (one OT's unions, one tag's spool) find what reading every row finds. */
import { describe, expect, it } from 'vitest';
import { findSpoolIn, readSpools, unionAt, unionsOfOtIn } from '../../backend/records.ts';
import type { Cell } from '../../backend/sheets-client.ts';
import { SheetTable } from '../../backend/sheet-table.ts';
import { seededRandom } from '../seeded-random.ts';

/** OT cells as a sheet holds them: text, numbers, leading zeros (a USER_ENTERED `001` reads back as 1), blanks. */
const OT_CELLS: Cell[] = ['001', 1, '1', 'OT-7', ' OT-7 ', 2, '002', '', null, 'x'];

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}

describe('record readers', () => {
  it('unionsOfOtIn gives the unions of that OT, in row order, as unionAt over every row does', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const r = seededRandom(seed);
      const rows: Cell[][] = [['ID', 'OT', 'N_UNION', 'TAG_SPOOL', 'DN_UNION', 'TIPO_UNION', 'ARM_FECHA_FIN', 'SOL_FECHA_FIN']];
      for (let i = 0; i < 300; i++) {
        rows.push([i, pick(r, OT_CELLS), pick(r, [1, 2, '3', 0, -1, 'a', '', 2.5]), pick(r, ['T1', '', 'T2']), pick(r, [2, '4', '', 'x']), pick(r, ['bw', 'FW', '']), pick(r, ['', '01-01-2026']), pick(r, ['', ' '])]);
      }
      const table = new SheetTable('Uniones', rows);
      const all = rows.slice(1).map((_, i) => unionAt(table, i + 2)).filter((u) => u !== null);
      for (const ot of ['1', '2', 'OT-7', 'x', '', 'none']) {
        expect(unionsOfOtIn(table, ot), `seed ${seed} OT ${ot}`).toEqual(all.filter((u) => u.ot === ot));
      }
      expect(all.length).toBeGreaterThan(0);
    }
  });

  it('findSpoolIn gives the first spool with the tag, as readSpools does, by name or by the column-G fallback', () => {
    for (const header of [['OT', 'TAG_SPOOL', 'NV'], ['OT', 'b', 'c', 'd', 'e', 'f', 'g']]) {
      const tagCol = header.includes('TAG_SPOOL') ? 1 : 6;
      const r = seededRandom(header.length);
      const rows: Cell[][] = [header];
      for (let i = 0; i < 200; i++) {
        const row: Cell[] = header.map(() => pick(r, ['', 'v']));
        row[tagCol] = pick(r, ['S-1', 'S-2', ' S-1', '', null, 'S-3']);
        rows.push(row);
      }
      const table = new SheetTable('Operaciones', rows);
      for (const tag of ['S-1', 'S-2', 'S-3', '', 'none']) {
        expect(findSpoolIn(table, tag), `tag ${tag}`).toEqual(readSpools(table).find((s) => s.tag === tag) ?? null);
      }
      expect(findSpoolIn(table, 'S-1')).not.toBeNull();
    }
  });
});
