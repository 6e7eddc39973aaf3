import { describe, expect, it } from 'vitest';
import { METADATA_CHUNK_ROWS, chunkRows } from '../../backend/chunk.ts';

describe('chunkRows (PERF-04: 900 rows per append)', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => i);
  it('splits at 900 rows as the real MetadataRepository did', () => {
    expect(METADATA_CHUNK_ROWS).toBe(900);
    expect(chunkRows(rows(900)).map((c) => c.length)).toEqual([900]);
    expect(chunkRows(rows(901)).map((c) => c.length)).toEqual([900, 1]);
    expect(chunkRows(rows(1000)).map((c) => c.length)).toEqual([900, 100]);
    expect(chunkRows(rows(1050)).map((c) => c.length)).toEqual([900, 150]);
    expect(chunkRows(rows(51)).map((c) => c.length)).toEqual([51]);
  });
  it('keeps order and makes no call for no rows', () => {
    expect(chunkRows(rows(1801)).flat()).toEqual(rows(1801));
    expect(chunkRows([])).toEqual([]);
  });
  it('rejects a chunk size that is not a positive integer', () => {
    expect(() => chunkRows([1], 0)).toThrow(/positive integer/);
  });
});
