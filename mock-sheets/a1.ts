/**
 * A1 notation (Google Sheets API v4): parsing and formatting of ranges.
 * CONTRACT (implemented by the a1/values helper; signatures are fixed, bodies to be written).
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

/** Parse `Sheet1!A1:B2`, `'My ''x'' sheet'!A:A`, `1:2`, `A5:A`, `Sheet1`, `A1` ... */
export function parseA1(range: string): A1Range {
  throw new Error(`not implemented: parseA1(${range})`);
}

/** 0-based column index → letters (0 → A, 26 → AA). */
export function columnToLetters(index: number): string {
  throw new Error(`not implemented: columnToLetters(${index})`);
}

/** Letters → 0-based column index (A → 0); throws on non-letters or beyond ZZZ. */
export function lettersToColumn(letters: string): number {
  throw new Error(`not implemented: lettersToColumn(${letters})`);
}

/** Quote a sheet title for A1 when Google would (`'My Sheet'`, `'Jon''s'`), else return it as is. */
export function quoteSheetTitle(title: string): string {
  throw new Error(`not implemented: quoteSheetTitle(${title})`);
}

/** Format a bounded rectangle as Google returns it in responses: `Sheet1!A1:B2` (a single cell as `Sheet1!A1`). */
export function formatA1(sheetTitle: string, rect: { startRow: number; endRow: number; startCol: number; endCol: number }): string {
  throw new Error(`not implemented: formatA1(${sheetTitle}, ${JSON.stringify(rect)})`);
}
