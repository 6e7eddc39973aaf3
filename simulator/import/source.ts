/**
 * Where a Metadata export comes from: a CSV file (Sheets' File → Download → CSV) or the Sheets API itself
 * (`values.get` of the Metadata tab with a bearer token; the mock serves the same). Returns the raw records,
 * the bytes' sha256 and a name for the trace header.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type CsvRecord, parseCsv } from './csv.ts';

export type MetadataSource =
  | { kind: 'csv'; path: string; display: string }
  | { kind: 'sheets'; url: string; spreadsheetId: string; token: string; sheet: string; timeoutMs: number };

export interface SourceRecords {
  records: { line: number; cells: unknown[] }[];
  sha256: string;
  /** What the trace header records as `params.import.source`. */
  name: string;
}

/** Read the records of a Metadata export; errors name the file or URL and what went wrong. */
export async function readMetadataSource(src: MetadataSource): Promise<SourceRecords> {
  if (src.kind === 'csv') {
    let bytes: Buffer;
    try {
      bytes = await readFile(src.path);
    } catch (err) {
      throw new Error(`cannot read ${src.display}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const records: CsvRecord[] = parseCsv(bytes.toString('utf8'), src.display);
    return { records, sha256: createHash('sha256').update(bytes).digest('hex'), name: src.display };
  }
  const base = src.url.replace(/\/+$/, '');
  const range = encodeURIComponent(src.sheet);
  // UNFORMATTED: timestamps come back as serials (the backend wrote them USER_ENTERED), ids as numbers; both import.
  const url = `${base}/v4/spreadsheets/${encodeURIComponent(src.spreadsheetId)}/values/${range}?valueRenderOption=UNFORMATTED_VALUE&majorDimension=ROWS`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${src.token}` }, signal: AbortSignal.timeout(src.timeoutMs) });
  } catch (err) {
    throw new Error(`cannot reach the Sheets API at ${base}: ${(err as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = text.slice(0, 200);
    try {
      detail = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? detail;
    } catch {
      // not JSON: keep the text
    }
    throw new Error(`Sheets values.get ${src.sheet} of ${src.spreadsheetId} answered ${res.status}: ${detail}`);
  }
  const body = JSON.parse(text) as { values?: unknown[][] };
  const rows = body.values ?? [];
  return {
    records: rows.map((cells, i) => ({ line: i + 1, cells: Array.isArray(cells) ? cells : [] })),
    sha256: createHash('sha256').update(text).digest('hex'),
    name: `sheets:${base}#${src.spreadsheetId}`,
  };
}
