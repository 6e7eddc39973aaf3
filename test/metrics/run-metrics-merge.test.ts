/**
 * RunMetrics toWire + mergeWire (a threaded run's threads each record their share; the main thread merges):
 * the same events and calls recorded into one RunMetrics, or split across several and merged, give the same report
 * sections — every percentile, count, encoded histogram and per-second row. Randomised (seeded) inputs.
 */
import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import { RunMetrics } from '../../simulator/metrics/run-metrics.ts';
import type { EventCalls, EventError, EventOutcome } from '../../simulator/outcome/outcome.ts';
import { seededRandom } from '../seeded-random.ts';

type Item = { kind: 'event'; o: EventOutcome; calls: EventCalls | null } | { kind: 'call'; call: CallRecord; simMs: number } | { kind: 'unattributed' };

const SCENARIOS = ['alpha', 'beta', 'gamma'];
const STATUSES = [200, 200, 200, 201, 404, 409, 429, 500, 503];
const ERRORS: EventError[] = ['ECONNREFUSED', 'TIMEOUT', 'NOT_SENT', 'ABANDONED'];
const METHODS = ['values.get', 'values.append', 'values.batchUpdate'];

// Long-tailed values over several orders of magnitude (so histograms resize differently per part), some 0.
function duration(rnd: () => number): number {
  const r = rnd();
  if (r < 0.05) return 0;
  return Math.round(Math.exp(rnd() * 14 - 4) * 1000) / 1000;
}

function items(seed: number, n: number): Item[] {
  const rnd = seededRandom(seed);
  const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)]!;
  const out: Item[] = [];
  for (let seq = 0; seq < n; seq++) {
    const t = Math.floor(rnd() * 30_000);
    const failed = rnd() < 0.1;
    const status = failed ? null : pick(STATUSES);
    const withExpect = rnd() < 0.5;
    const o: EventOutcome = {
      event: {
        seq, t, worker: Math.floor(rnd() * 16), scenario: pick(SCENARIOS), op: 'health',
        req: { method: 'GET', path: '/' },
        ...(withExpect ? { expect: { status: rnd() < 0.7 ? (status ?? 200) : 200, ...(rnd() < 0.3 ? { action_taken: 'x' } : {}) } } : {}),
      } as EventOutcome['event'],
      intendedMs: t, startMs: t + duration(rnd), responseMs: duration(rnd), serviceMs: duration(rnd), latenessMs: duration(rnd),
      status, error: failed ? pick(ERRORS) : null, body: '', action_taken: rnd() < 0.5 ? 'x' : null,
      ...(rnd() < 0.6 ? { sheetsMs: duration(rnd), waitMs: rnd() < 0.5 ? null : duration(rnd), computeMs: duration(rnd) } : {}),
    };
    const calls: EventCalls | null = rnd() < 0.3 ? null : { count: Math.floor(rnd() * 5), byMethod: { [pick(METHODS)]: 1 + Math.floor(rnd() * 3) }, maxAppendRows: Math.floor(rnd() * 50) };
    out.push({ kind: 'event', o, calls });
    if (rnd() < 0.4) {
      const call = { method: pick(METHODS), kind: rnd() < 0.5 ? 'read' : 'write', status: pick([200, 200, 429, 500]), rows: Math.floor(rnd() * 40), latencyMs: 1 } as CallRecord;
      out.push({ kind: 'call', call, simMs: Math.floor(rnd() * 31_000) });
    }
    if (rnd() < 0.05) out.push({ kind: 'unattributed' });
  }
  return out;
}

function record(m: RunMetrics, it: Item): void {
  if (it.kind === 'event') m.addEvent(it.o, it.calls);
  else if (it.kind === 'call') m.addCall(it.call, it.simMs);
  else m.addUnattributedCall();
}

function sections(m: RunMetrics) {
  return { ...m.sections(true, 31_000), lastT: m.lastT, lastEndMs: m.lastEndMs, live: { ...m.live(), p95Ms: undefined } };
}

describe('RunMetrics.mergeWire', () => {
  for (const seed of [1, 2, 3, 42, 2026]) {
    it(`one RunMetrics = the same events split across parts and merged (seed ${seed})`, () => {
      const rnd = seededRandom(seed * 7 + 1);
      const all = items(seed, 3000);
      const parts = 2 + Math.floor(rnd() * 4);
      const one = new RunMetrics();
      const split = Array.from({ length: parts }, () => new RunMetrics());
      for (const it of all) {
        record(one, it);
        record(split[Math.floor(rnd() * parts)]!, it);
      }
      const merged = new RunMetrics();
      for (const p of split) merged.mergeWire(p.toWire());
      const viaWire = new RunMetrics();
      // Through structured clone, as postMessage carries it.
      for (const p of split) viaWire.mergeWire(structuredClone(p.toWire()));
      const expected = sections(one);
      expect(expected.totals.requests).toBe(3000);
      expect(sections(merged)).toEqual(expected);
      expect(sections(viaWire)).toEqual(expected);
      // Byte for byte as report.json writes it (key order included).
      expect(JSON.stringify(sections(viaWire))).toBe(JSON.stringify(expected));
    });
  }

  it('keeps the first mismatches in trace order (lowest seq), whatever the arrival order', () => {
    const all = items(9, 2000).filter((i) => i.kind === 'event');
    const forward = new RunMetrics();
    const backward = new RunMetrics();
    for (const it of all) record(forward, it);
    for (const it of [...all].reverse()) record(backward, it);
    const ex = forward.sections(true, 1).expectations;
    expect(ex.mismatches).toBeGreaterThan(20);
    expect(ex.examples).toHaveLength(20);
    expect(ex.examples.map((e) => e.seq)).toEqual([...ex.examples.map((e) => e.seq)].sort((a, b) => a - b));
    expect(backward.sections(true, 1).expectations).toEqual(ex);
  });

  it('merging an empty RunMetrics changes nothing', () => {
    const m = new RunMetrics();
    for (const it of items(5, 500)) record(m, it);
    const before = JSON.stringify(sections(m));
    m.mergeWire(new RunMetrics().toWire());
    m.mergeWire(structuredClone(new RunMetrics().toWire()));
    expect(JSON.stringify(sections(m))).toBe(before);
  });
});
