/** A1 ranges resolved against a spreadsheet's sheets and grid, with Google's errors for unknown sheets and out-of-grid ranges. */
import { A1Error, formatA1, parseA1, quoteSheetTitle } from './a1.ts';
import type { Rect } from './append.ts';
import { badRequest } from './errors.ts';
import type { SheetRow } from './store.ts';

/** A range bound to a sheet. `rect` has every open end closed at the grid edge. */
export interface ResolvedRange {
  sheet: SheetRow;
  rect: Rect;
  /** The range names one cell (`A1`): a write may extend from it in any direction Google allows (right and down). */
  singleCell: boolean;
  /** Which ends the range text left open (`A5:A` has an open end row). */
  openEndRow: boolean;
  openEndCol: boolean;
}

/** Google's text for a range beyond the grid: `Range ('Sheet1'!A1001) exceeds grid limits. Max rows: 1000, max columns: 26`. */
export function exceedsGrid(sheet: SheetRow, rect: Rect): Error {
  const quoted = `'${sheet.title.replaceAll("'", "''")}'`;
  const a1 = formatA1(sheet.title, rect).slice(quoteSheetTitle(sheet.title).length + 1);
  return badRequest(`Range (${quoted}!${a1}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`);
}

/** The sheet a range names (or the first visible sheet); Google's `Unable to parse range` when there is none. */
function sheetOf(sheets: readonly SheetRow[], title: string | null, text: string): SheetRow {
  if (title === null) {
    const visible = sheets.find((s) => !s.hidden) ?? sheets[0];
    if (visible) return visible;
  } else {
    for (const sheet of sheets) if (sheet.title === title) return sheet;
  }
  throw badRequest(`Unable to parse range: ${text}`);
}

/**
 * Resolve an A1 range for reading, clearing or writing: open ends close at the grid edge; explicit bounds beyond
 * the grid are Google's "exceeds grid limits" error unless `clip` (append searches, which grow the grid instead).
 */
export function resolveRange(sheets: readonly SheetRow[], text: string, clip = false): ResolvedRange {
  let parsed;
  try {
    parsed = parseA1(text);
  } catch (err) {
    if (err instanceof A1Error) throw badRequest(err.message);
    throw err;
  }
  const sheet = sheetOf(sheets, parsed.sheet, text);
  const startRow = parsed.startRow ?? 0;
  const startCol = parsed.startCol ?? 0;
  const openEndRow = parsed.endRow === undefined;
  const openEndCol = parsed.endCol === undefined;
  let endRow = parsed.endRow ?? sheet.rowCount;
  let endCol = parsed.endCol ?? sheet.columnCount;
  if (clip) {
    endRow = Math.min(endRow, sheet.rowCount);
    endCol = Math.min(endCol, sheet.columnCount);
  } else if (startRow >= sheet.rowCount || startCol >= sheet.columnCount || endRow > sheet.rowCount || endCol > sheet.columnCount) {
    throw exceedsGrid(sheet, { startRow, endRow: Math.max(endRow, startRow + 1), startCol, endCol: Math.max(endCol, startCol + 1) });
  }
  const singleCell = !openEndRow && !openEndCol && endRow - startRow === 1 && endCol - startCol === 1;
  return { sheet, rect: { startRow, endRow, startCol, endCol }, singleCell, openEndRow, openEndCol };
}

/** `Sheet1!A1:B2` for a rectangle of a sheet, as Google writes ranges in responses. */
export function rangeText(sheet: SheetRow, rect: Rect): string {
  return formatA1(sheet.title, rect);
}

/**
 * values.update and values.append: a body `range`, when given, must name the URL's range (compared resolved, so
 * `A1:B2` and `'Sheet1'!A1:B2` agree on the first sheet). Google answers 400 otherwise; its exact text is not
 * pinned down (docs/fidelity.md).
 */
export function checkBodyRange(sheets: readonly SheetRow[], urlRange: string, url: ResolvedRange, bodyRange: string | undefined, clip = false): void {
  if (bodyRange === undefined) return;
  let body: ResolvedRange | undefined;
  try {
    body = resolveRange(sheets, bodyRange, clip);
  } catch {
    body = undefined;
  }
  const same =
    body !== undefined &&
    body.sheet.sid === url.sheet.sid &&
    body.rect.startRow === url.rect.startRow &&
    body.rect.endRow === url.rect.endRow &&
    body.rect.startCol === url.rect.startCol &&
    body.rect.endCol === url.rect.endCol;
  if (!same) throw badRequest(`Requested range [${urlRange}] and the range in the request body [${bodyRange}] do not match.`);
}
