/**
 * A store as one byte string and back: its SQLite database (`serialize`) and the cell mirrors that a store opened on
 * those bytes would otherwise rebuild from SQLite at its first read, about 1 µs a cell (cell-mirror.ts). Opening a
 * 5 MB image takes ~20 ms; the mirrors, stored as numbers and a table of distinct strings, take ~0.15 s for the
 * default world's ~200,000 cells, against ~0.5 s from SQLite. What the embedded target caches a built world as
 * (simulator/replay/world-cache.ts).
 *
 * Layout: a 4-byte little-endian length, a JSON header of that many bytes (padded to 8), then the SQLite image,
 * the cells as 32-bit integers, 7 per cell, and the numbers as 64-bit floats, each padded to 8 bytes. The header
 * carries the sizes, the sheets' cell counts, the strings and the caller's `meta`.
 */
import { endianness } from 'node:os';
import { CellMirror } from './cell-mirror.ts';
import type { CellTuple } from './store-rows.ts';
import { SheetsStore } from './store.ts';

const FORMAT = 'sheetsim-store-image/1';
const INTS_PER_CELL = 7;

interface Header {
  format: string;
  endianness: string;
  imageBytes: number;
  numbers: number;
  /** [sid, cell count] in the order the cells follow. */
  sheets: [number, number][];
  strings: string[];
  meta: unknown;
}

/** Bytes that are not a store image, or one this build cannot read. */
export class StoreImageError extends Error {}

const pad8 = (n: number): number => Math.ceil(n / 8) * 8;

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
  const sheets: [number, number][] = [];
  const mirrors: CellTuple[][] = [];
  for (const id of store.spreadsheetIds()) {
    for (const sheet of store.sheets(id)) {
      const tuples = store.cellTuples(sheet.sid);
      sheets.push([sheet.sid, tuples.length]);
      mirrors.push(tuples);
    }
  }
  const cellCount = mirrors.reduce((n, m) => n + m.length, 0);
  const ints = new Int32Array(cellCount * INTS_PER_CELL);
  const numbers: number[] = [];
  let p = 0;
  for (const tuples of mirrors) {
    for (const [r, c, kind, value, formula, format] of tuples) {
      ints[p++] = r;
      ints[p++] = c;
      ints[p++] = str(kind);
      // Value: tag (0 none, 1 number, 2 text) and its index in the numbers or the strings.
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
    }
  }
  const image = store.db.serialize();
  const header: Header = { format: FORMAT, endianness: endianness(), imageBytes: image.length, numbers: numbers.length, sheets, strings, meta };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const headerEnd = pad8(4 + headerBytes.length);
  const imageEnd = headerEnd + pad8(image.length);
  const intsEnd = imageEnd + pad8(ints.byteLength);
  const out = Buffer.alloc(intsEnd + numbers.length * 8);
  out.writeUInt32LE(headerBytes.length, 0);
  headerBytes.copy(out, 4);
  image.copy(out, headerEnd);
  Buffer.from(ints.buffer, ints.byteOffset, ints.byteLength).copy(out, imageEnd);
  const floats = new Float64Array(numbers);
  Buffer.from(floats.buffer).copy(out, intsEnd);
  return out;
}

/** A store opened on an image (its own in-memory database) with its mirrors in place, and the image's `meta`. */
export function decodeStore(bytes: Buffer): { store: SheetsStore; meta: unknown } {
  const fail = (what: string): never => {
    throw new StoreImageError(`not a store image: ${what}`);
  };
  if (bytes.length < 4) fail('shorter than its header');
  const headerLength = bytes.readUInt32LE(0);
  if (4 + headerLength > bytes.length) fail('shorter than its header');
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', 4, 4 + headerLength)) as Header;
  } catch {
    return fail('its header is not JSON');
  }
  if (header.format !== FORMAT) fail(`format ${JSON.stringify(header.format)}, not ${FORMAT}`);
  if (header.endianness !== endianness()) fail(`written on a ${header.endianness} machine`);
  const cellCount = header.sheets.reduce((n, [, count]) => n + count, 0);
  const headerEnd = pad8(4 + headerLength);
  const imageEnd = headerEnd + pad8(header.imageBytes);
  const intsEnd = imageEnd + pad8(cellCount * INTS_PER_CELL * 4);
  if (bytes.length !== intsEnd + header.numbers * 8) fail(`${bytes.length} bytes where its header says ${intsEnd + header.numbers * 8}`);

  // Typed arrays need aligned offsets: a slice of a larger buffer may not start at one, so it is copied.
  if (bytes.byteOffset % 8 !== 0) {
    const own = Buffer.alloc(bytes.length);
    bytes.copy(own);
    bytes = own;
  }
  const ints = new Int32Array(bytes.buffer, bytes.byteOffset + imageEnd, cellCount * INTS_PER_CELL);
  const floats = new Float64Array(bytes.buffer, bytes.byteOffset + intsEnd, header.numbers);

  let store: SheetsStore;
  try {
    store = new SheetsStore(bytes.subarray(headerEnd, headerEnd + header.imageBytes));
  } catch (err) {
    return fail(`its database does not open (${(err as Error).message})`);
  }
  const { strings } = header;
  const text = (i: number): string | null => (i < 0 ? null : strings[i]!);
  let p = 0;
  for (const [sid, count] of header.sheets) {
    // The cells come in (row, column) order: each row's array is made at its size (no growing, no garbage).
    const rows: CellTuple[][] = [];
    for (const end = p + count * INTS_PER_CELL; p < end; ) {
      const r = ints[p]!;
      let n = 1;
      while (p + n * INTS_PER_CELL < end && ints[p + n * INTS_PER_CELL] === r) n++;
      const line: CellTuple[] = new Array(n);
      for (let i = 0; i < n; i++, p += INTS_PER_CELL) {
        const tag = ints[p + 3]!;
        const index = ints[p + 4]!;
        line[i] = [r, ints[p + 1]!, text(ints[p + 2]!), tag === 0 ? null : tag === 1 ? floats[index]! : strings[index]!, text(ints[p + 5]!), text(ints[p + 6]!)];
      }
      rows[r] = line;
    }
    store.adoptMirror(sid, CellMirror.fromRows(rows));
  }
  return { store, meta: header.meta };
}
