/**
 * A Metadata export as typed rows. The column layout is the world's (`METADATA_HEADER`, positional A–K as the
 * backend writes it); a header row, when present, is matched by normalised name (the production sheet says
 * `Evento_Tipo`, staging `evento_tipo`), so reordered or extra columns still import.
 */
import { METADATA_HEADER } from '../workload/layout.ts';

/** One Metadata row; cells keep their type (an UNFORMATTED Sheets read gives numbers, a CSV gives text). */
export interface MetadataRow {
  /** 1-based line of the CSV file, or sheet row number. */
  line: number;
  timestamp: unknown;
  evento: string;
  tag: string;
  workerId: unknown;
  workerNombre: string;
  operacion: string;
  accion: string;
  json: string;
  nUnion: unknown;
}

const normalise = (s: unknown): string => String(s ?? '').toLowerCase().replace(/[\s_]/g, '');

const FIELDS: Record<Exclude<keyof MetadataRow, 'line'>, string> = {
  timestamp: 'timestamp', evento: 'evento_tipo', tag: 'tag_spool', workerId: 'worker_id', workerNombre: 'worker_nombre',
  operacion: 'operacion', accion: 'accion', json: 'metadata_json', nUnion: 'N_UNION',
};

/** Column index of each field: from the header row when there is one, else the positional layout. */
function columnsOf(header: readonly unknown[] | null): Record<keyof typeof FIELDS, number> {
  const names = (header ?? METADATA_HEADER).map(normalise);
  const cols = {} as Record<keyof typeof FIELDS, number>;
  for (const [field, name] of Object.entries(FIELDS) as [keyof typeof FIELDS, string][]) {
    const i = names.indexOf(normalise(name));
    if (i < 0) throw new Error(`the Metadata header has no '${name}' column (expected ${METADATA_HEADER.join(', ')})`);
    cols[field] = i;
  }
  return cols;
}

/** True when a first row is the header (it names the timestamp and event-type columns). */
function isHeader(cells: readonly unknown[]): boolean {
  const names = cells.map(normalise);
  return names.includes('timestamp') && names.includes('eventotipo');
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v).trim());

/** Typed rows of an export; `records[i].line` is kept for messages. Returns whether a header row was found. */
export function metadataRows(records: readonly { line: number; cells: readonly unknown[] }[]): { rows: MetadataRow[]; header: boolean } {
  const header = records.length > 0 && isHeader(records[0]!.cells);
  const cols = columnsOf(header ? records[0]!.cells : null);
  const rows: MetadataRow[] = [];
  for (let i = header ? 1 : 0; i < records.length; i++) {
    const { line, cells } = records[i]!;
    rows.push({
      line,
      timestamp: cells[cols.timestamp],
      evento: text(cells[cols.evento]).toUpperCase(),
      tag: text(cells[cols.tag]),
      workerId: cells[cols.workerId],
      workerNombre: text(cells[cols.workerNombre]),
      operacion: text(cells[cols.operacion]).toUpperCase(),
      accion: text(cells[cols.accion]).toUpperCase(),
      json: text(cells[cols.json]),
      nUnion: cells[cols.nUnion],
    });
  }
  return { rows, header };
}
