/**
 * The mock's state in SQLite (better-sqlite3): spreadsheets, sheets, column formats and sparse cells (only cells
 * with a value or an own format are stored). WAL with synchronous=NORMAL: a committed transaction survives
 * `kill -9` of the process. Every query is prepared once. Ranges and the digest are read from each sheet's
 * in-memory mirror of its rows (cell-mirror.ts), which every write here keeps equal to SQLite.
 */
import Database from 'better-sqlite3';
import type { Occupancy, Rect } from './append.ts';
import { CellMirror, roundTrips, sqliteValue } from './cell-mirror.ts';
import { SheetOccupancy } from './occupancy.ts';
import { type CellAt, type CellDbRow, type CellTuple, type NewSheet, type SheetDbRow, type SheetRow, type SpreadsheetRow, type WorkbookExport, SCHEMA, formatKey, hasValue, toSheet } from './store-rows.ts';
import { digestLine, exportWorkbook, loadWorkbook, workbookDigest } from './store-workbook.ts';
import type { StoredCell } from './values.ts';
import type { NumberFormatSpec, WorkbookSpec } from './workbook.ts';

// The rows and helpers live in store-rows.ts, whole-workbook load/export/digest in store-workbook.ts.
export { DEFAULT_LOCALE, DEFAULT_TIME_ZONE, formatKey, sheetIdFor } from './store-rows.ts';
export type { CellAt, NewSheet, SheetRow, SpreadsheetRow, WorkbookExport } from './store-rows.ts';

/** Rows per multi-row insert of `cellWriter` (7 parameters each, under SQLite's 999-parameter floor). */
const CELL_BATCH = 128;

/** The SQLite store of one mock server. */
export class SheetsStore {
  readonly db: Database.Database;
  private readonly formats = new Map<string, NumberFormatSpec>();
  private readonly columnFormatCache = new Map<number, Map<number, NumberFormatSpec>>();
  private readonly occupancyCache = new Map<number, SheetOccupancy>();
  /** Each sheet's cells, as SQLite holds them: what range reads and the digest read (cell-mirror.ts). */
  private readonly cellCache = new Map<number, CellMirror>();
  /** Spreadsheet and sheet metadata, read on every call; dropped whenever a sheet or spreadsheet changes. */
  private readonly spreadsheetCache = new Map<string, SpreadsheetRow | null>();
  private readonly sheetsCache = new Map<string, SheetRow[]>();
  private readonly runInTransaction: (fn: () => unknown) => unknown;
  private readonly stmt;

