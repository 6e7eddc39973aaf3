/**
 * The `lean` call profile (default): one values.batchGet loads every tab into a write-through cache, so warm reads
 * cost no Sheets call; a write is one values.batchUpdate (Uniones + Operaciones) plus one values.append per 900
 * Metadata rows; 429/503 are retried with bounded exponential backoff and full jitter.
 */
import { LEAN_BACKOFF, backoffDelay } from '../backoff.ts';
import type { BackoffPolicy } from '../backoff.ts';
import { chunkRows } from '../chunk.ts';
import { KeyedMutex } from '../keyed-mutex.ts';
import type { RandomSource } from '../random-source.ts';
import { TABS, readRoles, readSpools, readWorkers, spoolAt, unionAt, otKey } from '../records.ts';
import type { SpoolRecord, UnionRecord, WorkerRecord } from '../records.ts';
import { SheetTable, cellA1, quoteTitle } from '../sheet-table.ts';
import type { SheetsClient, ValueRangeInput } from '../sheets-client.ts';
import { SheetsApiError } from '../sheets-error.ts';
import type { EndpointKind, SpoolStore, StoreStats, WritePlan } from '../store.ts';
import { withRetry } from './sheets-retry.ts';
import type { SleepLedger } from './sheets-retry.ts';

export interface LeanOptions {
  random: RandomSource;
  /** Count backoff sleeps instead of sleeping them (sim-clock mode). */
  skipSleep: boolean;
  /** Time scale of a sped-up replay (backoff sleeps shrink by it). */
  speed?: number;
  backoff?: BackoffPolicy;
}

interface Tables {
  operaciones: SheetTable;
  uniones: SheetTable;
  spoolRows: Map<string, number>;
  otRows: Map<string, number[]>;
  /** Trabajadores with their Roles, read once per load: writes never touch those tabs. */
  workers: WorkerRecord[];
  workerById: Map<number, WorkerRecord>;
}

/** One cell written, kept to replay onto a cache that was reloading while the write landed. */
interface CellWrite {
  tab: 'operaciones' | 'uniones';
  row: number;
  column: number;
  value: string;
}

/** The lean profile's SpoolStore. */
export class LeanStore implements SpoolStore {
  readonly profile = 'lean' as const;
  private readonly mutex = new KeyedMutex();
  private tables: Tables | null = null;
  private stale = true;
  private loading: Promise<Tables> | null = null;
  /** Writes applied while a reload is in flight; replayed onto the fresh tables (idempotent). */
  private journal: CellWrite[] | null = null;
  private readonly ledger: SleepLedger = { retries: 0, sleptMs: 0, skippedSleepMs: 0 };
  private cacheLoads = 0;
  private readonly backoff: BackoffPolicy;

  constructor(
    private readonly client: SheetsClient,
    private readonly options: LeanOptions,
  ) {
    this.backoff = options.backoff ?? LEAN_BACKOFF;
  }

  exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(key, fn);
  }

  private retry<T>(fn: () => Promise<T>, idempotent: boolean): Promise<T> {
    return withRetry(fn, {
      attempts: this.backoff.attempts,
      delay: (retry) => backoffDelay(this.backoff, retry, this.options.random.jitter),
      // An append that got no answer may have landed: retrying it could log the rows twice.
      retryable: (err) => err.status === 429 || err.status === 503 || (idempotent && err.status === 0),
      skipSleep: this.options.skipSleep,
      speed: this.options.speed,
      ledger: this.ledger,
    });
  }

  /** The cached tables, loading them (one values.batchGet) on first use or after a failed write. */
  private async load(): Promise<Tables> {
    if (this.tables && !this.stale) return this.tables;
    this.loading ??= (async () => {
      this.journal = [];
      try {
        const titles = [TABS.operaciones, TABS.uniones, TABS.trabajadores, TABS.roles];
        const [o, u, t, r] = await this.retry(() => this.client.batchGet(titles.map(quoteTitle)), true);
        this.cacheLoads += 1;
        const tables = indexTables(new SheetTable(TABS.operaciones, o!), new SheetTable(TABS.uniones, u!), new SheetTable(TABS.trabajadores, t!), new SheetTable(TABS.roles, r!));
        for (const w of this.journal) applyWrite(tables, w);
        this.tables = tables;
        this.stale = false;
        return tables;
      } finally {
        this.journal = null;
        this.loading = null;
      }
    })();
    return this.loading;
  }

  async findSpool(tag: string): Promise<SpoolRecord | null> {
    const t = await this.load();
    const row = t.spoolRows.get(tag);
    return row === undefined ? null : spoolAt(t.operaciones, row, tag);
  }

  async listSpools(): Promise<SpoolRecord[]> {
    return readSpools((await this.load()).operaciones);
  }

  async findWorker(id: number): Promise<WorkerRecord | null> {
    return (await this.load()).workerById.get(id) ?? null;
  }

  async listWorkers(): Promise<WorkerRecord[]> {
    return [...(await this.load()).workers];
  }

  async unionsOfOt(ot: string): Promise<UnionRecord[]> {
    const t = await this.load();
    return (t.otRows.get(ot) ?? []).map((row) => unionAt(t.uniones, row)).filter((u): u is UnionRecord => u !== null);
  }

  async commit(plan: WritePlan): Promise<void> {
    const t = await this.load();
    const writes: CellWrite[] = [
      ...plan.unionCells.map((c) => ({ tab: 'uniones' as const, row: c.row, column: t.uniones.requireColumn(c.column), value: c.value })),
      ...plan.spoolCells.map(([column, value]) => ({ tab: 'operaciones' as const, row: plan.spoolRow, column: t.operaciones.requireColumn(column), value })),
      ...(plan.estadoDetalle !== undefined ? [{ tab: 'operaciones' as const, row: plan.spoolRow, column: t.operaciones.requireColumn('Estado_Detalle'), value: plan.estadoDetalle }] : []),
    ];
    const data: ValueRangeInput[] = writes.map((w) => ({ range: cellA1(w.tab === 'uniones' ? TABS.uniones : TABS.operaciones, w.row, w.column), values: [[w.value]] }));
    try {
      await this.retry(() => this.client.batchUpdate(data), true);
    } catch (err) {
      // A 4xx (429 included) is a definite rejection: Sheets applies a batch whole or not at all. A 5xx or a lost
      // answer may have landed after all, so only then re-read before trusting the cache again. (Re-reading after
      // every 429 turned quota saturation into a storm of whole-workbook reads.)
      if (!(err instanceof SheetsApiError && err.status >= 400 && err.status < 500)) this.stale = true;
      throw err;
    }
    for (const w of writes) this.applyWriteThrough(w);
    // Metadata is not cached: a failed append leaves the cache right.
    for (const chunk of chunkRows(plan.metadataRows)) await this.retry(() => this.client.append(quoteTitle(TABS.metadata), chunk), false);
  }

  private applyWriteThrough(w: CellWrite): void {
    if (this.tables) applyWrite(this.tables, w);
    this.journal?.push(w);
  }

  async checkHealth(): Promise<boolean> {
    await this.load();
    return true;
  }

  failure(err: unknown): { status: number; body: unknown; headers?: Record<string, string> } {
    if (err instanceof SheetsApiError) {
      if (err.status === 429) {
        return {
          status: 503,
          headers: { 'retry-after': String(err.retryAfterSeconds ?? 60) },
          body: { detail: { error: 'SHEETS_RATE_LIMIT', message: `Google Sheets quota exceeded after ${this.backoff.attempts} attempts; retry later (${err.message})` } },
        };
      }
      if (err.transient || err.status >= 500) {
        return {
          status: 503,
          headers: { 'retry-after': String(err.retryAfterSeconds ?? 5) },
          body: { detail: { error: 'SHEETS_UNAVAILABLE', message: `Google Sheets unavailable after ${this.backoff.attempts} attempts; retry later (${err.message})` } },
        };
      }
    }
    return { status: 500, body: { detail: `Internal server error: ${(err as Error).message ?? String(err)}` } };
  }

  stats(): StoreStats {
    return { profile: 'lean', sheetsCalls: { ...this.client.calls }, ...this.ledger, cacheLoads: this.cacheLoads };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** Build the look-up indexes once per load: writes change cells, never tags or OTs. */
function indexTables(operaciones: SheetTable, uniones: SheetTable, trabajadores: SheetTable, roles: SheetTable): Tables {
  const spoolRows = new Map<string, number>();
  for (const s of readSpools(operaciones)) if (!spoolRows.has(s.tag)) spoolRows.set(s.tag, s.row);
  const otRows = new Map<string, number[]>();
  const otCol = uniones.column('OT');
  for (let row = 2; row <= uniones.values.length; row++) {
    const ot = otCol < 0 ? '' : otKey(uniones.values[row - 1]?.[otCol]);
    if (!ot) continue;
    const list = otRows.get(ot) ?? [];
    list.push(row);
    otRows.set(ot, list);
  }
  const workers = readWorkers(trabajadores, readRoles(roles));
  const workerById = new Map<number, WorkerRecord>();
  // The first row of an id, as a search from the top finds it.
  for (const w of workers) if (!workerById.has(w.id)) workerById.set(w.id, w);
  return { operaciones, uniones, spoolRows, otRows, workers, workerById };
}

function applyWrite(t: Tables, w: CellWrite): void {
  (w.tab === 'uniones' ? t.uniones : t.operaciones).set(w.row, w.column, w.value);
}

