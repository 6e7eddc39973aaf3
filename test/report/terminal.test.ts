import { describe, expect, it } from 'vitest';
import { formatProgress } from '../../simulator/replay/progress.ts';
import { DEFAULT_GATES, evaluateGates } from '../../simulator/report/gates.ts';
import { reportSchema, validateSchema } from '../../simulator/report/schema.ts';
import { renderSummary } from '../../simulator/report/terminal.ts';
import { buildFixture } from './fixture.ts';

const plain = { color: false, reportDir: '/tmp/r' };

describe('terminal summary of a run that broke or could not keep up', () => {
  it('an invalid run says why in one line per reason, lists transport errors by kind and reads no gate as passed', () => {
    const { report } = buildFixture({ events: 150 });
    report.run.partial = true;
    report.run.validity = {
      valid: false,
      reasons: ['target unreachable from s = 30: ECONNREFUSED ×412'],
      transportErrors: { ECONNREFUSED: 412, TIMEOUT: 2 },
      unreachableFromS: 30,
    };
    expect(validateSchema(report, reportSchema())).toEqual([]);
    const text = renderSummary(report, plain);
    expect(text).toContain(' — INVALID — PARTIAL');
    expect(text).toMatch(/^INVALID {2}target unreachable from s = 30: ECONNREFUSED ×412$/m);
    expect(text).toMatch(/^transport errors {2}ECONNREFUSED ×412, TIMEOUT ×2$/m);
    expect(text).toContain('PERF gates not evaluated: the run is invalid');
    expect(text).not.toMatch(/PASS|passed/);
  });

  it('a valid run shows its gates as before', () => {
    const { report } = buildFixture({ events: 150 });
    report.run.validity = { valid: true, reasons: [], transportErrors: {}, unreachableFromS: null };
    report.gates = evaluateGates(report, DEFAULT_GATES);
    const text = renderSummary(report, plain);
    expect(text).not.toContain('INVALID');
    expect(text).toMatch(/PERF gates passed/);
  });

  it('a saturated run says from when, how deep, and what the deadline cut off', () => {
    const { report } = buildFixture({ events: 150 });
    report.run.overload = { saturated: true, fromS: 64, maxInFlight: 812, maxLatenessMs: 41_500, notSent: 310, deadlineMs: 60_000 };
    report.totals.errors = { ABANDONED: 12, NOT_SENT: 310 };
    expect(validateSchema(report, reportSchema())).toEqual([]);
    const text = renderSummary(report, plain);
    expect(text).toContain('SATURATED from s = 64: the target could not keep up (backlog up to 812 in flight, lateness up to 41.5 s); at the deadline (60.0 s wall) 310 events were not sent and 12 in flight were abandoned');
    // NOT_SENT/ABANDONED are overload, not transport errors.
    expect(text).not.toContain('transport errors');
    // When the replayer itself was saturated, the backlog is not laid at the target's door.
    report.run.replayer = { eventLoopDelayP99Ms: 19.5, eventLoopDelayMaxMs: 28.2, eventLoopUtilization: 0.98, saturatedShare: 0.92, bottleneck: true };
    expect(validateSchema(report, reportSchema())).toEqual([]);
    expect(renderSummary(report, plain)).toContain('SATURATED from s = 64: the schedule was not kept, and the replayer itself was a bottleneck (not necessarily the target) (backlog up to 812');
  });

  it('says how loaded the replayer was in a realtime run, also when it kept up; not in exact mode', () => {
    const { report } = buildFixture({ events: 150 });
    report.run.replayer = { eventLoopDelayP99Ms: 2.5, eventLoopDelayMaxMs: 21.7, eventLoopUtilization: 0.262, saturatedShare: 0, bottleneck: false };
    expect(report.run.mode).toBe('realtime');
    expect(renderSummary(report, plain)).toMatch(/^replayer event loop busy 26 %, saturated 0 % of the replay, delay p99 2\.5 ms: not a bottleneck$/m);
    report.run.replayer = { ...report.run.replayer, sendLagP99Ms: 0.4, sendLagMaxMs: 3.1 };
    expect(renderSummary(report, plain)).not.toContain("the replayer's own code");
    report.run.replayer.warmupMs = 2410;
    expect(renderSummary(report, plain)).toContain("warm-up  the replayer's own code before t = 0: 2.41 s against a loopback server of its own, for a dense first second (not part of the run)");
    expect(renderSummary(report, plain)).toMatch(/^replayer event loop busy 26 %, saturated 0 % of the replay, delay p99 2\.5 ms, own send lag p99 0\.4 ms: not a bottleneck$/m);
    report.run.replayer = { eventLoopDelayP99Ms: 16.6, eventLoopDelayMaxMs: 30, eventLoopUtilization: 0.999, saturatedShare: 1, bottleneck: true };
    expect(renderSummary(report, plain)).toMatch(/^replayer event loop busy 100 %, saturated 100 % of the replay, delay p99 16\.6 ms: the bottleneck \(see above\)$/m);
    const exact = buildFixture({ events: 150, mode: 'exact' }).report;
    exact.run.replayer = report.run.replayer;
    expect(renderSummary(exact, plain)).not.toContain('replayer event loop busy');
  });

  it('says when the replayer itself was the bottleneck', () => {
    const { report } = buildFixture({ events: 150 });
    report.run.replayer = { eventLoopDelayP99Ms: 120, eventLoopDelayMaxMs: 800, bottleneck: true };
    expect(renderSummary(report, plain)).toContain('replayer was the bottleneck: event-loop delay p99 120 ms (max 800 ms); part of the lateness');
    report.run.replayer = { eventLoopDelayP99Ms: 18.4, eventLoopDelayMaxMs: 30.4, eventLoopUtilization: 0.777, saturatedShare: 0.368, bottleneck: true };
    expect(renderSummary(report, plain)).toContain('replayer was the bottleneck: event loop saturated (≥ 95 % busy) 37 % of the replay, busy 78 % overall; event-loop delay p99 18.4 ms (max 30.4 ms)');
  });
});

