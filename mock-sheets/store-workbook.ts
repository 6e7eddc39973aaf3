/**
 * A whole workbook in and out of the store: load a generated workbook (USER_ENTERED semantics), export everything
 * as plain JSON, and the digest over it. Written against the store's public methods (the interfaces below, which
 * SheetsStore satisfies), so this file does not import the store.
 */
import { createHash } from 'node:crypto';
import { type CellDbRow, type CellTuple, type NewSheet, type SheetRow, type SpreadsheetRow, type WorkbookExport, DEFAULT_LOCALE, DEFAULT_TIME_ZONE, formatKey, sheetIdFor } from './store-rows.ts';
import { parseInput, type StoredCell } from './values.ts';
import type { NumberFormatSpec, WorkbookSpec } from './workbook.ts';

/** What reading a whole workbook needs from the store. */
export interface WorkbookReader {
  spreadsheetIds(): string[];
  spreadsheet(id: string): SpreadsheetRow | undefined;
  sheets(spreadsheetId: string): readonly SheetRow[];
  columnFormats(sid: number): Map<number, NumberFormatSpec>;
  /** The stored rows of a sheet's cells, by row then column. */
  cellRows(sid: number): Iterable<CellDbRow>;
  /** The digest lines of a sheet's cells (`digestLine` of each, by row then column), in parts: strings or UTF-8 bytes. */
  cellDigestLines(sid: number, add: (part: string | Uint8Array) => void): void;
  cellOf(row: CellDbRow): StoredCell;
}

/** What loading a workbook needs from the store. */
export interface WorkbookWriter {
  transaction<T>(fn: () => T): T;
  spreadsheet(id: string): SpreadsheetRow | undefined;
  deleteSpreadsheet(id: string): void;
  createSpreadsheet(row: SpreadsheetRow, sheets: NewSheet[]): readonly SheetRow[];
  setColumnFormat(sid: number, col: number, format: NumberFormatSpec): void;
  writeCell(sid: number, row: number, col: number, cell: StoredCell | null): void;
  /** writeCell, batched: the same rows once `flush` ran. */
  cellWriter(sid: number): { write(row: number, col: number, cell: StoredCell | null): void; flush(): void };
}

/** Replace (or add) the spreadsheet of `spec`, loading its rows with USER_ENTERED semantics. */
export function loadWorkbook(store: WorkbookWriter, spec: WorkbookSpec): void {
  store.transaction(() => {
    if (store.spreadsheet(spec.spreadsheetId)) store.deleteSpreadsheet(spec.spreadsheetId);
    const sheets = store.createSpreadsheet(
      { id: spec.spreadsheetId, title: spec.title, locale: spec.locale ?? DEFAULT_LOCALE, timeZone: spec.timeZone ?? DEFAULT_TIME_ZONE },
      spec.sheets.map((sheet, index) => ({
        sheetId: index === 0 ? 0 : sheetIdFor(spec.spreadsheetId, sheet.title),
        title: sheet.title,
        rowCount: sheet.rowCount ?? Math.max(1000, sheet.rows.length),
        columnCount: sheet.columnCount ?? Math.max(26, ...sheet.rows.map((r) => r.length)),
      })),
    );
    spec.sheets.forEach((sheetSpec, index) => {
      const sid = sheets[index]!.sid;
      const formats = new Map<number, NumberFormatSpec>();
      for (const [col, format] of Object.entries(sheetSpec.columnFormats ?? {})) {
        store.setColumnFormat(sid, Number(col), format);
        formats.set(Number(col), format);
      }
      const writer = store.cellWriter(sid);
      sheetSpec.rows.forEach((cells, row) => {
        cells.forEach((input, col) => {
          const columnFormat = formats.get(col);
          const write = parseInput(input, 'USER_ENTERED', columnFormat);
          if (write.kind !== 'set') return;
          const cell = write.cell;
          const own = cell.format && (!columnFormat || formatKey(cell.format) !== formatKey(columnFormat)) ? cell.format : undefined;
          writer.write(row, col, own ? { ...cell, format: own } : { value: cell.value, ...(cell.formula !== undefined ? { formula: cell.formula } : {}) });
        });
      });
      writer.flush();
    });
  });
}

/** Everything stored, in a canonical order (spreadsheets by id, sheets by tab, cells by row then column). */
export function exportWorkbook(store: WorkbookReader): WorkbookExport {
  return {
    spreadsheets: store.spreadsheetIds().map((id) => {
      const meta = store.spreadsheet(id)!;
      return {
        spreadsheetId: id,
        title: meta.title,
        locale: meta.locale,
        timeZone: meta.timeZone,
        sheets: store.sheets(id).map((sheet) => {
          const columnFormats: Record<string, NumberFormatSpec> = {};
          for (const [col, format] of [...store.columnFormats(sheet.sid)].sort((a, b) => a[0] - b[0])) columnFormats[String(col)] = format;
          return {
            sheetId: sheet.sheetId,
            title: sheet.title,
            index: sheet.index,
            rowCount: sheet.rowCount,
            columnCount: sheet.columnCount,
            hidden: sheet.hidden,
            columnFormats,
            cells: [...store.cellRows(sheet.sid)].map((row) => {
              const cell = store.cellOf(row);
              return {
                row: row.r,
                col: row.c,
                value: cell.value,
                ...(cell.formula !== undefined ? { formula: cell.formula } : {}),
                ...(cell.format !== undefined ? { format: cell.format } : {}),
              };
            }),
          };
        }),
      };
    }),
  };
}

/** A cell's line of the workbook digest (its bytes are part of the digest contract). */
export function digestLine([r, c, kind, value, formula, format]: CellTuple): string {
  return `c ${r} ${c} ${kind ?? '-'} ${JSON.stringify(value)} ${JSON.stringify(formula)} ${format ?? '-'}\n`;
}

/**
 * sha256 (hex) over a canonical listing of everything stored (spreadsheets by id, sheets by tab, column
 * formats, cells by row then column): equal workbooks give equal digests, in any process. Streamed, so a large
 * workbook is never held as one string.
 */
export function workbookDigest(store: WorkbookReader): string {
  const hash = createHash('sha256');
  // Lines are gathered into ~64 KB strings before hashing: one hash.update per cell (hundreds of thousands for
  // the default world) cost more than the hashing itself. The bytes hashed, and so the digest, are the same.
  let buffered = '';
  const add = (line: string): void => {
    buffered += line;
    if (buffered.length >= 65_536) {
      hash.update(buffered);
      buffered = '';
    }
  };
  // Lines already in UTF-8 (rows of a world opened from the cache, unchanged since: cell-mirror.ts) go in as they are.
  const addPart = (part: string | Uint8Array): void => {
    if (typeof part === 'string') return add(part);
    hash.update(buffered);
    buffered = '';
    hash.update(part);
  };
  for (const id of store.spreadsheetIds()) {
    const meta = store.spreadsheet(id)!;
    add(JSON.stringify(['spreadsheet', id, meta.title, meta.locale, meta.timeZone]) + '\n');
    for (const sheet of store.sheets(id)) {
      add(JSON.stringify(['sheet', sheet.sheetId, sheet.title, sheet.index, sheet.rowCount, sheet.columnCount, sheet.hidden]) + '\n');
      const formats = [...store.columnFormats(sheet.sid)].sort((a, b) => a[0] - b[0]);
      for (const [col, format] of formats) add(`f ${col} ${formatKey(format)}\n`);
      store.cellDigestLines(sheet.sid, addPart);
    }
  }
  hash.update(buffered);
  return hash.digest('hex');
}
