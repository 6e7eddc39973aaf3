/**
 * Which cells of one sheet hold a value, kept in memory beside SQLite so values.append can find its table without a
 * query per row. Besides per-row column spans it keeps, for each column range appends have searched, the runs of
 * consecutive rows holding a value in those columns: updated as rows fill at a run's end (the append case) and
 * rebuilt lazily after anything else, so appending to a long log costs the same at row 10 and at row 100,000.
 */
import { spanWithin, type ColumnSpan, type Occupancy, type RowRun } from './append.ts';

/** The columns of one row that hold a value, with their span kept up to date. */
class RowColumns implements ColumnSpan {
  readonly cols = new Set<number>();
  min = Infinity;
  max = -Infinity;

  add(col: number): void {
    this.cols.add(col);
    if (col < this.min) this.min = col;
    if (col > this.max) this.max = col;
  }

  delete(col: number): void {
    if (!this.cols.delete(col) || (col !== this.min && col !== this.max)) return;
    this.min = Infinity;
    this.max = -Infinity;
    for (const c of this.cols) {
      if (c < this.min) this.min = c;
      if (c > this.max) this.max = c;
    }
  }

  /** Span of this row's values within [startCol, endCol), or null. */
  within(startCol: number, endCol: number): ColumnSpan | null {
    if (this.cols.size === 0) return null;
    if (this.min >= startCol && this.max < endCol) return this;
    return spanWithin(this.cols, startCol, endCol);
  }
}

/** Runs of rows holding a value within one column range; `byStart === null` means "rebuild before use". */
class RunIndex {
  byStart: Map<number, RowRun> | null = null;
  byEnd = new Map<number, RowRun>();
  constructor(
    readonly startCol: number,
    readonly endCol: number,
  ) {}
}

/** How many column ranges keep run indexes (appends use one or two per sheet). */
const MAX_RUN_INDEXES = 8;

/** Occupied cells of one sheet; the store feeds it every change it makes to the sheet's values. */
export class SheetOccupancy implements Occupancy {
  private readonly byRow = new Map<number, RowColumns>();
  private readonly indexes: RunIndex[] = [];

  /** A cell of the sheet now holds a value. */
  add(row: number, col: number): void {
    let cols = this.byRow.get(row);
    if (cols === undefined) this.byRow.set(row, (cols = new RowColumns()));
    if (cols.cols.has(col)) return; // an overwritten value changes no span
    for (const index of this.indexes) {
      if (index.byStart === null || col < index.startCol || col >= index.endCol) continue;
      if (cols.within(index.startCol, index.endCol) === null) {
        // The row joins the column range: merge it with the runs ending just above and starting just below.
        const before = index.byEnd.get(row);
        const after = index.byStart.get(row + 1);
        const run: RowRun = {
          startRow: before?.startRow ?? row,
          endRow: after?.endRow ?? row + 1,
          min: Math.min(col, before?.min ?? Infinity, after?.min ?? Infinity),
          max: Math.max(col, before?.max ?? -Infinity, after?.max ?? -Infinity),
        };
        if (before) index.byEnd.delete(row);
        if (after) index.byStart.delete(row + 1);
        index.byStart.set(run.startRow, run);
        index.byEnd.set(run.endRow, run);
        continue;
      }
      const last = index.byEnd.get(row + 1);
      if (last !== undefined) {
        if (col < last.min) last.min = col;
        if (col > last.max) last.max = col;
      } else {
        index.byStart = null; // a row inside a run: finding its run would cost what a rebuild costs
      }
    }
    cols.add(col);
  }

  /** A cell of the sheet no longer holds a value. */
  remove(row: number, col: number): void {
    const cols = this.byRow.get(row);
    if (cols === undefined || !cols.cols.has(col)) return;
    cols.delete(col);
    if (cols.cols.size === 0) this.byRow.delete(row);
    this.invalidateRuns();
  }

  /** Every occupied cell in [startRow, endRow) × [startCol, endCol) no longer holds a value. */
  removeRect(startRow: number, endRow: number, startCol: number, endCol: number): void {
    for (const [row, cols] of this.byRow) {
      if (row < startRow || row >= endRow) continue;
      for (const col of [...cols.cols]) if (col >= startCol && col < endCol) cols.delete(col);
      if (cols.cols.size === 0) this.byRow.delete(row);
    }
    this.invalidateRuns();
  }

  /** Rows from `atRow` down moved `count` rows lower (values.append INSERT_ROWS). */
  shiftRows(atRow: number, count: number): void {
    const moved: [number, RowColumns][] = [];
    for (const [row, cols] of this.byRow) if (row >= atRow) moved.push([row, cols]);
    if (moved.length === 0) return; // inserting below the last value (an append at the end) moves nothing
    for (const [row] of moved) this.byRow.delete(row);
    for (const [row, cols] of moved) this.byRow.set(row + count, cols);
    this.invalidateRuns();
  }

  rows(): Iterable<number> {
    return this.byRow.keys();
  }

  span(row: number, startCol: number, endCol: number): ColumnSpan | null {
    return this.byRow.get(row)?.within(startCol, endCol) ?? null;
  }

  runStartingAt(row: number, startCol: number, endCol: number): RowRun | null {
    let index = this.indexes.find((i) => i.startCol === startCol && i.endCol === endCol);
    if (index === undefined) {
      if (this.indexes.length >= MAX_RUN_INDEXES) this.indexes.shift();
      index = new RunIndex(startCol, endCol);
      this.indexes.push(index);
    }
    if (index.byStart === null) this.rebuild(index);
    return index.byStart!.get(row) ?? null;
  }

  private invalidateRuns(): void {
    for (const index of this.indexes) index.byStart = null;
  }

  private rebuild(index: RunIndex): void {
    const byStart = new Map<number, RowRun>();
    const byEnd = new Map<number, RowRun>();
    const spans: [number, ColumnSpan][] = [];
    for (const [row, cols] of this.byRow) {
      const span = cols.within(index.startCol, index.endCol);
      if (span !== null) spans.push([row, { min: span.min, max: span.max }]);
    }
    spans.sort((a, b) => a[0] - b[0]);
    let run: RowRun | null = null;
    const close = (r: RowRun): void => {
      byStart.set(r.startRow, r);
      byEnd.set(r.endRow, r);
    };
    for (const [row, span] of spans) {
      if (run !== null && run.endRow === row) {
        run.endRow = row + 1;
        if (span.min < run.min) run.min = span.min;
        if (span.max > run.max) run.max = span.max;
        continue;
      }
      if (run !== null) close(run);
      run = { startRow: row, endRow: row + 1, min: span.min, max: span.max };
    }
    if (run !== null) close(run);
    index.byStart = byStart;
    index.byEnd = byEnd;
  }
}
