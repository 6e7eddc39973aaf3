import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { detectTable, occupancyOfGrid, type Rect } from '../../mock-sheets/append.ts';
import { SheetOccupancy } from '../../mock-sheets/occupancy.ts';

/** Random ranges over a small sheet, to compare the fast occupancy against a plain grid. */
function randomRange(random: () => number): Rect {
  const startRow = Math.floor(random() * 4);
  const startCol = Math.floor(random() * 3);
  return {
    startRow,
    endRow: random() < 0.5 ? 80 : startRow + 1 + Math.floor(random() * 6),
    startCol,
    endCol: random() < 0.5 ? 8 : startCol + 1 + Math.floor(random() * 4),
  };
}

describe('SheetOccupancy', () => {
  it('finds the same table as a plain grid through random fills, clears and appends (seeded)', () => {
    const random = seedrandom('occupancy');
    const occupancy = new SheetOccupancy();
    const grid: string[][] = Array.from({ length: 80 }, () => Array<string>(8).fill(''));
    for (let step = 0; step < 3000; step++) {
      const roll = random();
      const row = Math.floor(random() * 30);
      const col = Math.floor(random() * 8);
      if (roll < 0.6) {
        occupancy.add(row, col);
        grid[row]![col] = 'x';
      } else if (roll < 0.9) {
        occupancy.remove(row, col);
        grid[row]![col] = '';
      } else if (roll < 0.93) {
        // append-like: fill the row after the current table, in the columns of a random range
        const range = randomRange(random);
        const found = detectTable(occupancy, range);
        if (found.startRow < 80) {
          for (const c of [found.startCol, found.startCol + 1]) {
            if (c >= 8) continue;
            occupancy.add(found.startRow, c);
            grid[found.startRow]![c] = 'x';
          }
        }
      } else if (roll < 0.95) {
        // INSERT_ROWS: move rows down, unless that would push a value off the grid
        const at = Math.floor(random() * 40);
        const count = 1 + Math.floor(random() * 3);
        if (grid.slice(80 - count).every((r) => r.every((v) => v === ''))) {
          occupancy.shiftRows(at, count);
          grid.splice(at, 0, ...Array.from({ length: count }, () => Array<string>(8).fill('')));
          grid.length = 80;
        }
      } else {
        const rect = randomRange(random);
        occupancy.removeRect(rect.startRow, rect.endRow, rect.startCol, rect.endCol);
        for (let r = rect.startRow; r < rect.endRow; r++) for (let c = rect.startCol; c < rect.endCol; c++) grid[r]![c] = '';
      }
      const range = randomRange(random);
      expect(detectTable(occupancy, range), `step ${step}`).toEqual(detectTable(occupancyOfGrid(grid), range));
    }
  });
});
