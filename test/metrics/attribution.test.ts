import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import { CallAttributor } from '../../simulator/metrics/attribution.ts';
import type { EventCalls, EventOutcome } from '../../simulator/outcome/outcome.ts';
import { traceIdForSeq } from '../../simulator/outcome/traceparent.ts';
import { ScenarioStats } from '../../simulator/metrics/scenario-stats.ts';

function outcome(seq: number): EventOutcome {
  return {
    event: { seq, t: 0, worker: seq, op: 'health', scenario: 's', req: { method: 'GET', path: '/' } },
    intendedMs: 0, startMs: 0, responseMs: 1, serviceMs: 1, latenessMs: 0, status: 200, error: null, body: '', action_taken: null,
  };
}
let id = 0;
function call(clockMs: number, traceId?: string, method: CallRecord['method'] = 'values.get'): CallRecord {
  id += 1;
  return { id, clockMs, method, kind: 'read', spreadsheetId: 'x', ranges: [], rows: 1, cells: 1, quotaUser: 'u', status: 200, latencyMs: 0, ...(traceId ? { traceId } : {}) };
}

describe('CallAttributor', () => {
  it('attributes by trace id, falls back to the only event in flight, and gives up (null) when several overlap', () => {
    const released = new Map<number, EventCalls | null>();
    const own: CallRecord[] = [];
    const lost: CallRecord[] = [];
    const a = new CallAttributor((o, c) => released.set(o.event.seq, c), (c) => own.push(c), (clockMs) => clockMs, true, (c) => lost.push(c));
    a.begin(1, 0);
    a.begin(2, 50);
    a.begin(3, 500);
    a.complete(outcome(1), 100);
    a.complete(outcome(2), 200);
    a.complete(outcome(3), 600);
    a.ingest([
      call(10, traceIdForSeq(1), 'values.append'),
      call(20, traceIdForSeq(1)),
      call(60, traceIdForSeq(2)),
      call(550), // untraced, only event 3 in flight → 3
      call(75), // untraced, events 1 and 2 in flight → both unknown
      call(70, traceIdForSeq(99)), // another shard's event: not ours
    ]);
    a.flush(300);
    expect(released.has(3)).toBe(false); // completed after the poll started: held
    a.flushAll();
    expect(released.get(1)).toBeNull();
    expect(released.get(2)).toBeNull();
    expect(released.get(3)).toMatchObject({ count: 1, byMethod: { 'values.get': 1 }, maxAppendRows: 0 });
    expect(own).toHaveLength(5);
    expect(lost.map((c) => c.clockMs)).toEqual([75]); // the overlapping untraced call is counted apart
  });

  it('a scenario none of whose events could be attributed reports unknown calls per operation, not 0', () => {
    const stats = new ScenarioStats();
    const sample = { responseMs: 1, serviceMs: 1, latenessMs: 0, status: 200, error: null, expectOk: null };
    stats.add({ ...sample, calls: null });
    stats.add({ ...sample, calls: null });
    expect(stats.toReport(true).sheetsCalls).toBeNull();
    expect(stats.toReport(true).sheetsUnattributed).toBe(2);
    stats.add({ ...sample, calls: { count: 3, byMethod: { 'values.get': 3 }, maxAppendRows: 0 } });
    expect(stats.toReport(true).sheetsCalls).toMatchObject({ mean: 3, max: 3, total: 3 });
    expect(stats.toReport(true).sheetsUnattributed).toBe(2);
    expect(stats.toReport(false).sheetsUnattributed).toBeUndefined();
  });

  it('ignores untraced calls when other replayers share the mock (shards)', () => {
    const released = new Map<number, EventCalls | null>();
    const own: CallRecord[] = [];
    const a = new CallAttributor((o, c) => released.set(o.event.seq, c), (c) => own.push(c), (ms) => ms, false);
    a.begin(1, 0);
    a.complete(outcome(1), 100);
    a.ingest([call(10), call(20, traceIdForSeq(1))]);
    a.flushAll();
    expect(released.get(1)).toMatchObject({ count: 1, byMethod: { 'values.get': 1 }, maxAppendRows: 0 });
    expect(own).toHaveLength(1);
  });
});
