/** The rows of the mock's SQLite store: its schema, the row shapes and the small pure helpers over them. */
import { createHash } from 'node:crypto';
import type { StoredCell } from './values.ts';
import type { NumberFormatSpec } from './workbook.ts';

export interface SpreadsheetRow {
  id: string;
  title: string;
  locale: string;
  timeZone: string;
}

export interface SheetRow {
  /** Internal key of the sheet (cells reference it); not Google's sheetId. */
  sid: number;
  spreadsheetId: string;
  sheetId: number;
  title: string;
  index: number;
  rowCount: number;
  columnCount: number;
  hidden: boolean;
}

/** A stored cell and where it is (0-based). */
export interface CellAt {
  row: number;
  col: number;
  cell: StoredCell;
}

/** Properties of a new sheet. */
export interface NewSheet {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
  hidden?: boolean;
}

/** The whole store as plain JSON (`GET /__sheetsim/state?export=true`); the digest is computed over it. */
export interface WorkbookExport {
  spreadsheets: {
    spreadsheetId: string;
    title: string;
    locale: string;
    timeZone: string;
    sheets: {
      sheetId: number;
      title: string;
      index: number;
      rowCount: number;
      columnCount: number;
      hidden: boolean;
      columnFormats: Record<string, NumberFormatSpec>;
      cells: { row: number; col: number; value: StoredCell['value']; formula?: string; format?: NumberFormatSpec }[];
    }[];
  }[];
}

export const DEFAULT_LOCALE = 'es_CL';
export const DEFAULT_TIME_ZONE = 'America/Santiago';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS spreadsheets (
  id TEXT PRIMARY KEY, ord INTEGER NOT NULL, title TEXT NOT NULL, locale TEXT NOT NULL, time_zone TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sheets (
  sid INTEGER PRIMARY KEY, spreadsheet_id TEXT NOT NULL, sheet_id INTEGER NOT NULL, title TEXT NOT NULL,
  idx INTEGER NOT NULL, row_count INTEGER NOT NULL, column_count INTEGER NOT NULL, hidden INTEGER NOT NULL DEFAULT 0,
  UNIQUE (spreadsheet_id, sheet_id));
CREATE TABLE IF NOT EXISTS column_formats (
  sid INTEGER NOT NULL, c INTEGER NOT NULL, format TEXT NOT NULL, PRIMARY KEY (sid, c)) WITHOUT ROWID;
-- kind: 'n' number, 's' string, 'b' boolean (value 0/1), NULL no value (a formula-only or format-only cell)
CREATE TABLE IF NOT EXISTS cells (
  sid INTEGER NOT NULL, r INTEGER NOT NULL, c INTEGER NOT NULL, kind TEXT, value, formula TEXT, format TEXT,
  PRIMARY KEY (sid, r, c)) WITHOUT ROWID;
`;

export interface CellDbRow {
  r: number;
  c: number;
  kind: string | null;
  value: number | string | null;
  formula: string | null;
  format: string | null;
}

/** A stored cell row as a tuple: [r, c, kind, value, formula, format]. */
export type CellTuple = [number, number, string | null, number | string | null, string | null, string | null];

export interface SheetDbRow {
  sid: number;
  spreadsheet_id: string;
  sheet_id: number;
  title: string;
  idx: number;
  row_count: number;
  column_count: number;
  hidden: number;
}

/** Canonical JSON of a number format (stable key order, so equal formats compare and digest equal). */
export function formatKey(format: NumberFormatSpec): string {
  return format.pattern === undefined ? JSON.stringify({ type: format.type }) : JSON.stringify({ type: format.type, pattern: format.pattern });
}

/** Google-like sheetId for a sheet other than the first: stable for a spreadsheet and title. */
export function sheetIdFor(spreadsheetId: string, title: string): number {
  const hash = createHash('sha256').update(`${spreadsheetId}\u0000${title}`).digest();
  return (hash.readUInt32BE(0) % 2_000_000_000) + 1;
}

export function toSheet(row: SheetDbRow): SheetRow {
  return {
    sid: row.sid,
    spreadsheetId: row.spreadsheet_id,
    sheetId: row.sheet_id,
    title: row.title,
    index: row.idx,
    rowCount: row.row_count,
    columnCount: row.column_count,
    hidden: row.hidden === 1,
  };
}

export function hasValue(cell: StoredCell): boolean {
  return cell.value !== null || cell.formula !== undefined;
}
