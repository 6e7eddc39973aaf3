/**
 * The `zeues` call profile: the real backend's Sheets call pattern (spec §5.3). Every worksheet lookup costs a
 * spreadsheets.get; whole tabs are cached 60 s (Trabajadores 300 s); Roles is read on every worker lookup;
 * FINALIZAR writes Uniones, Metadata and Operaciones in three calls; only the Uniones write is retried; requests
 * are served one at a time, as the single uvicorn process with synchronous gspread did.
 */
import { chunkRows } from '../chunk.ts';
import { KeyedMutex } from '../keyed-mutex.ts';
import { currentRequest } from '../request-context.ts';
import { TABS, findSpoolIn, readRoles, readSpools, readWorkers, unionsOfOtIn } from '../records.ts';
import type { SpoolRecord, UnionRecord, WorkerRecord } from '../records.ts';
import { SheetTable, cellA1, quoteTitle } from '../sheet-table.ts';
import type { SheetsClient } from '../sheets-client.ts';
import { SheetsApiError } from '../sheets-error.ts';
import type { EndpointKind, SpoolStore, StoreStats, WritePlan } from '../store.ts';
import { withRetry } from './sheets-retry.ts';
import type { SleepLedger } from './sheets-retry.ts';

export interface ZeuesOptions {
  /** Count the Uniones retry sleeps (1 s, 2 s) instead of sleeping them (sim-clock mode). */
  skipSleep: boolean;
  /** Time scale of a sped-up replay (retry sleeps shrink by it). */
  speed?: number;
  /** Wall clock, used when a request carries no simulated time. */
  wallNow?: () => number;
}

/** Cache TTLs of backend/utils/cache.py at 81f5cf9. */
const TTL_MS: Record<string, number> = { [TABS.trabajadores]: 300_000 };
const DEFAULT_TTL_MS = 60_000;

/** The zeues profile's SpoolStore. */
export class ZeuesStore implements SpoolStore {
  readonly profile = 'zeues' as const;
  private readonly queue = new KeyedMutex();
  private readonly cache = new Map<string, { table: SheetTable; expiresAtMs: number }>();
  private readonly ledger: SleepLedger = { retries: 0, sleptMs: 0, skippedSleepMs: 0 };
  private cacheLoads = 0;

  constructor(
    private readonly client: SheetsClient,
    private readonly options: ZeuesOptions,
  ) {}

  /** Every request waits for the one before it, whatever its spool (one process, blocking I/O). */
  exclusive<T>(_key: string, fn: () => Promise<T>): Promise<T> {
    return this.queue.run('process', fn);
  }

  /**
   * The cache clock. Sim-clock mode: the request's virtual now (it advances with each call). Wall mode: the live
   * (scaled) clock, read when the cache is consulted — after the request's wait in the process queue, as the real
   * single process read time.time() — not when the request arrived.
   */
  private now(): number {
    const request = currentRequest();
    if (request?.simClock) return request.nowMs;
    return (this.options.wallNow ?? Date.now)();
  }

  /** gspread's `spreadsheet.worksheet(title)`: one spreadsheets.get, never cached. */
  private async worksheet(title: string): Promise<void> {
    const meta = await this.client.getSpreadsheet();
    if (meta.sheets && !meta.sheets.some((s) => s.properties?.title === title)) {
      throw new SheetsApiError(404, 'NOT_FOUND', `WorksheetNotFound: ${title}`, 'WORKSHEET_NOT_FOUND');
    }
  }

  /** `read_worksheet` through the process cache: a miss is spreadsheets.get + values.get of the whole tab. */
  private async cached(title: string): Promise<SheetTable> {
    const hit = this.cache.get(title);
    if (hit && hit.expiresAtMs > this.now()) return hit.table;
    await this.worksheet(title);
    const table = new SheetTable(title, await this.client.valuesGet(quoteTitle(title)));
    this.cacheLoads += 1;
    this.cache.set(title, { table, expiresAtMs: this.now() + (TTL_MS[title] ?? DEFAULT_TTL_MS) });
    return table;
  }

  private invalidate(title: string): void {
    this.cache.delete(title);
  }

  /** Roles is never cached: W(Roles) + values.get on every worker lookup; a failure yields no roles. */
  private async roles(): Promise<Map<number, string[]>> {
    try {
      await this.worksheet(TABS.roles);
      return readRoles(new SheetTable(TABS.roles, await this.client.valuesGet(quoteTitle(TABS.roles))));
    } catch {
      return new Map();
    }
  }

  async findSpool(tag: string): Promise<SpoolRecord | null> {
    return findSpoolIn(await this.cached(TABS.operaciones), tag);
  }

