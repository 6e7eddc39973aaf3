/** Exact mode over a fake backend and a fake mock: per-worker timelines, response parts, the digest. */
import { describe, expect, it } from 'vitest';
import type { CallRecord, ClockState, HealthResponse } from '../../mock-sheets/admin-types.ts';
import { RunMetrics } from '../../simulator/metrics/run-metrics.ts';
import { runExact } from '../../simulator/replay/exact.ts';
import { guardTarget } from '../../simulator/replay/target-guard.ts';
import { DEFAULT_VALIDITY_RULES, TargetWatch } from '../../simulator/replay/validity.ts';
import type { HttpDriver, HttpResult } from '../../simulator/replay/http.ts';
import type { EventOutcome } from '../../simulator/outcome/outcome.ts';
import type { SheetsAdmin } from '../../simulator/replay/sheets-admin.ts';
import type { TraceEvent } from '../../simulator/trace/types.ts';

const EPOCH = 1_000_000;

/**
 * A fake mock (virtual clock + call log) and a fake backend making two calls of 250 ms and waiting 100 ms per
 * request. `answersSheetsMs`: the backend forwards each request's instant and traceparent on its calls and answers
 * their summed latency (x-sheetsim-sheets-ms), as the reference backend does; `sheetsMsLie` adds to that answer.
 */
