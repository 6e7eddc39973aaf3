/**
 * A store as one byte string and back: its SQLite database (`serialize`), and its cell mirrors (cell-mirror.ts) packed
 * as numbers and a table of distinct strings, with each row's lines of the workbook digest. What the embedded target
 * caches a built world as (simulator/replay/world-cache.ts). A store opened on an image reads its mirrors' rows where
 * the image holds them, so for the default world's ~200,000 cells opening costs the database (~30 ms) and one pass
 * over the cells' row numbers, against ~0.5 s to rebuild the mirrors from SQLite.
 *
 * Layout: a 4-byte little-endian length, a JSON header of that many bytes, then five sections, each starting at a
 * multiple of 8: the SQLite image; the cells as 32-bit integers, INTS_PER_CELL per cell; the numbers as 64-bit
 * floats; each sheet's row starts in its lines (32-bit, one per row and one more); the lines (UTF-8). The header
 * carries the sections' lengths, each sheet's counts, the strings and the caller's `meta`.
 */
import { endianness } from 'node:os';
import { CellMirror, INTS_PER_CELL } from './cell-mirror.ts';
import type { CellTuple } from './store-rows.ts';
import { SheetsStore } from './store.ts';
import { digestLine } from './store-workbook.ts';

const FORMAT = 'sheetsim-store-image/1';
const SECTIONS = ['image', 'cells', 'numbers', 'starts', 'lines'] as const;

interface Header {
  format: string;
  endianness: string;
  /** Byte length of each section, in SECTIONS order. */
  sections: number[];
  /** Per sheet, in the order its cells, starts and lines follow: [sid, cells, rows (its mirror's row slots), line bytes]. */
  sheets: [number, number, number, number][];
  strings: string[];
  meta: unknown;
}

/** Bytes that are not a store image, or one this build cannot read. */
export class StoreImageError extends Error {}