  async listSpools(): Promise<SpoolRecord[]> {
    return readSpools(await this.cached(TABS.operaciones));
  }

  /**
   * FINALIZAR's WorkerService lookup reads Trabajadores (cached) and Roles (uncached). INICIAR at 81f5cf9 looked up
   * no worker; the contract's 404 needs one, so it checks the cached Trabajadores only (0 calls when warm).
   */
  async findWorker(id: number, withRoles: boolean): Promise<WorkerRecord | null> {
    const table = await this.cached(TABS.trabajadores);
    const roles = withRoles ? await this.roles() : new Map<number, string[]>();
    return readWorkers(table, roles).find((w) => w.id === id) ?? null;
  }

  async listWorkers(): Promise<WorkerRecord[]> {
    const table = await this.cached(TABS.trabajadores);
    return readWorkers(table, await this.roles());
  }

  async unionsOfOt(ot: string): Promise<UnionRecord[]> {
    return unionsOfOtIn(await this.cached(TABS.uniones), ot);
  }

  private async writeOperaciones(plan: WritePlan): Promise<void> {
    const o = await this.cached(TABS.operaciones);
    await this.worksheet(TABS.operaciones);
    try {
      await this.client.batchUpdate(plan.spoolCells.map(([col, value]) => ({ range: cellA1(TABS.operaciones, plan.spoolRow, o.requireColumn(col)), values: [[value]] })));
    } finally {
      this.invalidate(TABS.operaciones);
    }
  }

  private async appendMetadata(plan: WritePlan): Promise<void> {
    await this.worksheet(TABS.metadata);
    for (const chunk of chunkRows(plan.metadataRows)) await this.client.append(quoteTitle(TABS.metadata), chunk);
  }

  async commit(plan: WritePlan): Promise<void> {
    if (plan.kind === 'iniciar') {
      await this.writeOperaciones(plan);
      try {
        await this.appendMetadata(plan);
      } catch {
        // 81f5cf9 logs a CRITICAL and answers 200: the INICIAR_SPOOL event is lost.
      }
      return;
    }
    if (plan.kind === 'cancelar') {
      await this.writeOperaciones(plan);
      await this.appendMetadata(plan);
      return;
    }
    const u = await this.cached(TABS.uniones);
    await this.worksheet(TABS.uniones);
    const data = plan.unionCells.map((c) => ({ range: cellA1(TABS.uniones, c.row, u.requireColumn(c.column)), values: [[c.value]] }));
    try {
      // The only effective retry at 81f5cf9: 3 attempts, blocking sleeps of 1 s and 2 s, on any API error.
      await withRetry(() => this.client.batchUpdate(data), {
        attempts: 3,
        delay: (retry) => 1000 * 2 ** retry,
        retryable: () => true,
        skipSleep: this.options.skipSleep,
        speed: this.options.speed,
        ledger: this.ledger,
      });
    } finally {
      // Deviation (HEAD's 2026-03-30 fix): without it a second FINALIZAR within 60 s could complete a union twice.
      this.invalidate(TABS.uniones);
    }
    await this.appendMetadata(plan);
    try {
      await this.writeOperaciones(plan);
    } catch {
      // 81f5cf9 swallows errors of the release-and-clear step: 200, but the spool stays occupied.
    }
    if (plan.estadoDetalle !== undefined) {
      const o = await this.cached(TABS.operaciones);
      const spool = findSpoolIn(o, plan.tag);
      if (spool) {
        await this.worksheet(TABS.operaciones);
        await this.client.update(cellA1(TABS.operaciones, spool.row, o.requireColumn('Estado_Detalle')), [[plan.estadoDetalle]]);
        this.invalidate(TABS.operaciones);
      }
    }
  }

  async checkHealth(): Promise<boolean> {
    await this.cached(TABS.trabajadores);
    return true;
  }

  failure(err: unknown, endpoint: EndpointKind): { status: number; body: unknown } {
    const text = err instanceof SheetsApiError ? `APIError: [${err.status}]: ${err.message}` : ((err as Error).message ?? String(err));
    if (endpoint === 'workers' || endpoint === 'spools') {
      return { status: 503, body: { success: false, error: 'SHEETS_CONNECTION_ERROR', message: `Error de conexión con Google Sheets: ${text}`, data: null } };
    }
    if (endpoint === 'iniciar') return { status: 500, body: { detail: `Internal server error during INICIAR: ${text}` } };
    return { status: 500, body: { detail: `Internal server error: ${text}` } };
  }

  stats(): StoreStats {
    return { profile: 'zeues', sheetsCalls: { ...this.client.calls }, ...this.ledger, cacheLoads: this.cacheLoads };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

