/** Splitting Metadata rows into append calls (the real backend's PERF-04 rule). */

/** The real backend's self-imposed rows-per-append limit (Sheets itself has none; Google advises ≤ 2 MB payloads). */
export const METADATA_CHUNK_ROWS = 900;

/** Split `rows` into consecutive chunks of at most `size` rows (900 → 1 call, 901 → 900 + 1). */
export function chunkRows<T>(rows: readonly T[], size: number = METADATA_CHUNK_ROWS): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
