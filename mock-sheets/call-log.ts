/**
 * The call log: every Sheets call the mock received (also failed ones), in the same SQLite file as the
 * workbook, paged by id for `GET /__sheetsim/calls`.
 */
import type Database from 'better-sqlite3';
import type { CallRecord, CallsPage, SheetsMethod } from './admin-types.ts';

/** Largest page `GET /__sheetsim/calls` serves. */
export const MAX_CALLS_PAGE = 10_000;

/** Per-method figures for `GET /__sheetsim/stats`. */
export interface MethodStats {
  calls: number;
  errors: number;
  rateLimited: number;
  rows: number;
  cells: number;
  latencyMs: number;
}

interface CallDbRow {
  id: number;
  clock_ms: number;
  method: string;
  kind: string;
  spreadsheet_id: string;
  ranges: string;
  rows: number;
  cells: number;
  quota_user: string;
  status: number;
  latency_ms: number;
  error: string | null;
  trace_id: string | null;
  real_ms: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS calls (
  id INTEGER PRIMARY KEY, clock_ms INTEGER NOT NULL, method TEXT NOT NULL, kind TEXT NOT NULL,
  spreadsheet_id TEXT NOT NULL, ranges TEXT NOT NULL, rows INTEGER NOT NULL, cells INTEGER NOT NULL,
  quota_user TEXT NOT NULL, status INTEGER NOT NULL, latency_ms REAL NOT NULL, error TEXT, trace_id TEXT,
  real_ms REAL NOT NULL DEFAULT 0);
`;

function toRecord(row: CallDbRow): CallRecord {
  const record: CallRecord = {
    id: row.id,
    clockMs: row.clock_ms,
    method: row.method as SheetsMethod,
    kind: row.kind as 'read' | 'write',
    spreadsheetId: row.spreadsheet_id,
    ranges: JSON.parse(row.ranges) as string[],
    rows: row.rows,
    cells: row.cells,
    quotaUser: row.quota_user,
    status: row.status,
    latencyMs: row.latency_ms,
    realMs: row.real_ms ?? 0,
  };
  if (row.error !== null) record.error = row.error;
  if (row.trace_id !== null) record.traceId = row.trace_id;
  return record;
}

/** Append-only log of Sheets calls. */
export class CallLog {
  private readonly stmt;

  constructor(db: Database.Database) {
    db.exec(SCHEMA);
    // A call log from before real_ms existed (a mock's SQLite file kept across versions) gets the column.
    const columns = db.prepare<[], { name: string }>('PRAGMA table_info(calls)').all();
    if (!columns.some((c) => c.name === 'real_ms')) db.exec('ALTER TABLE calls ADD COLUMN real_ms REAL NOT NULL DEFAULT 0');
    this.stmt = {
      insert: db.prepare(
        'INSERT INTO calls (clock_ms, method, kind, spreadsheet_id, ranges, rows, cells, quota_user, status, latency_ms, error, trace_id, real_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      page: db.prepare<[number, number], CallDbRow>('SELECT * FROM calls WHERE id > ? ORDER BY id LIMIT ?'),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM calls'),
      clear: db.prepare('DELETE FROM calls'),
      stats: db.prepare<[], { method: string; calls: number; errors: number; limited: number; rows: number; cells: number; latency: number }>(
        `SELECT method, count(*) AS calls, sum(status >= 400 OR status = 0) AS errors, sum(status = 429) AS limited,
                sum(rows) AS rows, sum(cells) AS cells, sum(latency_ms) AS latency
         FROM calls GROUP BY method ORDER BY method`,
      ),
    };
  }

  /** Record one call; returns its id. */
  append(call: Omit<CallRecord, 'id'>): number {
    const info = this.stmt.insert.run(
      call.clockMs,
      call.method,
      call.kind,
      call.spreadsheetId,
      JSON.stringify(call.ranges),
      call.rows,
      call.cells,
      call.quotaUser,
      call.status,
      call.latencyMs,
      call.error ?? null,
      call.traceId ?? null,
      call.realMs,
    );
    return Number(info.lastInsertRowid);
  }

  /** Calls with an id above `after`, oldest first; `next` is the cursor for the following page or null at the end. */
  page(after: number, limit: number): CallsPage {
    const rows = this.stmt.page.all(after, limit + 1);
    const more = rows.length > limit;
    const calls = (more ? rows.slice(0, limit) : rows).map(toRecord);
    return { calls, next: more ? calls[calls.length - 1]!.id : null };
  }

  count(): number {
    return this.stmt.count.get()?.n ?? 0;
  }

  /** Forget every call (reset); ids start again at 1, so a reset run numbers its calls as the previous one did. */
  clear(): void {
    this.stmt.clear.run();
  }

  /** Counts, errors, 429s, rows, cells and summed latency per method. */
  stats(): Record<string, MethodStats> {
    const out: Record<string, MethodStats> = {};
    for (const row of this.stmt.stats.all()) {
      out[row.method] = { calls: row.calls, errors: row.errors, rateLimited: row.limited, rows: row.rows, cells: row.cells, latencyMs: row.latency };
    }
    return out;
  }
}