  /** On a file (kept across runs), in memory (the default), or in memory from a serialized image (store-image.ts). */
  constructor(path: string | Buffer = ':memory:') {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    const db = this.db;
    this.stmt = {
      spreadsheet: db.prepare<[string], { id: string; title: string; locale: string; time_zone: string }>(
        'SELECT id, title, locale, time_zone FROM spreadsheets WHERE id = ?',
      ),
      firstSpreadsheet: db.prepare<[], { id: string }>('SELECT id FROM spreadsheets ORDER BY ord LIMIT 1'),
      spreadsheetIds: db.prepare<[], { id: string }>('SELECT id FROM spreadsheets ORDER BY id'),
      spreadsheetCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM spreadsheets'),
      insertSpreadsheet: db.prepare(
        'INSERT INTO spreadsheets (id, ord, title, locale, time_zone) VALUES (?, (SELECT coalesce(max(ord), 0) + 1 FROM spreadsheets), ?, ?, ?)',
      ),
      deleteSpreadsheet: db.prepare('DELETE FROM spreadsheets WHERE id = ?'),
      sheets: db.prepare<[string], SheetDbRow>('SELECT * FROM sheets WHERE spreadsheet_id = ? ORDER BY idx'),
      insertSheet: db.prepare(
        'INSERT INTO sheets (spreadsheet_id, sheet_id, title, idx, row_count, column_count, hidden) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      gridOf: db.prepare<[number], { row_count: number; column_count: number }>('SELECT row_count, column_count FROM sheets WHERE sid = ?'),
      updateSheet: db.prepare('UPDATE sheets SET title = ?, idx = ?, row_count = ?, column_count = ?, hidden = ? WHERE sid = ?'),
      deleteSheet: db.prepare('DELETE FROM sheets WHERE sid = ?'),
      deleteSheetCells: db.prepare('DELETE FROM cells WHERE sid = ?'),
      deleteSheetFormats: db.prepare('DELETE FROM column_formats WHERE sid = ?'),
      columnFormats: db.prepare<[number], { c: number; format: string }>('SELECT c, format FROM column_formats WHERE sid = ?'),
      setColumnFormat: db.prepare('INSERT OR REPLACE INTO column_formats (sid, c, format) VALUES (?, ?, ?)'),
      // As arrays, not objects: a sheet's mirror is built from every cell of it.
      allCellTuples: db.prepare<[number], CellTuple>('SELECT r, c, kind, value, formula, format FROM cells WHERE sid = ? ORDER BY r, c').raw(true),
      occupied: db.prepare<[number], { r: number; c: number }>(
        'SELECT r, c FROM cells WHERE sid = ? AND (kind IS NOT NULL OR formula IS NOT NULL)',
      ),
      upsertCell: db.prepare('INSERT OR REPLACE INTO cells (sid, r, c, kind, value, formula, format) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      // CELL_BATCH rows per statement for loading a workbook: one native call per row was most of a world's load.
      upsertCellBatch: db.prepare(
        `INSERT OR REPLACE INTO cells (sid, r, c, kind, value, formula, format) VALUES ${Array.from({ length: CELL_BATCH }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      ),
      deleteCell: db.prepare('DELETE FROM cells WHERE sid = ? AND r = ? AND c = ?'),
      clearFormatless: db.prepare('DELETE FROM cells WHERE sid = ? AND r >= ? AND r < ? AND c >= ? AND c < ? AND format IS NULL'),
      clearFormatted: db.prepare(
        'UPDATE cells SET kind = NULL, value = NULL, formula = NULL WHERE sid = ? AND r >= ? AND r < ? AND c >= ? AND c < ?',
      ),
      // Two steps so the primary key never collides mid-update: park shifted rows at negative indexes, then flip.
      shiftRowsOut: db.prepare('UPDATE cells SET r = -1 - (r + ?) WHERE sid = ? AND r >= ?'),
      shiftRowsBack: db.prepare('UPDATE cells SET r = -1 - r WHERE sid = ? AND r < 0'),
      cropCells: db.prepare('DELETE FROM cells WHERE sid = ? AND (r >= ? OR c >= ?)'),
      cropFormats: db.prepare('DELETE FROM column_formats WHERE sid = ? AND c >= ?'),
    };
    const tx = this.db.transaction((fn: () => unknown) => fn());
    this.runInTransaction = (fn) => tx(fn);
  }

  /** Run `fn` in one SQLite transaction: everything it writes commits together or not at all. */
  transaction<T>(fn: () => T): T {
    try {
      return this.runInTransaction(fn) as T;
    } catch (err) {
      // The rollback undid the rows; the in-memory mirrors may hold half of the batch.
      this.dropCaches();
      throw err;
    }
  }

  /** Close the database (the file stays). */
  close(): void {
    this.db.close();
  }

  spreadsheet(id: string): SpreadsheetRow | undefined {
    let cached = this.spreadsheetCache.get(id);
    if (cached === undefined) {
      const row = this.stmt.spreadsheet.get(id);
      cached = row ? { id: row.id, title: row.title, locale: row.locale, timeZone: row.time_zone } : null;
      this.spreadsheetCache.set(id, cached);
    }
    return cached ?? undefined;
  }

  /** The id of the first spreadsheet created (the world's), or null when the store is empty. */
  firstSpreadsheetId(): string | null {
    return this.stmt.firstSpreadsheet.get()?.id ?? null;
  }

  spreadsheetCount(): number {
    return this.stmt.spreadsheetCount.get()?.n ?? 0;
  }

  /** The sheets of a spreadsheet in tab order (shared: copy before changing one). */
  sheets(spreadsheetId: string): readonly SheetRow[] {
    let sheets = this.sheetsCache.get(spreadsheetId);
    if (sheets === undefined) {
      sheets = this.stmt.sheets.all(spreadsheetId).map(toSheet);
      this.sheetsCache.set(spreadsheetId, sheets);
    }
    return sheets;
  }

  /** Insert a spreadsheet and its sheets (in tab order). */
  createSpreadsheet(row: SpreadsheetRow, sheets: NewSheet[]): readonly SheetRow[] {
    this.dropMetadata();
    this.stmt.insertSpreadsheet.run(row.id, row.title, row.locale, row.timeZone);
    sheets.forEach((sheet, index) => {
      this.stmt.insertSheet.run(row.id, sheet.sheetId, sheet.title, index, sheet.rowCount, sheet.columnCount, sheet.hidden ? 1 : 0);
    });
    const created = this.sheets(row.id);
    // A new sheet has no cells: its mirror starts empty rather than being read back.
    for (const sheet of created) this.cellCache.set(sheet.sid, new CellMirror());
    return created;
  }

  /** Remove a spreadsheet with its sheets and cells. */
  deleteSpreadsheet(id: string): void {
    for (const sheet of this.sheets(id)) this.deleteSheet(sheet.sid);
    this.stmt.deleteSpreadsheet.run(id);
    this.dropMetadata();
  }

  /** Insert a sheet at `index`, moving later tabs right. */
  addSheet(spreadsheetId: string, sheet: NewSheet, index: number): SheetRow {
    const existing = this.sheets(spreadsheetId);
    const at = Math.max(0, Math.min(index, existing.length));
    for (const other of existing) if (other.index >= at) this.updateSheet({ ...other, index: other.index + 1 });
    this.dropMetadata();
    const info = this.stmt.insertSheet.run(spreadsheetId, sheet.sheetId, sheet.title, at, sheet.rowCount, sheet.columnCount, sheet.hidden ? 1 : 0);
    const sid = Number(info.lastInsertRowid);
    this.cellCache.set(sid, new CellMirror());
    return { sid, spreadsheetId, index: at, hidden: sheet.hidden ?? false, ...sheet };
  }

  /** Write a sheet's properties; a smaller grid drops the cells (and column formats) outside it. */
  updateSheet(sheet: SheetRow): void {
    const before = this.stmt.gridOf.get(sheet.sid);
    this.dropMetadata();
    this.stmt.updateSheet.run(sheet.title, sheet.index, sheet.rowCount, sheet.columnCount, sheet.hidden ? 1 : 0, sheet.sid);
    // Only a smaller grid needs the (whole-sheet) crop; appends grow grids on every call.
    if (before && (sheet.rowCount < before.row_count || sheet.columnCount < before.column_count)) {
      this.stmt.cropCells.run(sheet.sid, sheet.rowCount, sheet.columnCount);
      this.stmt.cropFormats.run(sheet.sid, sheet.columnCount);
      this.cellCache.get(sheet.sid)?.crop(sheet.rowCount, sheet.columnCount);
      this.occupancyCache.delete(sheet.sid);
      this.columnFormatCache.delete(sheet.sid);
    }
  }

  /** Remove a sheet and its cells (tab indexes of the others are the caller's business). */
  deleteSheet(sid: number): void {
    this.stmt.deleteSheetCells.run(sid);
    this.stmt.deleteSheetFormats.run(sid);
    this.stmt.deleteSheet.run(sid);
    this.dropMetadata();
    this.occupancyCache.delete(sid);
    this.cellCache.delete(sid);
    this.columnFormatCache.delete(sid);
  }

  /** Number formats by 0-based column. */
  columnFormats(sid: number): Map<number, NumberFormatSpec> {
    let map = this.columnFormatCache.get(sid);
    if (map === undefined) {
      map = new Map();
      for (const row of this.stmt.columnFormats.all(sid)) map.set(row.c, this.parseFormat(row.format));
      this.columnFormatCache.set(sid, map);
    }
    return map;
  }

  setColumnFormat(sid: number, col: number, format: NumberFormatSpec): void {
    this.stmt.setColumnFormat.run(sid, col, formatKey(format));
    this.columnFormatCache.delete(sid);
  }

  /** Stored cells inside a rectangle (with a value or an own format), in row then column order. */
  readCells(sid: number, rect: Rect): CellAt[] {
    return this.mirror(sid)
      .inside(rect)
      .map((t) => ({ row: t[0], col: t[1], cell: this.cellFrom(t[2], t[3], t[4], t[5]) }));
  }

  /**
   * The stored cells inside a rectangle, in row then column order, without a CellAt and a StoredCell made for each
   * (a backend's cache load reads ~200,000): `cell` is one object refilled for every call, so keep none of it.
   */
  visitCells(sid: number, rect: Rect, visit: (row: number, col: number, cell: Readonly<StoredCell>) => void): void {
    const cell: { value: StoredCell['value']; formula: string | undefined; format: NumberFormatSpec | undefined } = { value: null, formula: undefined, format: undefined };
    this.mirror(sid).visit(rect, (row, col, kind, stored, formula, format) => {
      cell.value = valueOf(kind, stored);
      cell.formula = formula ?? undefined;
      cell.format = format === null ? undefined : this.parseFormat(format);
      visit(row, col, cell as StoredCell);
    });
  }

  /** Store a cell (null, or a cell with neither value, formula nor format, removes it). */
  writeCell(sid: number, row: number, col: number, cell: StoredCell | null): void {
    const occupancy = this.occupancyCache.get(sid);
    if (cell === null || (!hasValue(cell) && cell.format === undefined)) {
      this.stmt.deleteCell.run(sid, row, col);
      this.cellCache.get(sid)?.delete(row, col);
      occupancy?.remove(row, col);
      return;
    }
    const t = cellRow(row, col, cell);
    this.stmt.upsertCell.run(sid, row, col, t[2], t[3], t[4], t[5]);
    this.mirrorSet(sid, t, this.cellCache.get(sid));
    if (occupancy !== undefined) {
      if (hasValue(cell)) occupancy.add(row, col);
      else occupancy.remove(row, col);
    }
  }

  /**
   * Many `writeCell`s of one sheet, in order, as multi-row upserts (a workbook load writes ~200,000 cells). The
   * rows stored are those `writeCell` would store, in the same order (INSERT OR REPLACE: a later write of a cell
   * wins); a deletion flushes what is pending first. Call `flush` at the end, inside the caller's transaction.
   */
  cellWriter(sid: number): { write(row: number, col: number, cell: StoredCell | null): void; flush(): void } {
    const pending: Array<number | string | null> = [];
    let rows = 0;
    // Written ahead of SQLite's rows: a mirror built from SQLite meanwhile (or dropped) is dropped at the flush.
    const mirror = this.mirror(sid);
    const flush = (): void => {
      if (rows === CELL_BATCH) this.stmt.upsertCellBatch.run(pending);
      else for (let i = 0; i < pending.length; i += 7) this.stmt.upsertCell.run(pending.slice(i, i + 7));
      pending.length = 0;
      rows = 0;
      if (this.cellCache.get(sid) !== mirror) this.cellCache.delete(sid);
    };
    return {
      write: (row, col, cell) => {
        if (cell === null || (!hasValue(cell) && cell.format === undefined)) {
          flush();
          this.writeCell(sid, row, col, cell);
          return;
        }
        const t = cellRow(row, col, cell);
        pending.push(sid, row, col, t[2], t[3], t[4], t[5]);
        this.mirrorSet(sid, t, mirror);
        // The sheet's occupancy, if cached, is kept as writeCell keeps it.
        const occupancy = this.occupancyCache.get(sid);
        if (occupancy !== undefined) {
          if (hasValue(cell)) occupancy.add(row, col);
          else occupancy.remove(row, col);
        }
        if (++rows === CELL_BATCH) flush();
      },
      flush,
    };
  }

  /** Clear values and formulas in a rectangle; cells keep their own formats (values.clear). */
  clearValues(sid: number, rect: Rect): void {
    this.stmt.clearFormatless.run(sid, rect.startRow, rect.endRow, rect.startCol, rect.endCol);
    this.stmt.clearFormatted.run(sid, rect.startRow, rect.endRow, rect.startCol, rect.endCol);
    this.cellCache.get(sid)?.clearValues(rect);
    this.occupancyCache.get(sid)?.removeRect(rect.startRow, rect.endRow, rect.startCol, rect.endCol);
  }

  /** Insert `count` empty rows before `atRow`, moving the rows below down (the caller grows rowCount). */
  insertRows(sid: number, atRow: number, count: number): void {
    this.stmt.shiftRowsOut.run(count, sid, atRow);
    this.stmt.shiftRowsBack.run(sid);
    this.cellCache.get(sid)?.insertRows(atRow, count);
    this.occupancyCache.get(sid)?.shiftRows(atRow, count);
  }

  /** Which cells of a sheet hold a value (kept in memory after the first use, updated by every write). */
  occupancy(sid: number): Occupancy {
    let occupancy = this.occupancyCache.get(sid);
    if (occupancy === undefined) {
      occupancy = new SheetOccupancy();
      for (const { r, c } of this.stmt.occupied.all(sid)) occupancy.add(r, c);
      this.occupancyCache.set(sid, occupancy);
    }
    return occupancy;
  }

  /** Replace (or add) the spreadsheet of `spec`, loading its rows with USER_ENTERED semantics (store-workbook.ts). */
  loadWorkbook(spec: WorkbookSpec): void {
    loadWorkbook(this, spec);
  }

  /** Remove every spreadsheet (before a reset reloads the world). */
  clearAll(): void {
    this.transaction(() => {
      this.db.exec('DELETE FROM cells; DELETE FROM column_formats; DELETE FROM sheets; DELETE FROM spreadsheets;');
    });
    this.dropCaches();
  }

  /** Everything stored, in a canonical order (spreadsheets by id, sheets by tab, cells by row then column). */
  export(): WorkbookExport {
    return exportWorkbook(this);
  }

  /** sha256 (hex) over a canonical listing of everything stored; equal workbooks give equal digests (store-workbook.ts). */
  digest(): string {
    return workbookDigest(this);
  }

  /** Take `mirror` as sheet `sid`'s (a store opened on an image: store-image.ts) rather than building it from SQLite. */
  adoptMirror(sid: number, mirror: CellMirror): void {
    this.cellCache.set(sid, mirror);
  }

  /** Every spreadsheet id, sorted. */
  spreadsheetIds(): string[] {
    return this.stmt.spreadsheetIds.all().map(({ id }) => id);
  }

  /** The stored rows of a sheet's cells, by row then column. */
  cellRows(sid: number): CellDbRow[] {
    return this.cellTuples(sid).map(([r, c, kind, value, formula, format]) => ({ r, c, kind, value, formula, format }));
  }

  /** The same rows as `cellRows`, as [r, c, kind, value, formula, format] tuples (cheaper to read in bulk). */
  cellTuples(sid: number): CellTuple[] {
    return this.mirror(sid).all();
  }

  /** A sheet's lines of the workbook digest, in parts (store-workbook.ts, cell-mirror.ts). */
  cellDigestLines(sid: number, add: (part: string | Uint8Array) => void): void {
    this.mirror(sid).digestLines(digestLine, add);
  }

  /** The cell a stored row holds. */
  cellOf(row: CellDbRow): StoredCell {
    return this.toCell(row);
  }

  private dropMetadata(): void {
    this.spreadsheetCache.clear();
    this.sheetsCache.clear();
  }

  private dropCaches(): void {
    this.dropMetadata();
    this.columnFormatCache.clear();
    this.occupancyCache.clear();
    this.cellCache.clear();
  }

  /** A sheet's mirror, built from SQLite when there is none (a store opened on a file, or after a rollback). */
  private mirror(sid: number): CellMirror {
    let mirror = this.cellCache.get(sid);
    if (mirror === undefined) {
      mirror = CellMirror.of(this.stmt.allCellTuples.all(sid));
      this.cellCache.set(sid, mirror);
    }
    return mirror;
  }

  /** Mirror a stored row; one whose text SQLite would not give back as written drops the mirror instead. */
  private mirrorSet(sid: number, t: CellTuple, mirror: CellMirror | undefined): void {
    if (mirror === undefined) return;
    // The format key is JSON.stringify's, which escapes lone surrogates: only the value and the formula can hold one.
    if (roundTrips(typeof t[3] === 'string' ? t[3] : null) && roundTrips(t[4])) mirror.set(t);
    else this.cellCache.delete(sid);
  }

  private parseFormat(text: string): NumberFormatSpec {
    let format = this.formats.get(text);
    if (format === undefined) {
      format = JSON.parse(text) as NumberFormatSpec;
      this.formats.set(text, format);
    }
    return format;
  }

  private toCell(row: CellDbRow): StoredCell {
    return this.cellFrom(row.kind, row.value, row.formula, row.format);
  }

  private cellFrom(kind: string | null, stored: number | string | null, formula: string | null, format: string | null): StoredCell {
    const cell: StoredCell = { value: valueOf(kind, stored) };
    if (formula !== null) cell.formula = formula;
    if (format !== null) cell.format = this.parseFormat(format);
    return cell;
  }
}

/** A stored cell's value from its `kind` and stored column. */
function valueOf(kind: string | null, stored: number | string | null): StoredCell['value'] {
  return kind === null ? null : kind === 'b' ? stored === 1 : kind === 'n' ? Number(stored) : String(stored);
}

/** The `cells` row (without its sheet) SQLite stores for a cell with a value, formula or own format. */
function cellRow(row: number, col: number, cell: StoredCell): CellTuple {
  const value = cell.value;
  const kind = value === null ? null : typeof value === 'number' ? 'n' : typeof value === 'boolean' ? 'b' : 's';
  const stored = typeof value === 'boolean' ? (value ? 1 : 0) : sqliteValue(value);
  return [row, col, kind, stored, cell.formula ?? null, cell.format ? formatKey(cell.format) : null];
}
