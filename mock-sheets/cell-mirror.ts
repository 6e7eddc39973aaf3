/**
 * One sheet's stored cells in memory: the rows of SQLite's `cells` table for that sheet, as the tuples a raw
 * `SELECT r, c, kind, value, formula, format … ORDER BY r, c` returns, kept up to date by every write the store makes.
 * Reads of a range and the workbook digest are served from here: materialising SQLite rows cost about 1 µs per cell,
 * and a whole-tab read (a backend's cache load) or the end-of-run digest touches every cell of the world.
 *
 * The tuples are the ones SQLite would give back, value for value (`sqliteValue`). A write whose text SQLite would
 * not give back unchanged (a lone UTF-16 surrogate) is not mirrored: the store drops the mirror and builds it again
 * from SQLite on the next read.
 */
import type { Rect } from './append.ts';
import type { CellTuple } from './store-rows.ts';

/** The value SQLite returns for one bound: a NaN is stored as NULL; every other number, and text, comes back as is. */
export function sqliteValue(value: number | string | null): number | string | null {
  return typeof value === 'number' && Number.isNaN(value) ? null : value;
}

// In a `u` regex a surrogate pair is one code point: only a lone surrogate is of category Cs.
const LONE_SURROGATE = /\p{Cs}/u;

/** Whether SQLite gives `text` back unchanged (UTF-8 cannot carry a lone surrogate). */
export function roundTrips(text: string | null): boolean {
  return text === null || !LONE_SURROGATE.test(text);
}

/**
 * A mirror's rows as a store image loaded them (store-image.ts), with their lines of the workbook digest: row r's
 * lines are `bytes[starts[r], starts[r + 1])` (UTF-8) while `unchanged[r]` is 1. The digest of a world opened from
 * the cache then hashes those bytes for every row not written since, instead of formatting ~200,000 cells again.
 */
export interface LoadedLines {
  bytes: Uint8Array;
  starts: Int32Array;
  unchanged: Uint8Array;
}

/** The cells of one sheet by row, each row's tuples sorted by column. Tuples are never changed in place. */
export class CellMirror {
  private rows: (CellTuple[] | undefined)[] = [];
  private loaded: LoadedLines | null = null;

  /** Built from tuples in (r, c) order, as SQLite returns them. */
  static of(tuples: Iterable<CellTuple>): CellMirror {
    const mirror = new CellMirror();
    for (const t of tuples) (mirror.rows[t[0]] ??= []).push(t);
    return mirror;
  }

  /**
   * Built from rows already in order (each row's tuples sorted by column, none empty): taken as they are, with
   * their digest lines when the caller has them (`starts` one longer than `rows`, `unchanged` all 1).
   */
  static fromRows(rows: (CellTuple[] | undefined)[], loaded?: LoadedLines): CellMirror {
    const mirror = new CellMirror();
    mirror.rows = rows;
    if (loaded && loaded.starts.length === rows.length + 1 && loaded.unchanged.length === rows.length) mirror.loaded = loaded;
    return mirror;
  }

  /**
   * The sheet's digest lines in row then column order, as strings (`lineOf` each tuple) or, for runs of rows
   * unchanged since they were loaded, as their UTF-8 bytes: `add` gets parts whose concatenation is the same bytes.
   */
  digestLines(lineOf: (t: CellTuple) => string, add: (part: string | Uint8Array) => void): void {
    const loaded = this.loaded;
    const kept = loaded ? loaded.unchanged.length : 0;
    let span = -1;
    for (let r = 0; r < this.rows.length; r++) {
      if (r < kept && loaded!.unchanged[r] === 1) {
        if (span < 0) span = r;
        continue;
      }
      if (span >= 0) {
        add(loaded!.bytes.subarray(loaded!.starts[span]!, loaded!.starts[r]!));
        span = -1;
      }
      const line = this.rows[r];
      if (line) for (const t of line) add(lineOf(t));
    }
    if (span >= 0) add(loaded!.bytes.subarray(loaded!.starts[span]!, loaded!.starts[this.rows.length]!));
  }

  /** Row r no longer holds what was loaded. */
  private changed(r: number): void {
    if (this.loaded !== null && r < this.loaded.unchanged.length) this.loaded.unchanged[r] = 0;
  }

  /** Store a cell's row (replacing the one at its row and column). */
  set(t: CellTuple): void {
    this.changed(t[0]);
    const line = (this.rows[t[0]] ??= []);
    const c = t[1];
    let i = line.length;
    // Rows are mostly written left to right: search from the end.
    while (i > 0 && line[i - 1]![1] > c) i--;
    if (i > 0 && line[i - 1]![1] === c) line[i - 1] = t;
    else line.splice(i, 0, t);
  }

  delete(r: number, c: number): void {
    this.changed(r);
    const line = this.rows[r];
    if (!line) return;
    const i = line.findIndex((t) => t[1] === c);
    if (i >= 0) line.splice(i, 1);
    if (line.length === 0) this.rows[r] = undefined;
  }

  /** values.clear: cells without an own format go, formatted ones keep only their format. */
  clearValues(rect: Rect): void {
    const end = Math.min(rect.endRow, this.rows.length);
    for (let r = rect.startRow; r < end; r++) {
      const line = this.rows[r];
      if (!line) continue;
      this.changed(r);
      const kept: CellTuple[] = [];
      for (const t of line) {
        if (t[1] < rect.startCol || t[1] >= rect.endCol) kept.push(t);
        else if (t[5] !== null) kept.push([t[0], t[1], null, null, null, t[5]]);
      }
      this.rows[r] = kept.length > 0 ? kept : undefined;
    }
  }

  /** `count` empty rows inserted before `atRow`: the rows from there down move `count` lower. */
  insertRows(atRow: number, count: number): void {
    // Every row from there down now holds other cells (or the same ones under another row number).
    this.loaded?.unchanged.fill(0, Math.max(0, atRow));
    const rows = this.rows;
    // From the end, so each row moves into a slot already read (a spread of the moved rows overflows the stack
    // past ~100,000 rows).
    for (let r = rows.length - 1; r >= atRow; r--) {
      const line = rows[r];
      rows[r + count] = line?.map((t): CellTuple => [t[0] + count, t[1], t[2], t[3], t[4], t[5]]);
      rows[r] = undefined;
    }
  }

  /** The grid shrank: cells at or past `rowCount` rows or `columnCount` columns go. */
  crop(rowCount: number, columnCount: number): void {
    this.loaded = null;
    if (this.rows.length > rowCount) this.rows.length = rowCount;
    for (let r = 0; r < this.rows.length; r++) {
      const line = this.rows[r];
      if (!line || line[line.length - 1]![1] < columnCount) continue;
      const kept = line.filter((t) => t[1] < columnCount);
      this.rows[r] = kept.length > 0 ? kept : undefined;
    }
  }

  /** The tuples inside a rectangle, in row then column order. */
  inside(rect: Rect): CellTuple[] {
    const out: CellTuple[] = [];
    const end = Math.min(rect.endRow, this.rows.length);
    for (let r = Math.max(0, rect.startRow); r < end; r++) {
      const line = this.rows[r];
      if (!line) continue;
      for (const t of line) {
        if (t[1] >= rect.endCol) break;
        if (t[1] >= rect.startCol) out.push(t);
      }
    }
    return out;
  }

  /** Every tuple, in row then column order. */
  all(): CellTuple[] {
    const out: CellTuple[] = [];
    for (const line of this.rows) if (line) for (const t of line) out.push(t);
    return out;
  }
}
