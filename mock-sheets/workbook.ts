/** The workbook a mock is seeded with. The mock knows nothing of spools: it serves whatever it is given. */

/** A cell as a user would type it; loaded with USER_ENTERED semantics (dates become serials). */
export type CellInput = string | number | boolean | null;

/** A Sheets number format (CellFormat.numberFormat). */
export interface NumberFormatSpec {
  type: 'TEXT' | 'NUMBER' | 'PERCENT' | 'CURRENCY' | 'DATE' | 'TIME' | 'DATE_TIME' | 'SCIENTIFIC';
  /** e.g. `dd-mm-yyyy`, `dd-mm-yyyy hh:mm:ss`; a default per type when absent. */
  pattern?: string;
}

export interface SheetSpec {
  title: string;
  /** Row 1 first (usually the header). */
  rows: CellInput[][];
  /** Number formats by 0-based column index, applied to the whole column (as production formatted its Fecha columns). */
  columnFormats?: Record<number, NumberFormatSpec>;
  /** Grid size; defaults to max(1000, rows) × max(26, widest row). */
  rowCount?: number;
  columnCount?: number;
}

export interface WorkbookSpec {
  spreadsheetId: string;
  title: string;
  /** Spreadsheet locale; the mock parses and renders dates day-first for `es_CL` (the default). */
  locale?: string;
  timeZone?: string;
  sheets: SheetSpec[];
}
