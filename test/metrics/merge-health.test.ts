import { describe, expect, it } from 'vitest';
import { mergeRunHealth, worstReplayerHealth } from '../../simulator/metrics/merge-health.ts';
import { buildFixture } from '../report/fixture.ts';

describe('merged validity and overload', () => {
  it('is invalid when one shard was, saturated when one was, and adds up their errors and backlogs', () => {
    const a = buildFixture().report;
    const b = buildFixture().report;
    a.run.validity = { valid: true, reasons: [], transportErrors: { TIMEOUT: 2 }, unreachableFromS: null };
    b.run.validity = { valid: false, reasons: ['target unreachable from s = 30: ECONNREFUSED ×40'], transportErrors: { ECONNREFUSED: 40, TIMEOUT: 1 }, unreachableFromS: 30 };
    a.run.overload = { saturated: false, fromS: null, maxInFlight: 12, maxLatenessMs: 300, notSent: 0, deadlineMs: 60_000 };
    b.run.overload = { saturated: true, fromS: 41, maxInFlight: 300, maxLatenessMs: 9000, notSent: 25, deadlineMs: 60_000 };
    a.run.replayer = { eventLoopDelayP99Ms: 3, eventLoopDelayMaxMs: 20, eventLoopUtilization: 0.4, saturatedShare: 0.02, bottleneck: false };
    b.run.replayer = { eventLoopDelayP99Ms: 70, eventLoopDelayMaxMs: 400, bottleneck: true };
    const m = mergeRunHealth([{ name: 'shard-0', report: a }, { name: 'shard-1', report: b }]);
    expect(m.validity).toEqual({ valid: false, reasons: ['shard-1: target unreachable from s = 30: ECONNREFUSED ×40'], transportErrors: { ECONNREFUSED: 40, TIMEOUT: 3 }, unreachableFromS: 30 });
    expect(m.overload).toEqual({ saturated: true, fromS: 41, maxInFlight: 312, maxLatenessMs: 9000, notSent: 25, deadlineMs: 60_000 });
    // b was written before the busy shares existed: a's are the worst known.
    expect(m.replayer).toEqual({ eventLoopDelayP99Ms: 70, eventLoopDelayMaxMs: 400, eventLoopUtilization: 0.4, saturatedShare: 0.02, bottleneck: true });
  });

  it('a replayer is a bottleneck when one of its loops was (a thread saturated, the others idle)', () => {
    const idle = { eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 12, eventLoopUtilization: 0.1, saturatedShare: 0, bottleneck: false };
    const saturated = { eventLoopDelayP99Ms: 20, eventLoopDelayMaxMs: 31, eventLoopUtilization: 0.99, saturatedShare: 0.98, bottleneck: true };
    expect(worstReplayerHealth([idle, saturated, idle])).toEqual({ ...saturated, eventLoopDelayMaxMs: 31 });
    expect(worstReplayerHealth([idle, idle]).bottleneck).toBe(false);
  });

  it('takes the worst send lag of the loops that sent (a threaded run’s main thread sends nothing on schedule)', () => {
    const main = { eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 12, eventLoopUtilization: 0.3, saturatedShare: 0, bottleneck: false };
    const a = { ...main, sendLagP99Ms: 0.6, sendLagMaxMs: 9.5 };
    const b = { ...main, sendLagP99Ms: 1.2, sendLagMaxMs: 4 };
    expect(worstReplayerHealth([main, a, b])).toEqual({ ...main, sendLagP99Ms: 1.2, sendLagMaxMs: 9.5 });
    // Shards that warmed up before t0: the longest.
    expect(worstReplayerHealth([{ ...a, warmupMs: 1800 }, { ...b, warmupMs: 2400 }, main]).warmupMs).toBe(2400);
  });

  it('leaves the fields out for shards written before they existed', () => {
    expect(mergeRunHealth([{ name: 'a', report: buildFixture().report }])).toEqual({});
  });
});
