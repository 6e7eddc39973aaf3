/** Client of the mock's admin API (/__sheetsim/): call log, clock, state digest. One keep-alive pool. */
import type { Dispatcher } from 'undici';
import type { CallRecord, CallsPage, ClockState, HealthResponse } from '../../mock-sheets/admin-types.ts';
import { undici } from './lazy-undici.ts';

export interface SheetsAdmin {
  readonly url: string;
  health(): Promise<HealthResponse>;
  /** Calls with id > after, every page (up to `limit` per page). */
  callsAfter(after: number, limit?: number): Promise<CallRecord[]>;
  /** The id of the last call logged so far (0 when none). */
  lastCallId(): Promise<number>;
  setClock(nowMs: number): Promise<void>;
  /** Trace t = 0: the mock's clock reads `nowMs` from now on, quota minutes start there, warm-up quota use is forgotten. */
  setOrigin(nowMs: number): Promise<ClockState>;
  stateDigest(): Promise<string>;
  reset(seed: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Open an admin client for the mock at `url` (its origin). `through` replaces the socket pool: a dispatcher into the
 * mock in this process (embedded-dispatcher.ts), which the caller closes. The pool is made at the first call: a run
 * whose embedded target does its own admin calls (exact mode) makes none, and loads no undici for it.
 */
export function createSheetsAdmin(url: string, timeoutMs = 30_000, through?: Dispatcher): SheetsAdmin {
  const origin = new URL(url).origin;
  let pool: Dispatcher | null = through ?? null;
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    pool ??= new (undici().Pool)(origin, { connections: 2, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    const res = await pool.request({
      origin,
      method,
      path,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode >= 400) throw new Error(`mock Sheets admin ${method} ${path} answered ${res.statusCode}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
  return {
    url: origin,
    health: () => call<HealthResponse>('GET', '/__sheetsim/health'),
    async callsAfter(after, limit = 5000) {
      const out: CallRecord[] = [];
      let cursor: number | null = after;
      while (cursor !== null) {
        const page: CallsPage = await call<CallsPage>('GET', `/__sheetsim/calls?after=${cursor}&limit=${limit}`);
        out.push(...page.calls);
        cursor = page.calls.length === 0 ? null : page.next;
      }
      return out;
    },
    async lastCallId() {
      // health.calls is a hint (the log's length); page from there to the real last id.
      const h = await call<HealthResponse>('GET', '/__sheetsim/health');
      let last = Math.max(0, h.calls - 1);
      for (const c of await this.callsAfter(last)) last = Math.max(last, c.id);
      return last;
    },
    async setClock(nowMs) {
      await call('POST', '/__sheetsim/clock', { nowMs });
    },
    setOrigin: (nowMs) => call<ClockState>('POST', '/__sheetsim/origin', { nowMs }),
    async stateDigest() {
      const s = await call<{ digest: string }>('GET', '/__sheetsim/state');
      return s.digest;
    },
    async reset(seed) {
      await call('POST', '/__sheetsim/reset', { seed });
    },
    async close() {
      if (!through) await pool?.destroy().catch(() => undefined);
    },
  };
}
