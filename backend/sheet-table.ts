/** A tab read whole: columns found by normalised header name, as the real backend's ColumnMapCache did. */
import type { Cell } from './sheets-client.ts';

// Header names are few (a workbook's columns and the names code asks for), but each request looks several up:
// remembered, so Unicode normalisation runs once per name rather than per lookup.
const normalised = new Map<string, string>();

/** The real backend's header key: lower-case, accents stripped, spaces and `_` removed; `A / B` also indexed as `A`. */
export function normaliseHeader(name: string): string {
  let key = normalised.get(name);
  if (key === undefined) {
    key = name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[\s_]+/g, '');
    // Bounded: a workbook with ever-new header texts must not grow this without limit.
    if (normalised.size < 10_000) normalised.set(name, key);
  }
  return key;
}

/** Column letters of a 0-based index (0 → A, 26 → AA). */
export function columnLetters(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** A sheet title quoted for A1 notation (`'Uniones'`), doubling inner quotes. */
export function quoteTitle(title: string): string {
  return `'${title.replace(/'/g, "''")}'`;
}

/** An A1 single cell, e.g. `'Uniones'!H12`. */
export function cellA1(title: string, row: number, columnIndex: number): string {
  return `${quoteTitle(title)}!${columnLetters(columnIndex)}${row}`;
}

/** True for a cell the real backend treats as empty. */
export function isBlank(cell: Cell): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/** Cell as trimmed text ('' when blank). Integral numbers print without decimals. */
export function cellText(cell: Cell): string {
  if (isBlank(cell)) return '';
  return String(cell).trim();
}

/** A whole tab: row 1 is the header, data rows follow (sheet row = index + 1). */
export class SheetTable {
  private readonly columns = new Map<string, number>();
  private readonly resolved = new Map<readonly string[], Record<string, number>>();

  constructor(
    readonly title: string,
    readonly values: Cell[][],
  ) {
    const header = values[0] ?? [];
    header.forEach((h, i) => {
      const text = cellText(h);
      if (!text) return;
      const key = normaliseHeader(text);
      this.columns.set(key, i);
      if (text.includes('/')) {
        const first = normaliseHeader(text.split('/')[0]!);
        if (first && !this.columns.has(first)) this.columns.set(first, i);
      }
    });
  }

  /** 0-based index of a column by header name, or -1. */
  column(name: string): number {
    return this.columns.get(normaliseHeader(name)) ?? -1;
  }

  /**
   * `column` of each name of a list, looked up once per table and list: a record read from every row of a large
   * tab (Uniones: ~17,000 rows) would otherwise look each of its columns up again on every row. Pass a constant list.
   */
  columnsOf<const N extends string>(names: readonly N[]): Readonly<Record<N, number>> {
    let found = this.resolved.get(names);
    if (found === undefined) {
      found = {};
      for (const name of names) found[name] = this.column(name);
      this.resolved.set(names, found);
    }
    return found as Record<N, number>;
  }

  /** The cell at a 1-based sheet row and a 0-based column from `columnsOf` (undefined for -1, as `get`). */
  at(sheetRow: number, column: number): Cell {
    return column < 0 ? undefined : this.values[sheetRow - 1]?.[column];
  }

  /** 0-based index of a column, or an Error naming the tab and the column. */
  requireColumn(name: string): number {
    const i = this.column(name);
    if (i < 0) throw new Error(`sheet '${this.title}' has no column '${name}'`);
    return i;
  }

  /** Number of data rows (after the header). */
  get rowCount(): number {
    return Math.max(0, this.values.length - 1);
  }

  /** A data cell by 1-based sheet row and header name (undefined when the column or cell is absent). */
  get(sheetRow: number, name: string): Cell {
    return this.at(sheetRow, this.column(name));
  }

  /** Set a cell in memory (the lean profile's write-through), growing the row as needed. */
  set(sheetRow: number, columnIndex: number, value: Cell): void {
    while (this.values.length < sheetRow) this.values.push([]);
    const row = this.values[sheetRow - 1]!;
    while (row.length <= columnIndex) row.push('');
    row[columnIndex] = value;
  }
}
