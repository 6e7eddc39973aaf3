/**
 * A1 notation (Google Sheets API v4): parsing and formatting of ranges.
 * Pure and allocation-light: it runs for every range of every request.
 *
 * Behaviours chosen where Google's is not documented (cited by docs/fidelity.md):
 * - Unquoted sheet names may hold Unicode letters, digits, `_`, `.`, `-` and single inner spaces
 *   (Google's own quickstart reads `Class Data!A2:E` unquoted). Anything else needs quotes.
 * - `A5:5` (row 5 from column A rightwards) is accepted, mirroring `A5:A`; Sheets formulas accept it.
 * - Corners may come in any order: `B2:A1` → A1:B2, `B:A5` → A5:B (columns A–B from row 5 down).
 * - A column-only part against a row-only part (`A:5`) is rejected, as is a lone column (`Sheet1!A`).
 * - A bare word of one to three letters then digits is a cell (`A0` is a bad cell, not a sheet); with four or
 *   more letters it is a sheet name (`Sheet1`, `ABCD1`), matching Google leaving `Sheet1` unquoted.
 * - Rows run from 1 to 10,000,000 (Google's cell limit bounds any sheet's rows); `A0` is an error.
 * - No whitespace trimming, no `$` absolute markers, no R1C1, no named ranges, no comma lists.
 */

/** A parsed A1 range before it is resolved against a sheet. Rows and columns are 0-based; end is exclusive; undefined = unbounded. */
export interface A1Range {
  /** Sheet title (unquoted, `''` unescaped), or null when the range names no sheet (first visible sheet). */
  sheet: string | null;
  startRow?: number;
  endRow?: number;
  startCol?: number;
  endCol?: number;
}

/** Thrown for an unparseable range; `message` is Google's text: `Unable to parse range: <range>`. */
export class A1Error extends Error {
  override name = 'A1Error';
  constructor(public readonly range: string) {
    super(`Unable to parse range: ${range}`);
  }
}

/** Largest column index + 1 accepted (`ZZZ` = 18278 columns). */
export const MAX_COLUMNS = 18278;

/** Largest 1-based row number accepted in a range (a sheet can never hold more rows than the 10M-cell limit). */
export const MAX_ROWS = 10_000_000;

const UNQUOTED_SHEET = /^[\p{L}\p{N}_.-]+(?: [\p{L}\p{N}_.-]+)*$/u;
/** Titles Google returns without quotes: plain word characters that cannot be read as a reference. */
const PLAIN_TITLE = /^[A-Za-z0-9_]+$/;
/** Titles that read as a cell (`A1`), a row (`12`) or an R1C1 reference (`R1C1`), so Google quotes them. */
const REFERENCE_LIKE = /^(?:[A-Za-z]{1,3}[0-9]+|[0-9]+|[Rr][0-9]*[Cc][0-9]*)$/;
/** Up to three letters then digits: a cell even when out of bounds (`A0`); `Sheet1` has more letters, so is a name. */
const CELL_SHAPED = /^[A-Za-z]{1,3}[0-9]+$/;

/** One side of a range: a column, a row, or both; -1 = absent. Reused to avoid allocating per part. */
interface Part {
  col: number;
  row: number;
}

const INVALID = -2;

/** Parse one side (`AB12`, `AB`, `12`) into `out`; false when it is not a well-formed part. */
function parsePart(text: string, from: number, to: number, out: Part): boolean {
  let i = from;
  let col = 0;
  while (i < to) {
    let c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) c -= 32;
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
    if (i - from >= 3) return false; // four letters: beyond ZZZ
    i++;
  }
  const hadCol = i > from;
  const rowStart = i;
  let row = 0;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    row = row * 10 + (c - 48);
    if (row > MAX_ROWS) return false;
    i++;
  }
  const hadRow = i > rowStart;
  if (!hadCol && !hadRow) return false;
  if (hadRow && row === 0) return false;
  out.col = hadCol ? col - 1 : -1;
  out.row = hadRow ? row - 1 : -1;
  return true;
}

const left: Part = { col: -1, row: -1 };
const right: Part = { col: -1, row: -1 };