function world(backend: { answersSheetsMs?: boolean; sheetsMsLie?: number; untraced?: boolean; silentEvery?: number } = {}) {
  let clock = 0;
  const log: CallRecord[] = [];
  let wall = 0;
  const admin = {
    url: 'http://mock',
    health: async () => ({ ok: true, spreadsheetId: 'x', clock: { mode: 'virtual', nowMs: clock, speed: 1 }, calls: log.length }) as HealthResponse,
    callsAfter: async (after: number) => {
      admin.callReads += 1;
      return log.filter((c) => c.id > after);
    },
    lastCallId: async () => log.length,
    setClock: async (nowMs: number) => {
      if (nowMs < clock) throw new Error('clock went backwards');
      admin.clockSets += 1;
      clock = nowMs;
    },
    clockSets: 0,
    callReads: 0,
    setOrigin: async (nowMs) => ({ mode: 'virtual', nowMs: (clock = nowMs), speed: 1 }) as ClockState,
    stateDigest: async () => 'wb',
    reset: async () => undefined,
    close: async () => undefined,
  } satisfies SheetsAdmin & Record<string, unknown>;
  const seen: number[] = [];
  const driver: HttpDriver = {
    async send(req, headers): Promise<HttpResult> {
      // Without the time channel a call's instant is the clock the replayer set (the mock's trace cursor).
      let now = backend.answersSheetsMs ? Number(headers['x-sheetsim-time']) : clock;
      seen.push(Number(headers['x-sheetsim-time']));
      const traceId = backend.untraced ? undefined : headers.traceparent!.split('-')[1]!;
      for (let i = 0; i < 2; i++) {
        log.push({ id: log.length + 1, clockMs: now, method: 'values.get', kind: 'read', spreadsheetId: 'x', ranges: [req.path], rows: 1, cells: 1, quotaUser: 'u', status: 200, latencyMs: 250, realMs: 1, ...(traceId ? { traceId } : {}) });
        now += 250;
      }
      wall += 7; // 7 ms of wall time per exchange, 2 of them at the mock: 5 ms of compute
      const answer: HttpResult = { status: 200, error: null, text: `{"ok":true,"path":"${req.path}"}`, json: { ok: true }, waitMs: 100 };
      // `silentEvery`: some answers come without it (as an error page from in front of the handler would).
      const silent = backend.silentEvery !== undefined && Number(headers['x-sheetsim-seq']) % backend.silentEvery === backend.silentEvery - 1;
      if (backend.answersSheetsMs && !silent) answer.sheetsMs = 500 + (backend.sheetsMsLie ?? 0);
      return answer;
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

  it('schedules from the answered Sheets time without setting the clock or reading the call log per event, with the same outcomes and digest', async () => {
    const events: TraceEvent[] = [];
    for (let s = 0; s < 40; s += 2) for (let w = 0; w < 3; w++) events.push(ev(events.length, s * 1000 + w * 300, w));
    const run = async (answersSheetsMs: boolean, silentEvery?: number) => {
      const w = world({ answersSheetsMs, ...(silentEvery ? { silentEvery } : {}) });
      const outcomes: EventOutcome[] = [];
      const res = await runExact({ events, url: 'x', sheets: w.admin, epochMs: EPOCH, timeoutMs: 1000, metrics: new RunMetrics(), driver: w.driver, onEvent: (o) => outcomes.push(o), wallNow: w.wallNow });
      return { res, outcomes, w };
    };
    const plain = await run(false);
    const channel = await run(true);
    expect(channel.res.digest).toBe(plain.res.digest);
    expect(channel.res.virtualMs).toBe(plain.res.virtualMs);
    expect(channel.outcomes.map((o) => [o.event.seq, o.startMs, o.sheetsMs, o.computeMs])).toEqual(plain.outcomes.map((o) => [o.event.seq, o.startMs, o.sheetsMs, o.computeMs]));
    // the calls landed at the same instants either way
    expect(channel.w.log.map((c) => c.clockMs)).toEqual(plain.w.log.map((c) => c.clockMs));
    // a backend without the channel needs the clock set and its calls read for every event
    expect(plain.w.admin.clockSets).toBe(events.length);
    expect(plain.w.admin.callReads).toBe(events.length);
    // with it: the clock once (before the first answer), the call log once for the whole batch
    expect(channel.w.admin.clockSets).toBe(1);
    expect(channel.w.admin.callReads).toBe(1);
    // an answer without the Sheets time in the middle of a batch: the batch is finished, the clock set again
    const mixed = await run(true, 7);
    expect(mixed.res.digest).toBe(plain.res.digest);
    expect(mixed.outcomes.map((o) => [o.event.seq, o.startMs, o.sheetsMs])).toEqual(plain.outcomes.map((o) => [o.event.seq, o.startMs, o.sheetsMs]));
    const silent = events.filter((e) => e.seq % 7 === 6).length;
    expect(mixed.w.admin.callReads).toBe(silent + 1);
  });

  it('refuses to go on when the answered Sheets time is not what the call log says, or a call cannot be placed', async () => {
    const events = [ev(0, 0, 1), ev(1, 10, 2)];
    const lying = world({ answersSheetsMs: true, sheetsMsLie: 1 });
    await expect(runExact({ events, url: 'x', sheets: lying.admin, epochMs: EPOCH, timeoutMs: 1000, metrics: new RunMetrics(), driver: lying.driver })).rejects.toThrow(
      /event 0 answered x-sheetsim-sheets-ms: 501, but its 2 Sheets calls sum to 500 ms/,
    );
    const untraced = world({ answersSheetsMs: true, untraced: true });
    await expect(runExact({ events, url: 'x', sheets: untraced.admin, epochMs: EPOCH, timeoutMs: 1000, metrics: new RunMetrics(), driver: untraced.driver })).rejects.toThrow(
      /Sheets call #1 \(values.get\) carried no traceparent/,
    );
  });

  it('hands each answer to onAnswer before the next event is sent, so a guard stops the run at the answer that decides it', async () => {
    // A backend that answers its Sheets time (events batched for the call log) and goes away after 5 answers.
    const w = world({ answersSheetsMs: true });
    let sent = 0;
    const driver: HttpDriver = {
      async send(req, headers) {
        sent += 1;
        return sent <= 5 ? w.driver.send(req, headers) : { status: null, error: 'ECONNREFUSED', text: '', json: undefined };
      },
      close: async () => undefined,
    };
    const watch = new TargetWatch(DEFAULT_VALIDITY_RULES);
    const guard = guardTarget(watch, () => null, () => 0);
    const answers: (number | null)[] = [];
    const finished: number[] = [];
    const events = Array.from({ length: 50 }, (_, i) => ev(i, i * 1000, i % 3));
    const res = await runExact({
      events, url: 'x', sheets: w.admin, epochMs: EPOCH, timeoutMs: 1000, metrics: new RunMetrics(), driver, wallNow: w.wallNow, signal: guard.signal,
      onAnswer: (a) => {
        answers.push(a.status);
        guard.observe(a);
      },
      onEvent: (o) => finished.push(o.event.seq),
    });
    guard.close();
    // 5 answers, then the 10th connection error in a row stops it: nothing is sent after that answer.
    expect(guard.stoppedUnreachable).toBe(true);
    expect(res.interrupted).toBe(true);
    expect(sent).toBe(15);
    expect(answers).toEqual([200, 200, 200, 200, 200, ...Array(10).fill(null)]);
    // Every event sent is finished, in run order.
    expect(finished).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });

  it('ends the run when the mock stops answering: what was answered is recorded without its calls, nothing more is sent, no digest', async () => {
    const events = Array.from({ length: 300 }, (_, i) => ev(i, i * 10, i % 7));
    const gone = new Error('connect ECONNREFUSED 127.0.0.1:1');

    // A backend that answers its Sheets time: the call log is first read at the 256th event, and fails.
    const batched = world({ answersSheetsMs: true });
    let sent = 0;
    const counting: HttpDriver = { send: (req, h) => ((sent += 1), batched.driver.send(req, h)), close: async () => undefined };
    const finished: { seq: number; calls: unknown; sheetsMs: number | null | undefined }[] = [];
    const metrics = new RunMetrics();
    const res = await runExact({
      events, url: 'x', epochMs: EPOCH, timeoutMs: 1000, metrics, driver: counting, wallNow: batched.wallNow,
      sheets: { ...batched.admin, callsAfter: async () => Promise.reject(gone) },
      onEvent: (o, calls) => finished.push({ seq: o.event.seq, calls, sheetsMs: o.sheetsMs }),
    });
    expect(res.sheetsError).toBe(gone);
    expect(res.digest).toBeNull();
    expect(res.workbookDigest).toBeNull();
    expect(res.interrupted).toBe(false);
    expect(sent).toBe(256);
    expect(res.dispatched).toBe(256);
    expect(finished.map((f) => f.seq)).toEqual(Array.from({ length: 256 }, (_, i) => i));
    // Unknown calls, the answered Sheets time kept.
    expect(finished.every((f) => f.calls === null && f.sheetsMs === 500)).toBe(true);
    expect(metrics.total.count).toBe(256);

    // A backend read per event: the 4th event's read fails (it is recorded without calls), and its clock set too.
    for (const failing of ['callsAfter', 'setClock'] as const) {
      const perEvent = world();
      let reads = 0;
      let sets = 0;
      const sheets = {
        ...perEvent.admin,
        callsAfter: async (after: number) => (++reads === 4 && failing === 'callsAfter' ? Promise.reject(gone) : perEvent.admin.callsAfter(after)),
        setClock: async (nowMs: number) => (++sets === 4 && failing === 'setClock' ? Promise.reject(gone) : perEvent.admin.setClock(nowMs)),
      };
      const seen: { seq: number; calls: unknown }[] = [];
      const r = await runExact({ events, url: 'x', epochMs: EPOCH, timeoutMs: 1000, metrics: new RunMetrics(), driver: perEvent.driver, wallNow: perEvent.wallNow, sheets, onEvent: (o, calls) => seen.push({ seq: o.event.seq, calls }) });
      expect(r.sheetsError, failing).toBe(gone);
      expect(r.digest).toBeNull();
      // callsAfter: four sent, the 4th without calls; setClock: the 4th never sent.
      const sentCount = failing === 'callsAfter' ? 4 : 3;
      expect(r.dispatched, failing).toBe(sentCount);
      expect(perEvent.seen, failing).toHaveLength(sentCount);
      expect(seen.map((e) => e.seq)).toEqual(Array.from({ length: sentCount }, (_, i) => i));
      expect(seen.map((e) => e.calls === null)).toEqual(Array.from({ length: sentCount }, (_, i) => failing === 'callsAfter' && i === 3));
    }
  });
});