const pad8 = (n: number): number => Math.ceil(n / 8) * 8;
const bytesOf = (a: Int32Array | Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** The store's database and cell mirrors as bytes, with `meta` (any JSON) kept beside them. */
export function encodeStore(store: SheetsStore, meta: unknown = null): Buffer {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const str = (s: string | null): number => {
    if (s === null) return -1;
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };
  const mirrors: { sid: number; tuples: CellTuple[] }[] = [];
  for (const id of store.spreadsheetIds()) for (const sheet of store.sheets(id)) mirrors.push({ sid: sheet.sid, tuples: store.cellTuples(sheet.sid) });

  const cellCount = mirrors.reduce((n, m) => n + m.tuples.length, 0);
  const ints = new Int32Array(cellCount * INTS_PER_CELL);
  const numbers: number[] = [];
  const sheets: Header['sheets'] = [];
  const starts: number[] = [];
  const lines: string[] = [];
  let p = 0;
  for (const { sid, tuples } of mirrors) {
    const rows = tuples.length === 0 ? 0 : tuples[tuples.length - 1]![0] + 1;
    let at = 0;
    let i = 0;
    for (let r = 0; r < rows; r++) {
      starts.push(at);
      let text = '';
      for (; i < tuples.length && tuples[i]![0] === r; i++) {
        const t = tuples[i]!;
        const [, c, kind, value, formula, format] = t;
        ints[p++] = r;
        ints[p++] = c;
        ints[p++] = str(kind);
        // The value: a tag (0 none, 1 number, 2 text) and its index in the numbers or the strings.
        if (value === null) {
          ints[p++] = 0;
          ints[p++] = 0;
        } else if (typeof value === 'number') {
          ints[p++] = 1;
          ints[p++] = numbers.length;
          numbers.push(value);
        } else {
          ints[p++] = 2;
          ints[p++] = str(value);
        }
        ints[p++] = str(formula);
        ints[p++] = str(format);
        text += digestLine(t);
      }
      lines.push(text);
      at += Buffer.byteLength(text);
    }
    starts.push(at);
    sheets.push([sid, tuples.length, rows, at]);
  }
  const sections = [store.db.serialize(), bytesOf(ints), bytesOf(new Float64Array(numbers)), bytesOf(new Int32Array(starts)), Buffer.from(lines.join(''))];
  const header: Header = { format: FORMAT, endianness: endianness(), sections: sections.map((b) => b.length), sheets, strings, meta };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const offsets = sectionOffsets(headerBytes.length, header.sections);
  const out = Buffer.alloc(offsets[sections.length]!);
  out.writeUInt32LE(headerBytes.length, 0);
  headerBytes.copy(out, 4);
  sections.forEach((bytes, k) => bytes.copy(out, offsets[k]!));
  return out;
}

/** Where each section starts (and, last, the image's whole length). */
function sectionOffsets(headerLength: number, lengths: readonly number[]): number[] {
  const offsets = [pad8(4 + headerLength)];
  for (const length of lengths) offsets.push(pad8(offsets[offsets.length - 1]! + length));
  return offsets;
}

/** A store opened on an image (its own in-memory database) with its mirrors in place, and the image's `meta`. */
export function decodeStore(bytes: Buffer): { store: SheetsStore; meta: unknown } {
  const fail = (what: string): never => {
    throw new StoreImageError(`not a store image: ${what}`);
  };
  if (bytes.length < 4 || 4 + bytes.readUInt32LE(0) > bytes.length) fail('shorter than its header');
  const headerLength = bytes.readUInt32LE(0);
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', 4, 4 + headerLength)) as Header;
  } catch {
    return fail('its header is not JSON');
  }
  if (header.format !== FORMAT) fail(`format ${JSON.stringify(header.format)}, not ${FORMAT}`);
  if (header.endianness !== endianness()) fail(`written on a ${header.endianness} machine`);
  if (header.sections?.length !== SECTIONS.length) fail(`${header.sections?.length} sections, not ${SECTIONS.length}`);
  const offsets = sectionOffsets(headerLength, header.sections);
  const total = offsets[SECTIONS.length]!;
  if (bytes.length !== total) fail(`${bytes.length} bytes where its header says ${total}`);
  const cellCount = header.sheets.reduce((n, s) => n + s[1], 0);
  const rowCount = header.sheets.reduce((n, s) => n + s[2] + 1, 0);
  const lineBytes = header.sheets.reduce((n, s) => n + s[3], 0);
  const expected = [header.sections[0]!, cellCount * INTS_PER_CELL * 4, header.sections[2]!, rowCount * 4, lineBytes];
  SECTIONS.forEach((name, k) => {
    if (header.sections[k] !== expected[k]) fail(`its ${name} section has ${header.sections[k]} bytes, its sheets say ${expected[k]}`);
  });

  // Typed arrays need aligned offsets: a slice of a larger buffer may not start at one, so it is copied.
  if (bytes.byteOffset % 8 !== 0) {
    const own = Buffer.alloc(bytes.length);
    bytes.copy(own);
    bytes = own;
  }
  const ints = new Int32Array(bytes.buffer, bytes.byteOffset + offsets[1]!, cellCount * INTS_PER_CELL);
  const floats = new Float64Array(bytes.buffer, bytes.byteOffset + offsets[2]!, header.sections[2]! / 8);
  const starts = new Int32Array(bytes.buffer, bytes.byteOffset + offsets[3]!, rowCount);

  let store: SheetsStore;
  try {
    store = new SheetsStore(bytes.subarray(offsets[0]!, offsets[0]! + header.sections[0]!));
  } catch (err) {
    return fail(`its database does not open (${(err as Error).message})`);
  }
  const { strings } = header;
  let cellAt = 0;
  let rowAt = 0;
  let lineAt = offsets[4]!;
  for (const [sid, count, rowSlots, sheetLineBytes] of header.sheets) {
    const cells = ints.subarray(cellAt * INTS_PER_CELL, (cellAt + count) * INTS_PER_CELL);
    // The cells come in (row, column) order: row r's are those from the first whose row is r or more.
    const rowStart = new Int32Array(rowSlots + 1);
    for (let r = 0, i = 0; r <= rowSlots; r++) {
      while (i < count && cells[i * INTS_PER_CELL]! < r) i++;
      rowStart[r] = i;
    }
    if (rowStart[rowSlots] !== count || (count > 0 && cells[(count - 1) * INTS_PER_CELL]! !== rowSlots - 1)) {
      store.close();
      fail(`sheet ${sid}'s cells do not fill its ${rowSlots} rows in order`);
    }
    const lines = bytes.subarray(lineAt, lineAt + sheetLineBytes);
    store.adoptMirror(sid, CellMirror.ofPacked({ ints: cells, floats, strings, rowStart, lines, lineStart: starts.subarray(rowAt, rowAt + rowSlots + 1) }));
    cellAt += count;
    rowAt += rowSlots + 1;
    lineAt += sheetLineBytes;
  }
  return { store, meta: header.meta };
}
