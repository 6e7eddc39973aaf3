/**
 * The path every Sheets call takes: auth → parse and validate (nothing touched) → policy admission (quota,
 * faults) at the call's instant → one SQLite transaction → modelled latency on the mock clock → call log →
 * reply, with the modelled latency in `x-sheetsim-latency-ms`. Failed calls are logged too, and calls rejected
 * before they ran (429, injected 5xx) get a small modelled latency of their own.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { performance } from 'node:perf_hooks';
import type { SheetsMethod } from './admin-types.ts';
import { authenticate } from './auth.ts';
import { type CallInstants, LATENCY_HEADER, SIM_TIME_HEADER } from './call-instant.ts';
import type { CallLog } from './call-log.ts';
import { errorBody, GoogleError, notFound } from './errors.ts';
import type { Policy } from './policy.ts';
import type { SheetsStore, SpreadsheetRow } from './store.ts';

/** What the routes share: state, realism policy and server options. */
export interface SheetsContext {
  store: SheetsStore;
  calls: CallLog;
  policy: Policy;
  instants: CallInstants;
  auth: 'required' | 'none';
  legacyErrors: boolean;
  /** Seeds generated ids (spreadsheets.create). */
  seed: number;
}

/** What a call did, for the reply and the call log. */
export interface CallOutcome {
  body: object;
  rows: number;
  cells: number;
  /** Resolved ranges, when running the call resolved them better than `Prepared.ranges`. */
  ranges?: string[];
  spreadsheetId?: string;
}

/** A validated call, ready to run in a transaction. */
export interface Prepared {
  spreadsheetId: string;
  /** Ranges the call names, resolved (`Metadata!A1:K1000`) where validation resolved them. */
  ranges: string[];
  run(): CallOutcome;
}

/** Methods that count as reads for the quota; everything else is a write. */
const READS: ReadonlySet<SheetsMethod> = new Set<SheetsMethod>(['spreadsheets.get', 'values.get', 'values.batchGet']);

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The trace id of a W3C `traceparent` header, or undefined when absent or malformed. */
export function traceIdOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const match = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!match || /^0+$/.test(match[1]!)) return undefined;
  return match[1];
}

/** The stored spreadsheet, or Google's 404. */
export function requireSpreadsheet(store: SheetsStore, id: string): SpreadsheetRow {
  const spreadsheet = store.spreadsheet(id);
  if (!spreadsheet) throw notFound();
  return spreadsheet;
}

/** Answer a Google error body. */
export function sendError(reply: FastifyReply, err: GoogleError, legacy: boolean): FastifyReply {
  return reply.code(err.code).type('application/json; charset=UTF-8').send(errorBody(err, legacy));
}

/** Run one Sheets call through the whole pipeline and answer it. */
export async function handleCall(
  ctx: SheetsContext,
  req: FastifyRequest,
  reply: FastifyReply,
  method: SheetsMethod,
  spreadsheetId: string,
  prepare: () => Prepared,
): Promise<FastifyReply | void> {
  const { policy, calls } = ctx;
  const realStart = performance.now();
  const kind = READS.has(method) ? 'read' : 'write';
  const traceId = traceIdOf(req.headers.traceparent);
  const clockMs = ctx.instants.at(req.headers[SIM_TIME_HEADER], traceId);
  let quotaUser = 'anonymous';
  let ranges: string[] = [];
  let latencyMs = 0;
  // The modelled latency is the whole simulated duration of the call: the mock's own handling time (parsing,
  // SQLite) is taken out of the sleep rather than added to it, so a call lasts `latencyMs` / speed of wall time
  // whatever the machine, as long as the mock handles it faster than that.
  const wait = (): Promise<void> => policy.clock.sleep(Math.max(0, latencyMs - (performance.now() - realStart) * policy.clock.speed));
  const log = (status: number, rows: number, cells: number, error?: string): void => {
    calls.append({
      clockMs,
      method,
      kind,
      spreadsheetId,
      ranges,
      rows,
      cells,
      quotaUser,
      status,
      latencyMs,
      realMs: Math.round((performance.now() - realStart) * 1000) / 1000,
      ...(error !== undefined ? { error } : {}),
      ...(traceId !== undefined ? { traceId } : {}),
    });
  };
  try {
    quotaUser = authenticate(ctx.auth, req.headers, req.query as Record<string, unknown>);
    const prepared = prepare();
    ranges = prepared.ranges;
    spreadsheetId = prepared.spreadsheetId;
    const admission = policy.admit({ method, kind, quotaUser, atMs: clockMs });
    if (admission.action === 'drop') {
      log(0, 0, 0, 'fault:drop');
      reply.hijack();
      reply.raw.socket?.destroy();
      return;
    }
    if (admission.action === 'reject') {
      const e = admission.error;
      latencyMs = policy.rejectedLatency();
      await wait();
      throw new GoogleError(e.status, e.message, e.reason, e.googleStatus, e.details);
    }
    let outcome: CallOutcome;
    try {
      // A read runs synchronously, so no write can interleave: it needs no transaction.
      outcome = kind === 'read' ? prepared.run() : ctx.store.transaction(prepared.run);
    } catch (err) {
      latencyMs = policy.latency(method, 0) + admission.extraLatencyMs;
      await wait();
      throw err;
    }
    if (outcome.ranges) ranges = outcome.ranges;
    if (outcome.spreadsheetId) spreadsheetId = outcome.spreadsheetId;
    latencyMs = policy.latency(method, outcome.cells) + admission.extraLatencyMs;
    await wait();
    log(200, outcome.rows, outcome.cells);
    ctx.instants.advance(traceId, clockMs, latencyMs);
    return reply.code(200).header(LATENCY_HEADER, String(latencyMs)).type('application/json; charset=UTF-8').send(outcome.body);
  } catch (err) {
    const google =
      err instanceof GoogleError ? err : new GoogleError(500, 'Internal error encountered.', `internal:${(err as Error).message}`);
    if (!(err instanceof GoogleError)) req.log.error(err);
    log(google.code, 0, 0, google.reason);
    ctx.instants.advance(traceId, clockMs, latencyMs);
    return sendError(reply.header(LATENCY_HEADER, String(latencyMs)), google, ctx.legacyErrors);
  }
}
