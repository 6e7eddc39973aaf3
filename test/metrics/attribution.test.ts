import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import { CallAttributor } from '../../simulator/metrics/attribution.ts';
import type { EventCalls, EventOutcome } from '../../simulator/outcome/outcome.ts';
import { traceIdForSeq } from '../../simulator/outcome/traceparent.ts';

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
    const a = new CallAttributor((o, c) => released.set(o.event.seq, c), (c) => own.push(c), (clockMs) => clockMs, true);
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
    expect(released.get(3)).toEqual({ count: 1, byMethod: { 'values.get': 1 }, maxAppendRows: 0 });
    expect(own).toHaveLength(5);
  });

  it('ignores untraced calls when other replayers share the mock (shards)', () => {
    const released = new Map<number, EventCalls | null>();
    const own: CallRecord[] = [];
    const a = new CallAttributor((o, c) => released.set(o.event.seq, c), (c) => own.push(c), (ms) => ms, false);
    a.begin(1, 0);
    a.complete(outcome(1), 100);
    a.ingest([call(10), call(20, traceIdForSeq(1))]);
    a.flushAll();
    expect(released.get(1)).toEqual({ count: 1, byMethod: { 'values.get': 1 }, maxAppendRows: 0 });
    expect(own).toHaveLength(1);
  });
});
