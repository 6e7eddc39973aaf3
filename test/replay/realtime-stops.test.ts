/** How a realtime run stops: a target that went away stops the sending; the deadline turns a backlog into NOT_SENT. */
import { describe, expect, it } from 'vitest';
import { RunMetrics } from '../../simulator/metrics/run-metrics.ts';
import type { HttpDriver } from '../../simulator/replay/http.ts';
import type { EventOutcome } from '../../simulator/outcome/outcome.ts';
import { DEFAULT_OVERLOAD_RULES, OverloadDetector } from '../../simulator/replay/overload.ts';
import { runRealtime } from '../../simulator/replay/realtime.ts';
import { DEFAULT_VALIDITY_RULES, TargetWatch } from '../../simulator/replay/validity.ts';
import type { TraceEvent } from '../../simulator/trace/types.ts';
import { ManualClock } from './manual-clock.ts';

function ev(seq: number, t: number, worker: number): TraceEvent {
  return { seq, t, worker, op: 'health', scenario: 'health', req: { method: 'GET', path: '/api/health' }, expect: { status: 200 } };
}
const base = { url: 'http://unused', speed: 1, timeoutMs: 5000, sheets: null, countUntracedCalls: true } as const;

describe('runRealtime stops', () => {
  it('stops sending as soon as the watch finds the target unreachable (dead from t = 1000)', async () => {
    const clock = new ManualClock();
    const driver: HttpDriver = {
      async send() {
        const dead = clock.now() >= 1000;
        await clock.delay(dead ? 1 : 5);
        return dead ? { status: null, error: 'ECONNREFUSED', text: '', json: undefined } : { status: 200, error: null, text: '', json: undefined };
      },
      async close() {},
    };
    // One event every 20 ms for 4 s, each from its own worker.
    const events = Array.from({ length: 200 }, (_, i) => ev(i, i * 20, i));
    const outcomes: EventOutcome[] = [];
    const watch = new TargetWatch(DEFAULT_VALIDITY_RULES);
    const res = await clock.run(runRealtime({ ...base, events, connections: 200, metrics: new RunMetrics(), clock, driver, watch, onEvent: (o) => outcomes.push(o) }));
    expect(res.stoppedUnreachable).toBe(true);
    expect(res.interrupted).toBe(false);
    const refused = outcomes.filter((o) => o.error === 'ECONNREFUSED').sort((a, b) => a.startMs + a.serviceMs - (b.startMs + b.serviceMs));
    // The 10th refusal in a row stops the run: nothing is sent after it answered, and nothing after t = 1000 + 10 × 20.
    expect(refused).toHaveLength(10);
    const stopAt = refused[9]!.startMs + refused[9]!.serviceMs;
    expect(Math.max(...outcomes.map((o) => o.startMs))).toBeLessThanOrEqual(stopAt);
    expect(outcomes).toHaveLength(50 + 10);
    const v = watch.evaluate();
    expect(v.valid).toBe(false);
    expect(v.unreachableFromS).toBe(1);
    expect(v.reasons[0]).toBe('target unreachable from s = 1: ECONNREFUSED ×10');
  });

  it('at a low rate, a failed health probe after the first connection error stops the run at once', async () => {
    const clock = new ManualClock();
    const driver: HttpDriver = {
      async send() {
        const dead = clock.now() >= 3000;
        await clock.delay(5);
        return dead ? { status: null, error: 'ECONNREFUSED', text: '', json: undefined } : { status: 200, error: null, text: '', json: undefined };
      },
      async close() {},
    };
    // One event a second: ten errors in a row would take 10 s.
    const events = Array.from({ length: 20 }, (_, i) => ev(i, i * 1000, i));
    const outcomes: EventOutcome[] = [];
    const watch = new TargetWatch(DEFAULT_VALIDITY_RULES);
    let probes = 0;
    const probeTarget = async (): Promise<boolean> => {
      probes += 1;
      await clock.delay(2);
      return clock.now() < 3000;
    };
    const res = await clock.run(runRealtime({ ...base, events, connections: 20, metrics: new RunMetrics(), clock, driver, watch, probeTarget, onEvent: (o) => outcomes.push(o) }));
    expect(res.stoppedUnreachable).toBe(true);
    expect(probes).toBe(1);
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, null]);
    expect(watch.evaluate().unreachableFromS).toBe(3);
  });

  it('a probe that gets an answer does not stop the run (a reset from a live target)', async () => {
    const clock = new ManualClock();
    const driver: HttpDriver = {
      async send() {
        await clock.delay(5);
        return clock.now() % 2000 < 1000 ? { status: null, error: 'ECONNRESET', text: '', json: undefined } : { status: 200, error: null, text: '', json: undefined };
      },
      async close() {},
    };
    const events = Array.from({ length: 20 }, (_, i) => ev(i, i * 300, i));
    const outcomes: EventOutcome[] = [];
    const watch = new TargetWatch(DEFAULT_VALIDITY_RULES);
    const res = await clock.run(runRealtime({ ...base, events, connections: 20, metrics: new RunMetrics(), clock, driver, watch, probeTarget: async () => true, onEvent: (o) => outcomes.push(o) }));
    expect(res.stoppedUnreachable).toBe(false);
    expect(outcomes).toHaveLength(20);
    expect(watch.unreachable).toBeNull();
  });

  it('stops sending when the target process exits, even before any error', async () => {
    const clock = new ManualClock();
    const driver: HttpDriver = {
      async send() {
        await clock.delay(5);
        return { status: 200, error: null, text: '', json: undefined };
      },
      async close() {},
    };
    const events = Array.from({ length: 200 }, (_, i) => ev(i, i * 20, i));
    const watch = new TargetWatch(DEFAULT_VALIDITY_RULES);
    const outcomes: EventOutcome[] = [];
    const res = await clock.run(
      runRealtime({ ...base, events, connections: 200, metrics: new RunMetrics(), clock, driver, watch, sampleMs: 250, targetGone: () => (clock.now() >= 1000 ? 'target command exited (signal SIGKILL)' : null), onEvent: (o) => outcomes.push(o) }),
    );
    expect(res.stoppedUnreachable).toBe(true);
    // Polled every 250 ms: seen at t = 1000, nothing sent after.
    expect(Math.max(...outcomes.map((o) => o.startMs))).toBeLessThanOrEqual(1000);
    expect(watch.evaluate().reasons).toEqual(['target unreachable from s = 1: no answer (target command exited (signal SIGKILL))']);
  });

  it('at the deadline, events not sent are NOT_SENT and requests in flight ABANDONED; all are counted', async () => {
    const clock = new ManualClock();
    // A target that takes 1 s per request: worker 1's 20 events (one every 100 ms) pile up behind each other.
    const driver: HttpDriver = {
      async send() {
        await clock.delay(1000);
        return { status: 200, error: null, text: '', json: undefined };
      },
      async close() {},
    };
    const events = Array.from({ length: 20 }, (_, i) => ev(i, i * 100, 1));
    const outcomes: EventOutcome[] = [];
    const metrics = new RunMetrics();
    const overload = new OverloadDetector({ ...DEFAULT_OVERLOAD_RULES, maxLatenessMs: 500, sustainMs: 500, minBacklog: 1 });
    const res = await clock.run(runRealtime({ ...base, events, connections: 1, metrics, clock, driver, deadlineMs: 2500, overload, onEvent: (o) => outcomes.push(o) }));
    expect(res.deadlineHit).toBe(true);
    // Sent at 0, 1000 and 2000: two answered, the third in flight at 2500.
    expect(outcomes.filter((o) => o.status === 200).map((o) => o.event.seq)).toEqual([0, 1]);
    const abandoned = outcomes.filter((o) => o.error === 'ABANDONED');
    expect(abandoned.map((o) => [o.event.seq, o.startMs, o.responseMs])).toEqual([[2, 2000, 2500 - 200]]);
    const notSent = outcomes.filter((o) => o.error === 'NOT_SENT');
    expect(res.notSent).toBe(17);
    expect(notSent).toHaveLength(17);
    // Each waited at least from its intended start until the deadline.
    for (const o of notSent) expect(o.responseMs).toBe(2500 - o.event.t);
    const totals = metrics.sections(false, 2000).totals;
    expect(totals.requests).toBe(20);
    expect(totals.ok).toBe(2);
    expect(totals.errors).toEqual({ ABANDONED: 1, NOT_SENT: 17 });
    expect(overload.current.saturated).toBe(true);
    expect(overload.current.maxInFlight).toBeGreaterThan(10);
  });
});