describe('progress line', () => {
  const base = { done: 500, fraction: 1, elapsedMs: 40_000, p95Ms: 900, errors: 3, status429: 10 };
  it('never shows ETA 0s while events are pending: it counts down to the deadline', () => {
    expect(formatProgress({ ...base, pending: true, deadlineMs: 60_000 })).toContain('ETA ≤ 20s (deadline)');
    expect(formatProgress({ ...base, pending: true, deadlineMs: 40_000 })).toContain('ETA ≤ 1s (deadline)');
    expect(formatProgress({ ...base, pending: true })).toContain('ETA ?');
    expect(formatProgress({ ...base, pending: false })).toContain('ETA 0s');
  });
  it('says it is warming up before t = 0, with nothing covered yet', () => {
    expect(formatProgress({ ...base, done: 0, fraction: 0, elapsedMs: 0, pending: true, warmingUp: true })).toMatch(/^\[\.{20}\] 0% 0 events {2}0s elapsed, ETA \? \(warming up before t = 0\)/);
  });
  it('says SATURATED live, and that the target is unreachable', () => {
    expect(formatProgress({ ...base, pending: true, saturated: { fromS: 64, inFlight: 812 } })).toMatch(/SATURATED since s = 64, 812 in flight$/);
    expect(formatProgress({ ...base, pending: true, unreachableFromS: 30 })).toMatch(/TARGET UNREACHABLE since s = 30, stopping$/);
  });
  it('says live when the replayer itself is at its limit (its loop ≥ 95 % busy over the last quarter second)', () => {
    expect(formatProgress({ ...base, pending: true, replayerBusy: 0.94 })).not.toContain('REPLAYER');
    expect(formatProgress({ ...base, pending: true, replayerBusy: 0.992 })).toMatch(/429s 10  REPLAYER SATURATED \(its event loop 99 % busy\)$/);
    expect(formatProgress({ ...base, pending: true, saturated: { fromS: 2, inFlight: 900 }, replayerBusy: 1 })).toMatch(/SATURATED since s = 2, 900 in flight  REPLAYER SATURATED/);
  });
  it('says live when the replayer sends late on its own (half or more of its last quarter second’s sends ≥ 20 ms late)', () => {
    expect(formatProgress({ ...base, pending: true, replayerBusy: 0.6, replayerLate: 0.49 })).not.toContain('REPLAYER');
    expect(formatProgress({ ...base, pending: true, replayerBusy: 0.6, replayerLate: 0.62 })).toMatch(/429s 10 {2}REPLAYER LATE \(62 % of its sends 20 ms or more late\)$/);
    // A saturated loop says so; that it is late too goes without saying.
    expect(formatProgress({ ...base, pending: true, replayerBusy: 0.99, replayerLate: 1 })).toMatch(/REPLAYER SATURATED \(its event loop 99 % busy\)$/);
  });
});
