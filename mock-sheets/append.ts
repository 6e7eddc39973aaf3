/**
 * Table detection for values.append. Google: "The input range is used to search for existing data and find a
 * 'table' within that range. Values will be appended to the next row of the table, starting with the first
 * column of the table." Pure: the sheet's occupied cells come in through `Occupancy`.
 *
 * Rule implemented (docs/fidelity.md): the table starts at the first row of the input range holding a value; it
 * continues down while rows hold a value in the range's columns, past the range's last row (so `Sheet1!A1:E1`
 * appends below the whole table that starts there, as Google's guide shows), until a fully empty row; its first
 * column is the leftmost column holding a value in its rows. So when column A is empty in every table row (a header whose
 * A1 was cleared, data wiped except columns B..), the appended values land one column right: the production
 * +1 column shift (zeues-v4-spec §8 item 24).
 */

/** A bounded rectangle, 0-based, end exclusive. */
export interface Rect {
  startRow: number;
  endRow: number;
  startCol: number;
  endCol: number;
}

/** Leftmost and rightmost columns holding a value in one row (within some column range). */
export interface ColumnSpan {
  min: number;
  max: number;
}

/** The cells of a sheet that hold a value (not merely a format). */
export interface Occupancy {
  /** Every row holding at least one value, in any order. */
  rows(): Iterable<number>;
  /** The span of columns in [startCol, endCol) holding a value in `row`, or null when there is none. */
  span(row: number, startCol: number, endCol: number): ColumnSpan | null;
  /**
   * Optional fast path: the maximal run of consecutive rows holding a value in [startCol, endCol) that starts at
   * `row`, with the span of those values; null when no such run starts there.
   */
  runStartingAt?(row: number, startCol: number, endCol: number): RowRun | null;
}

/** Consecutive rows [startRow, endRow) holding a value in some column range, and the span of those values. */
export interface RowRun {
  startRow: number;
  endRow: number;
  min: number;
  max: number;
}

/** The span of `cols` within [startCol, endCol), or null; for implementations of `Occupancy.span`. */
export function spanWithin(cols: Iterable<number>, startCol: number, endCol: number): ColumnSpan | null {
  let min = Infinity;
  let max = -Infinity;
  for (const col of cols) {
    if (col < startCol || col >= endCol) continue;
    if (col < min) min = col;
    if (col > max) max = col;
  }
  return min === Infinity ? null : { min, max };
}

export interface TableDetection {
  /** The table found in the range (before the append), or null when the range holds no value. */
  table: Rect | null;
  /** Where the appended values start. */
  startRow: number;
  startCol: number;
}

/** Find the table inside `range` and where an append to it starts. */
export function detectTable(occupancy: Occupancy, range: Rect): TableDetection {
  let firstRow = Infinity;
  if (range.startRow < range.endRow && occupancy.span(range.startRow, range.startCol, range.endCol) !== null) {
    firstRow = range.startRow; // the usual case (a header row): no scan
  } else {
    for (const row of occupancy.rows()) {
      if (row < range.startRow || row >= range.endRow || row >= firstRow) continue;
      if (occupancy.span(row, range.startCol, range.endCol) !== null) firstRow = row;
    }
  }
  if (firstRow === Infinity) return { table: null, startRow: range.startRow, startCol: range.startCol };

  // The run of rows with a value in the range's columns that starts at the table's first row is the table.
  const run = occupancy.runStartingAt?.(firstRow, range.startCol, range.endCol);
  if (run) {
    return {
      table: { startRow: firstRow, endRow: run.endRow, startCol: run.min, endCol: run.max + 1 },
      startRow: run.endRow,
      startCol: run.min,
    };
  }

  let minCol = Infinity;
  let maxCol = -Infinity;
  let row = firstRow;
  for (;;) {
    const cols = occupancy.span(row, range.startCol, range.endCol);
    if (cols === null) break;
    if (cols.min < minCol) minCol = cols.min;
    if (cols.max > maxCol) maxCol = cols.max;
    row++;
  }
  return {
    table: { startRow: firstRow, endRow: row, startCol: minCol, endCol: maxCol + 1 },
    startRow: row,
    startCol: minCol,
  };
}

/** An `Occupancy` over a small grid where `''`, null and undefined are empty (tests, small sheets). */
export function occupancyOfGrid(grid: readonly (readonly unknown[])[]): Occupancy {
  const byRow = new Map<number, number[]>();
  grid.forEach((cells, row) => {
    const cols: number[] = [];
    cells.forEach((value, col) => {
      if (value !== '' && value !== null && value !== undefined) cols.push(col);
    });
    if (cols.length > 0) byRow.set(row, cols);
  });
  return {
    rows: () => byRow.keys(),
    span: (row, startCol, endCol) => {
      const cols = byRow.get(row);
      return cols === undefined ? null : spanWithin(cols, startCol, endCol);
    },
  };
}
