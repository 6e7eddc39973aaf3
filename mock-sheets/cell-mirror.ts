/**
 * One sheet's stored cells in memory: the rows of SQLite's `cells` table for that sheet, as the tuples a raw
 * `SELECT r, c, kind, value, formula, format … ORDER BY r, c` returns, kept up to date by every write the store makes.
 * Reads of a range and the workbook digest are served from here: materialising SQLite rows cost about 1 µs per cell,
 * and a whole-tab read (a backend's cache load) or the end-of-run digest touches every cell of the world.
 *
 * The tuples are the ones SQLite would give back, value for value (`sqliteValue`). A write whose text SQLite would
 * not give back unchanged (a lone UTF-16 surrogate) is not mirrored: the store drops the mirror and builds it again
 * from SQLite on the next read.
 *
 * A mirror opened from a store image (store-image.ts) starts with its rows packed as the image holds them, with their
 * lines of the workbook digest: reads and the digest use them as they are, and a row becomes tuples only when it is
 * written (or moved by an insert above it). Opening the default world so costs no tuple for its ~200,000 cells, and
 * the digest at the end of a run hashes the stored lines of every row not written since.
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

/** Integers per packed cell: row, column, kind, value tag (0 none, 1 number, 2 text), value index, formula, format. */
export const INTS_PER_CELL = 7;

/**
 * A sheet's rows as a store image holds them. Cell i is `ints[7i … 7i + 6]`: row, column, kind (index in `strings`,
 * -1 for null), the value's tag (0 none, 1 number, 2 text) and index (in `floats` or `strings`), formula and format
 * (indexes in `strings`, -1 for null). Row r's cells are cells `rowStart[r]` to `rowStart[r + 1]`, its digest lines
 * the UTF-8 bytes `lines[lineStart[r] … lineStart[r + 1]]`; both arrays have one entry per row and one more.
 */
export interface PackedRows {
  ints: Int32Array;
  floats: Float64Array;
  strings: readonly string[];
  rowStart: Int32Array;
  lines: Uint8Array;
  lineStart: Int32Array;
}

/** What `visit` gives for each cell: its row and column and the stored columns of its tuple. */
export type CellVisitor = (row: number, col: number, kind: string | null, value: number | string | null, formula: string | null, format: string | null) => void;

/** The cells of one sheet by row, each row's tuples sorted by column. Tuples are never changed in place. */
export class CellMirror {
  /** Rows as tuples; a row still packed is undefined here. */
  private rows: (CellTuple[] | undefined)[] = [];
  private packed: PackedRows | null = null;
  /** 1 while row r is as the image held it (its cells and digest lines read from `packed`). */
  private asLoaded: Uint8Array | null = null;

  /** Built from tuples in (r, c) order, as SQLite returns them. */
  static of(tuples: Iterable<CellTuple>): CellMirror {
    const mirror = new CellMirror();
    for (const t of tuples) (mirror.rows[t[0]] ??= []).push(t);
    return mirror;
  }

  /** Built on a store image's rows of this sheet, taken as they are (rowStart.length - 1 rows). */
  static ofPacked(packed: PackedRows): CellMirror {
    const mirror = new CellMirror();
    const rowCount = packed.rowStart.length - 1;
    mirror.packed = packed;
    mirror.asLoaded = new Uint8Array(rowCount).fill(1);
    mirror.rows.length = rowCount;
    return mirror;
  }

  /**
   * The sheet's digest lines in row then column order, as strings (`lineOf` each tuple) or, for runs of rows as the
   * image held them, as their stored UTF-8 bytes: `add` gets parts whose concatenation is the same bytes.
   */
  digestLines(lineOf: (t: CellTuple) => string, add: (part: string | Uint8Array) => void): void {
    let span = -1;
    for (let r = 0; r < this.rows.length; r++) {
      if (this.isPacked(r)) {
        if (span < 0) span = r;
        continue;
      }
      if (span >= 0) {
        add(this.storedLines(span, r));
        span = -1;
      }
      const line = this.rows[r];
      if (line) for (const t of line) add(lineOf(t));
    }
    if (span >= 0) add(this.storedLines(span, this.rows.length));
  }

  /** Store a cell's row (replacing the one at its row and column). */
  set(t: CellTuple): void {
    this.unpack(t[0]);
    const line = (this.rows[t[0]] ??= []);
    const c = t[1];
    let i = line.length;
    // Rows are mostly written left to right: search from the end.
    while (i > 0 && line[i - 1]![1] > c) i--;
    if (i > 0 && line[i - 1]![1] === c) line[i - 1] = t;
    else line.splice(i, 0, t);
  }

