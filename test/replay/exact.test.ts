/** Exact mode over a fake backend and a fake mock: per-worker timelines, response parts, the digest. */
import { describe, expect, it } from 'vitest';
import type { CallRecord, ClockState, HealthResponse } from '../../mock-sheets/admin-types.ts';
import { RunMetrics } from '../../simulator/metrics/run-metrics.ts';
import { runExact } from '../../simulator/replay/exact.ts';
import type { HttpDriver, HttpResult } from '../../simulator/replay/http.ts';
import type { EventOutcome } from '../../simulator/outcome/outcome.ts';
import type { SheetsAdmin } from '../../simulator/replay/sheets-admin.ts';
import type { TraceEvent } from '../../simulator/trace/types.ts';

const EPOCH = 1_000_000;

/** A fake mock (virtual clock + call log) and a fake backend making two calls of 250 ms and waiting 100 ms per request. */
function world() {
  let clock = 0;
  const log: CallRecord[] = [];
  let wall = 0;
  const admin: SheetsAdmin = {
    url: 'http://mock',
    health: async () => ({ ok: true, spreadsheetId: 'x', clock: { mode: 'virtual', nowMs: clock, speed: 1 }, calls: log.length }) as HealthResponse,
    callsAfter: async (after) => log.filter((c) => c.id > after),
    lastCallId: async () => log.length,
    setClock: async (nowMs) => {
      if (nowMs < clock) throw new Error('clock went backwards');
      clock = nowMs;
    },
    setOrigin: async (nowMs) => ({ mode: 'virtual', nowMs: (clock = nowMs), speed: 1 }) as ClockState,
    stateDigest: async () => 'wb',
    reset: async () => undefined,
    close: async () => undefined,
  };
  const seen: number[] = [];
  const driver: HttpDriver = {
    async send(req, headers): Promise<HttpResult> {
      let now = Number(headers['x-sheetsim-time']);
      seen.push(now);
      for (let i = 0; i < 2; i++) {
        log.push({ id: log.length + 1, clockMs: now, method: 'values.get', kind: 'read', spreadsheetId: 'x', ranges: [req.path], rows: 1, cells: 1, quotaUser: 'u', status: 200, latencyMs: 250, realMs: 1 });
        now += 250;
      }
      wall += 7; // 7 ms of wall time per exchange, 2 of them at the mock: 5 ms of compute
      return { status: 200, error: null, text: '{"ok":true}', json: { ok: true }, waitMs: 100 };
    },
    close: async () => undefined,
  };
  return { admin, driver, seen, log, wallNow: () => wall };
}

const ev = (seq: number, t: number, worker: number): TraceEvent => ({ seq, t, worker, op: 'health', scenario: 's', req: { method: 'GET', path: `/p${seq}` } });

describe('runExact', () => {
  it('runs workers on their own timelines and splits each response into Sheets time, waits and compute', async () => {
    // 4 workers, one request every 2 s each for 60 s; each request takes 600 ms of modelled time
    const events: TraceEvent[] = [];
    for (let s = 0; s < 60; s += 2) for (let w = 0; w < 4; w++) events.push(ev(events.length, s * 1000 + w, w));
    const w = world();
    const outcomes: EventOutcome[] = [];
    const res = await runExact({
      events, url: 'http://backend', sheets: w.admin, epochMs: EPOCH, timeoutMs: 1000, metrics: new RunMetrics(), driver: w.driver,
      onEvent: (o) => outcomes.push(o),
      wallNow: w.wallNow,
    });
    expect(res.dispatched).toBe(120);
    expect(res.longestEventMs).toBe(600);
    // the last event is due at 58,003 ms: the run covers that plus one event, not 120 × 600 ms
    expect(res.virtualMs).toBe(58_003 + 600);
    // each request was sent at its own t (no worker fell behind), as x-sheetsim-time
    expect(w.seen).toEqual(events.map((e) => EPOCH + e.t));
    const o = outcomes[0]!;
    expect(o.sheetsMs).toBe(500);
    expect(o.waitMs).toBe(100);
    expect(o.computeMs).toBe(5);
    expect(o.serviceMs).toBe(605);
    expect(o.responseMs).toBe(605);
    expect(o.latenessMs).toBe(0);
  });

  it('delays a worker whose previous event has not ended, and counts that as lateness', async () => {
    const w = world();
    const outcomes: EventOutcome[] = [];
    await runExact({
      events: [ev(0, 0, 1), ev(1, 200, 1), ev(2, 300, 2)], url: 'x', sheets: w.admin, epochMs: EPOCH, timeoutMs: 1000, metrics: new RunMetrics(), driver: w.driver,
      onEvent: (o) => outcomes.push(o), wallNow: w.wallNow,
    });
    expect(outcomes.map((o) => [o.event.seq, o.startMs])).toEqual([
      [0, 0],
      [2, 300],
      [1, 600],
    ]);
    expect(outcomes[2]!.latenessMs).toBe(400);
    expect(outcomes[2]!.responseMs).toBe(400 + 605);
  });

  it('gives the same digest for the same outcomes whatever the compute time, and another for another outcome', async () => {
    const events = [ev(0, 0, 1), ev(1, 10, 2), ev(2, 700, 1)];
    const digest = async (slow: boolean) => {
      const w = world();
      let wall = 0;
      return (await runExact({ events, url: 'x', sheets: w.admin, epochMs: EPOCH, timeoutMs: 1000, metrics: new RunMetrics(), driver: w.driver, wallNow: () => (wall += slow ? 500 : 1) })).digest;
    };
    expect(await digest(true)).toBe(await digest(false));
    const w = world();
    const other = await runExact({ events: [ev(0, 0, 1), ev(1, 10, 2)], url: 'x', sheets: w.admin, epochMs: EPOCH, timeoutMs: 1000, metrics: new RunMetrics(), driver: w.driver, wallNow: w.wallNow });
    expect(other.digest).not.toBe(await digest(false));
  });
});
