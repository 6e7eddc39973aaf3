/** The data-access interface the service runs over; the two call profiles (lean, zeues) implement it. */
import type { SpoolRecord, UnionRecord, WorkerRecord } from './records.ts';

/** What a request writes, decided by the service; each profile turns it into its own Sheets calls. */
export interface WritePlan {
  kind: 'iniciar' | 'cancelar' | 'finalizar';
  tag: string;
  /** 1-based Operaciones row of the spool. */
  spoolRow: number;
  /** Operaciones cells by header name (occupation fields and version). */
  spoolCells: [column: string, value: string][];
  /** `Estado_Detalle` label set when COMPLETAR triggers metrología (the real backend wrote it in a separate call). */
  estadoDetalle?: string;
  /** Uniones cells: end date and worker of each completed union. */
  unionCells: { row: number; column: string; value: string }[];
  /** Metadata rows A–K, appended in order. */
  metadataRows: (string | number)[][];
}

/** Which kind of endpoint a Sheets failure happened in (the zeues profile answers each differently). */
export type EndpointKind = 'iniciar' | 'finalizar' | 'uniones' | 'workers' | 'spools' | 'health';

/** Figures a profile reports about itself at `GET /__backend/stats`. */
export interface StoreStats {
  profile: 'lean' | 'zeues';
  /** Sheets calls by method, as this backend counted them (attempts included). */
  sheetsCalls: Record<string, number>;
  retries: number;
  /** Backoff sleeps actually slept (wall clock) and skipped (sim clock: counted, not slept), in ms. */
  sleptMs: number;
  skippedSleepMs: number;
  cacheLoads: number;
}

/** Reads and writes of the spool workbook, with a profile's Sheets call pattern, caching and retries. */
export interface SpoolStore {
  readonly profile: 'lean' | 'zeues';
  /** Run `fn` serialised with other work on `key` (a spool tag; the zeues profile serialises everything). */
  exclusive<T>(key: string, fn: () => Promise<T>): Promise<T>;
  findSpool(tag: string): Promise<SpoolRecord | null>;
  listSpools(): Promise<SpoolRecord[]>;
  /** A worker by id; `withRoles` also resolves their active roles (the zeues profile then reads Roles). */
  findWorker(id: number, withRoles: boolean): Promise<WorkerRecord | null>;
  /** Every worker with roles. */
  listWorkers(): Promise<WorkerRecord[]>;
  /** The unions of an OT (the contract finds unions by OT). */
  unionsOfOt(ot: string): Promise<UnionRecord[]>;
  /** Apply a write plan. Throws a SheetsApiError (or an HttpError from the profile's error policy). */
  commit(plan: WritePlan): Promise<void>;
  /** True when the workbook can be read. */
  checkHealth(): Promise<boolean>;
  /** The HTTP answer a Sheets failure becomes in this profile. */
  failure(err: unknown, endpoint: EndpointKind): { status: number; body: unknown; headers?: Record<string, string> };
  stats(): StoreStats;
  close(): Promise<void>;
}
