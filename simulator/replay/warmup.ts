/**
 * The explicit warm-up, the same for every target: before trace t = 0 the replayer sends one `GET /api/health`
 * (the reference backend loads its cache there: the lean profile reads the whole workbook). Its time and its
 * Sheets calls are recorded as their own phase (`run.warmup`) and are no part of the experiment: the replay reads
 * the call log only after it, and the mock's origin, set right after, forgets its quota use.
 */
import { performance } from 'node:perf_hooks';
import type { HttpDriver } from './http.ts';
import { undici } from './lazy-undici.ts';
import type { SheetsAdmin } from './sheets-admin.ts';

/** Path of the warm-up request. */
export const WARMUP_PATH = '/api/health';

export interface Warmup {
  /** Simulated ms the warm-up took (realtime: wall × speed; exact: the modelled latency of its calls + waits). */
  ms: number;
  /** Sheets calls it caused (0 when the call log is not available). */
  sheetsCalls: number;
  /** HTTP status, or null when the target did not answer. */
  status: number | null;
}

export interface WarmupOptions {
  url: string;
  sheets: SheetsAdmin | null;
  /** Exact mode: the virtual instant of the warm-up (trace t = 0), sent as x-sheetsim-time; null in realtime. */
  virtualNowMs: number | null;
  speed: number;
  timeoutMs: number;
  /** What sends the request: HTTP to `url` when absent; exact mode's embedded target sends it in its own process. */
  driver?: HttpDriver;
}

/** The warm-up request over HTTP: its status and the backend's `x-sheetsim-wait-ms`. */
async function overHttp(opts: WarmupOptions, headers: Record<string, string>): Promise<{ status: number; waitMs?: number }> {
  const res = await undici().request(`${opts.url}${WARMUP_PATH}`, { method: 'GET', headers, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs });
  await res.body.arrayBuffer();
  const wait = Number(res.headers['x-sheetsim-wait-ms']);
  return { status: res.statusCode, ...(Number.isFinite(wait) ? { waitMs: wait } : {}) };
}

/** Send the warm-up request and measure it. Never throws for a target that answers badly: that is recorded. */
export async function warmUp(opts: WarmupOptions): Promise<Warmup> {
  if (opts.sheets && opts.virtualNowMs !== null) await opts.sheets.setClock(opts.virtualNowMs);
  const before = opts.sheets ? await opts.sheets.lastCallId() : 0;
  const headers: Record<string, string> = opts.virtualNowMs !== null ? { 'x-sheetsim-time': String(opts.virtualNowMs) } : {};
  const started = performance.now();
  let status: number | null = null;
  let waitMs = 0;
  try {
    const res = opts.driver ? await opts.driver.send({ method: 'GET', path: WARMUP_PATH }, headers) : await overHttp(opts, headers);
    status = res.status;
    if (res.waitMs !== undefined && res.waitMs > 0) waitMs = res.waitMs;
  } catch {
    status = null;
  }
  const wallMs = performance.now() - started;
  const calls = opts.sheets ? await opts.sheets.callsAfter(before) : [];
  const modelled = calls.reduce((sum, c) => sum + c.latencyMs, 0) + waitMs;
  return { ms: Math.round(opts.virtualNowMs !== null ? modelled : wallMs * opts.speed), sheetsCalls: calls.length, status };
}