  delete(r: number, c: number): void {
    this.unpack(r);
    const line = this.rows[r];
    if (!line) return;
    const i = line.findIndex((t) => t[1] === c);
    if (i >= 0) line.splice(i, 1);
    if (line.length === 0) this.rows[r] = undefined;
  }

  /** values.clear: cells without an own format go, formatted ones keep only their format. */
  clearValues(rect: Rect): void {
    const end = Math.min(rect.endRow, this.rows.length);
    for (let r = Math.max(0, rect.startRow); r < end; r++) {
      this.unpack(r);
      const line = this.rows[r];
      if (!line) continue;
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
    const rows = this.rows;
    // The rows that move become tuples (their row numbers, and so their digest lines, change).
    for (let r = Math.max(0, atRow); r < rows.length; r++) this.unpack(r);
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
    for (let r = 0; r < this.rows.length; r++) this.unpack(r);
    this.packed = null;
    this.asLoaded = null;
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
    const add = (row: number, col: number, kind: string | null, value: number | string | null, formula: string | null, format: string | null): void =>
      void out.push([row, col, kind, value, formula, format]);
    const end = Math.min(rect.endRow, this.rows.length);
    for (let r = Math.max(0, rect.startRow); r < end; r++) {
      if (this.isPacked(r)) {
        this.visit({ ...rect, startRow: r, endRow: r + 1 }, add);
        continue;
      }
      const line = this.rows[r];
      if (!line) continue;
      for (const t of line) {
        if (t[1] >= rect.endCol) break;
        if (t[1] >= rect.startCol) out.push(t);
      }
    }
    return out;
  }

  /**
   * The cells inside a rectangle, in row then column order, given to `visit` one by one: a packed row's cells are
   * read where they are, with no tuple made (a backend's cache load reads every cell of the world).
   */
  visit(rect: Rect, visit: CellVisitor): void {
    const end = Math.min(rect.endRow, this.rows.length);
    for (let r = Math.max(0, rect.startRow); r < end; r++) {
      if (this.isPacked(r)) {
        const { ints, floats, strings, rowStart } = this.packed!;
        for (let i = rowStart[r]!, last = rowStart[r + 1]!; i < last; i++) {
          const p = i * INTS_PER_CELL;
          const col = ints[p + 1]!;
          if (col >= rect.endCol) break;
          if (col < rect.startCol) continue;
          const tag = ints[p + 3]!;
          const kind = ints[p + 2]!;
          const formula = ints[p + 5]!;
          const format = ints[p + 6]!;
          visit(r, col, kind < 0 ? null : strings[kind]!, tag === 0 ? null : tag === 1 ? floats[ints[p + 4]!]! : strings[ints[p + 4]!]!, formula < 0 ? null : strings[formula]!, format < 0 ? null : strings[format]!);
        }
        continue;
      }
      const line = this.rows[r];
      if (!line) continue;
      for (const t of line) {
        if (t[1] >= rect.endCol) break;
        if (t[1] >= rect.startCol) visit(t[0], t[1], t[2], t[3], t[4], t[5]);
      }
    }
  }

  /** Every tuple, in row then column order. */
  all(): CellTuple[] {
    return this.inside({ startRow: 0, endRow: this.rows.length, startCol: 0, endCol: Number.POSITIVE_INFINITY });
  }

  private isPacked(r: number): boolean {
    return this.asLoaded !== null && r < this.asLoaded.length && this.asLoaded[r] === 1;
  }

  /** Row r as tuples from now on (it is about to change). */
  private unpack(r: number): void {
    if (!this.isPacked(r)) return;
    const line: CellTuple[] = [];
    this.visit({ startRow: r, endRow: r + 1, startCol: 0, endCol: Number.POSITIVE_INFINITY }, (row, col, kind, value, formula, format) =>
      void line.push([row, col, kind, value, formula, format]),
    );
    this.asLoaded![r] = 0;
    this.rows[r] = line.length > 0 ? line : undefined;
  }

  /** The stored digest lines of packed rows `from` to `to` (exclusive). */
  private storedLines(from: number, to: number): Uint8Array {
    const { lines, lineStart } = this.packed!;
    return lines.subarray(lineStart[from]!, lineStart[to]!);
  }
}
