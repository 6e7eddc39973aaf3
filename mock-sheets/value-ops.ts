/**
 * The spreadsheets.values operations against the store: read a range into a ValueRange, write a block of input
 * values, append after a detected table, clear. Run inside the caller's transaction; they throw GoogleError.
 */
import { columnToLetters } from './a1.ts';
import type { Rect } from './append.ts';
import { detectTable } from './append.ts';
import { badRequest, MAX_WORKBOOK_CELLS } from './errors.ts';
import { exceedsGrid, rangeText, type ResolvedRange } from './ranges.ts';
import { formatKey, type SheetRow, type SheetsStore } from './store.ts';
import { parseInput, renderCell, ValueTypeError, type StoredCell, type ValueInputOption } from './values.ts';
import type { InputValue, InsertDataOption, RenderOptions, ResponseOptions } from './wire.ts';

/** A ValueRange as Google answers it (no `values` key when the range is empty). */
export interface ValueRangeOut {
  range: string;
  majorDimension: 'ROWS' | 'COLUMNS';
  values?: (string | number | boolean)[][];
}

/** UpdateValuesResponse. */
export interface UpdateOut {
  spreadsheetId: string;
  updatedRange: string;
  updatedRows?: number;
  updatedColumns?: number;
  updatedCells?: number;
  updatedData?: ValueRangeOut;
}

function hasValue(cell: StoredCell): boolean {
  return cell.value !== null || cell.formula !== undefined;
}

/** Read a rectangle and render it as Google does: trailing empty rows and columns omitted, `[]` for inner empty rows. */
export function readRange(store: SheetsStore, sheet: SheetRow, rect: Rect, options: RenderOptions): ValueRangeOut {
  const out: ValueRangeOut = { range: rangeText(sheet, rect), majorDimension: options.majorDimension };
  const formats = store.columnFormats(sheet.sid);
  const byColumns = options.majorDimension === 'COLUMNS';
  const values: (string | number | boolean)[][] = [];
  store.visitCells(sheet.sid, rect, (row, col, cell) => {
    if (!hasValue(cell)) return;
    const rendered = renderCell(cell, options.valueRender, options.dateTimeRender, cell.format ?? formats.get(col));
    const outer = byColumns ? col - rect.startCol : row - rect.startRow;
    const inner = byColumns ? row - rect.startRow : col - rect.startCol;
    for (let i = values.length; i <= outer; i++) values.push([]);
    const line = values[outer]!;
    while (line.length < inner) line.push('');
    line[inner] = rendered;
  });
  if (values.length > 0) out.values = values;
  return out;
}

/** Counted size of a ValueRange's values (rows, cells) for the call log and the latency model. */
export function sizeOf(range: ValueRangeOut): { rows: number; cells: number } {
  const values = range.values ?? [];
  let cells = 0;
  for (const line of values) cells += line.length;
  return { rows: values.length, cells };
}

/** Shape of a block of rows: its row count and widest row. */
function shapeOf(rows: readonly InputValue[][]): { height: number; width: number } {
  let width = 0;
  for (const row of rows) if (row.length > width) width = row.length;
  return { height: rows.length, width };
}

/** Write `rows` with their top-left cell at (startRow, startCol); the grid must already hold them. Returns cells updated. */
function writeBlock(store: SheetsStore, sheet: SheetRow, startRow: number, startCol: number, rows: readonly InputValue[][], option: ValueInputOption): number {
  const { height, width } = shapeOf(rows);
  if (height === 0 || width === 0) return 0;
  const existing = new Map<number, StoredCell>();
  for (const { row, col, cell } of store.readCells(sheet.sid, { startRow, endRow: startRow + height, startCol, endCol: startCol + width })) {
    existing.set((row - startRow) * width + (col - startCol), cell);
  }
  const formats = store.columnFormats(sheet.sid);
  let updated = 0;
  rows.forEach((line, i) => {
    line.forEach((input, j) => {
      const col = startCol + j;
      const own = existing.get(i * width + j);
      const columnFormat = formats.get(col);
      let write;
      try {
        write = parseInput(input, option, own?.format ?? columnFormat);
      } catch (err) {
        if (err instanceof ValueTypeError) throw badRequest(`Invalid JSON payload received. ${err.message}`);
        throw err;
      }
      if (write.kind === 'skip') return;
      updated++;
      if (write.kind === 'clear') {
        store.writeCell(sheet.sid, startRow + i, col, own?.format ? { value: null, format: own.format } : null);
        return;
      }
      let format = write.cell.format ?? own?.format;
      if (format !== undefined && columnFormat !== undefined && formatKey(format) === formatKey(columnFormat)) format = undefined;
      const cell: StoredCell = { value: write.cell.value };
      if (write.cell.formula !== undefined) cell.formula = write.cell.formula;
      if (format !== undefined) cell.format = format;
      store.writeCell(sheet.sid, startRow + i, col, cell);
    });
  });
  return updated;
}