/** Parse the part after `!` (or a whole sheet-less range) into `range`; false when it is not a reference. */
function parseReference(text: string, from: number, range: A1Range): boolean {
  const end = text.length;
  if (from >= end) return false;
  const colon = text.indexOf(':', from);
  if (colon === -1) {
    if (!parsePart(text, from, end, left)) return false;
    if (left.col < 0 || left.row < 0) return false; // a lone `A` or `5` is not a range
    range.startRow = left.row;
    range.endRow = left.row + 1;
    range.startCol = left.col;
    range.endCol = left.col + 1;
    return true;
  }
  if (text.indexOf(':', colon + 1) !== -1) return false;
  if (!parsePart(text, from, colon, left) || !parsePart(text, colon + 1, end, right)) return false;
  const hasCols = left.col >= 0 && right.col >= 0;
  const hasRows = left.row >= 0 && right.row >= 0;
  if (hasCols) {
    range.startCol = Math.min(left.col, right.col);
    range.endCol = Math.max(left.col, right.col) + 1;
  }
  if (hasRows) {
    range.startRow = Math.min(left.row, right.row);
    range.endRow = Math.max(left.row, right.row) + 1;
  }
  if (hasCols && hasRows) return true;
  if (hasCols) {
    // `A:B` (whole columns) or `A5:B` (from row 5 down)
    const row = left.row >= 0 ? left.row : right.row;
    if (row >= 0) range.startRow = row;
    return true;
  }
  if (hasRows) {
    // `1:2` (whole rows) or `A5:5` (from column A rightwards)
    const col = left.col >= 0 ? left.col : right.col;
    if (col >= 0) range.startCol = col;
    return true;
  }
  return false; // `A:5`
}

/** Parse `Sheet1!A1:B2`, `'My ''x'' sheet'!A:A`, `1:2`, `A5:A`, `Sheet1`, `A1` ... */
export function parseA1(range: string): A1Range {
  const result: A1Range = { sheet: null };
  if (range.length === 0) throw new A1Error(range);

  if (range.charCodeAt(0) === 39 /* ' */) {
    let title = '';
    let i = 1;
    let closed = -1;
    while (i < range.length) {
      const q = range.indexOf("'", i);
      if (q === -1) break;
      title += range.slice(i, q);
      if (range.charCodeAt(q + 1) === 39) {
        title += "'";
        i = q + 2;
        continue;
      }
      closed = q;
      break;
    }
    if (closed === -1 || title.length === 0) throw new A1Error(range);
    result.sheet = title;
    if (closed === range.length - 1) return result;
    if (range.charCodeAt(closed + 1) !== 33 /* ! */) throw new A1Error(range);
    if (!parseReference(range, closed + 2, result)) throw new A1Error(range);
    return result;
  }

  const bang = range.indexOf('!');
  if (bang !== -1) {
    const title = range.slice(0, bang);
    if (!UNQUOTED_SHEET.test(title)) throw new A1Error(range);
    result.sheet = title;
    if (!parseReference(range, bang + 1, result)) throw new A1Error(range);
    return result;
  }

  if (parseReference(range, 0, result)) return result;
  // Not a reference: a plain sheet name, unless it is shaped like a cell (then it is a bad cell).
  if (!UNQUOTED_SHEET.test(range) || CELL_SHAPED.test(range)) throw new A1Error(range);
  return { sheet: range };
}

/** 0-based column index → letters (0 → A, 26 → AA). */
export function columnToLetters(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_COLUMNS) {
    throw new RangeError(`column index must be an integer from 0 to ${MAX_COLUMNS - 1}, got ${index}`);
  }
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = (n - 1 - rem) / 26;
  }
  return letters;
}

/** Letters → 0-based column index (A → 0); throws on non-letters or beyond ZZZ. */
export function lettersToColumn(letters: string): number {
  if (letters.length === 0 || letters.length > 3) {
    throw new RangeError(`column letters must be 1 to 3 letters (A to ZZZ), got "${letters}"`);
  }
  let col = 0;
  for (let i = 0; i < letters.length; i++) {
    let c = letters.charCodeAt(i);
    if (c >= 97 && c <= 122) c -= 32;
    if (c < 65 || c > 90) throw new RangeError(`column letters must be A to ZZZ, got "${letters}"`);
    col = col * 26 + (c - 64);
  }
  return col - 1;
}

/** Quote a sheet title for A1 when Google would (`'My Sheet'`, `'Jon''s'`), else return it as is. */
export function quoteSheetTitle(title: string): string {
  if (PLAIN_TITLE.test(title) && !REFERENCE_LIKE.test(title)) return title;
  return `'${title.replaceAll("'", "''")}'`;
}

/** Format a bounded rectangle as Google returns it in responses: `Sheet1!A1:B2` (a single cell as `Sheet1!A1`). */
export function formatA1(sheetTitle: string, rect: { startRow: number; endRow: number; startCol: number; endCol: number }): string {
  const start = columnToLetters(rect.startCol) + (rect.startRow + 1);
  const prefix = quoteSheetTitle(sheetTitle) + '!';
  if (rect.endRow - rect.startRow === 1 && rect.endCol - rect.startCol === 1) return prefix + start;
  return prefix + start + ':' + columnToLetters(rect.endCol - 1) + rect.endRow;
}