function updateResponse(
  store: SheetsStore,
  spreadsheetId: string,
  sheet: SheetRow,
  rect: Rect,
  height: number,
  width: number,
  cells: number,
  response: ResponseOptions,
): UpdateOut {
  const out: UpdateOut = { spreadsheetId, updatedRange: rangeText(sheet, rect) };
  if (height > 0) out.updatedRows = height;
  if (width > 0) out.updatedColumns = width;
  if (cells > 0) out.updatedCells = cells;
  if (response.includeValues) out.updatedData = readRange(store, sheet, rect, response.render);
  return out;
}

/**
 * values.update / one entry of values.batchUpdate. A single-cell range anchors the block; a larger range must
 * contain it (Google: "Requested writing within range ..."); the block must fit the grid.
 */
export function updateRange(
  store: SheetsStore,
  spreadsheetId: string,
  target: ResolvedRange,
  rows: InputValue[][],
  option: ValueInputOption,
  response: ResponseOptions,
): UpdateOut {
  const { sheet, rect } = target;
  const { height, width } = shapeOf(rows);
  if (height === 0 || width === 0) return { spreadsheetId, updatedRange: rangeText(sheet, rect) };
  const block = { startRow: rect.startRow, endRow: rect.startRow + height, startCol: rect.startCol, endCol: rect.startCol + width };
  if (!target.singleCell) {
    const within = `Requested writing within range [${rangeText(sheet, rect)}], but tried writing to`;
    if (block.endRow > rect.endRow && !target.openEndRow) throw badRequest(`${within} row [${rect.endRow + 1}]`);
    if (block.endCol > rect.endCol && !target.openEndCol) throw badRequest(`${within} column [${columnToLetters(rect.endCol)}]`);
  }
  if (block.endRow > sheet.rowCount || block.endCol > sheet.columnCount) throw exceedsGrid(sheet, block);
  const cells = writeBlock(store, sheet, block.startRow, block.startCol, rows, option);
  return updateResponse(store, spreadsheetId, sheet, block, height, width, cells, response);
}

/** Google's 10,000,000-cell limit over a spreadsheet's grids, checked before a grid grows. */
export function checkCellLimit(sheets: readonly SheetRow[], changed: SheetRow, prefix = ''): void {
  let total = 0;
  for (const sheet of sheets) {
    const s = sheet.sid === changed.sid ? changed : sheet;
    total += s.rowCount * s.columnCount;
  }
  if (total > MAX_WORKBOOK_CELLS) {
    throw badRequest(`${prefix}This action would increase the number of cells in the workbook above the limit of ${MAX_WORKBOOK_CELLS} cells.`);
  }
}

/** values.append: find the table in the range, write after it (inserting rows for INSERT_ROWS), growing the grid as Google does. */
export function appendRows(
  store: SheetsStore,
  spreadsheetId: string,
  sheets: readonly SheetRow[],
  search: ResolvedRange,
  rows: InputValue[][],
  option: ValueInputOption,
  insert: InsertDataOption,
  response: ResponseOptions,
): { tableRange?: string; updates: UpdateOut } {
  const { sheet } = search;
  const detection = detectTable(store.occupancy(sheet.sid), search.rect);
  const tableRange = detection.table ? rangeText(sheet, detection.table) : undefined;
  const { height, width } = shapeOf(rows);
  const block = { startRow: detection.startRow, endRow: detection.startRow + height, startCol: detection.startCol, endCol: detection.startCol + width };
  if (height === 0 || width === 0) {
    const updates: UpdateOut = { spreadsheetId, updatedRange: rangeText(sheet, { ...block, endRow: block.startRow + 1, endCol: block.startCol + 1 }) };
    return tableRange ? { tableRange, updates } : { updates };
  }
  const grown: SheetRow = { ...sheet };
  if (insert === 'INSERT_ROWS') {
    grown.rowCount = Math.max(sheet.rowCount, block.startRow) + height;
  } else if (block.endRow > sheet.rowCount) {
    grown.rowCount = block.endRow;
  }
  if (block.endCol > sheet.columnCount) grown.columnCount = block.endCol;
  if (grown.rowCount !== sheet.rowCount || grown.columnCount !== sheet.columnCount) {
    checkCellLimit(sheets, grown);
    store.updateSheet(grown);
  }
  if (insert === 'INSERT_ROWS' && block.startRow < sheet.rowCount) store.insertRows(sheet.sid, block.startRow, height);
  const cells = writeBlock(store, grown, block.startRow, block.startCol, rows, option);
  const updates = updateResponse(store, spreadsheetId, grown, block, height, width, cells, response);
  return tableRange ? { tableRange, updates } : { updates };
}

/** values.clear: values and formulas go, formats stay. Returns the cleared range as Google names it. */
export function clearRange(store: SheetsStore, target: ResolvedRange): string {
  store.clearValues(target.sheet.sid, target.rect);
  return rangeText(target.sheet, target.rect);
}
