import { describe, expect, it } from 'vitest';
import type { CapacityResult } from '../../simulator/capacity/capacity.ts';
import { renderCapacityHtml } from '../../simulator/capacity/html.ts';
import { answerLine, capacityCsv, capacityTable, quotaLine } from '../../simulator/capacity/render.ts';
import { type CapacityPoint, DEFAULT_CAPACITY_GATES, judgePoint } from '../../simulator/capacity/verdict.ts';
import type { Report } from '../../simulator/report/model.ts';
import { buildFixture } from '../report/fixture.ts';

// A clean run: every request succeeded, fast, no 429 (the fixture's conflicts and faults are switched off here).
function report(edit: (r: Report) => void = () => undefined): Report {
  const r = structuredClone(buildFixture({ errorRate: 0 }).report);
  r.totals.successRate = 1;
  r.sheets.status429 = 0;
  for (const m of Object.values(r.sheets.byMethod)) m.status429 = 0;
  edit(r);
  return r;
}
const judge = (r: Report, workers = 5) => judgePoint(r, workers, DEFAULT_CAPACITY_GATES, { dir: '/tmp/x', wallMs: 1000 });

describe('judgePoint', () => {
  it('passes a clean run and names the resource of a failing one', () => {
    expect(judge(report())).toMatchObject({ pass: true, failures: [], limitedBy: null });
    const writes = judge(report((r) => {
      r.sheets.status429 = 7;
      r.sheets.byMethod['values.append'] = { count: 40, errors: 7, status429: 7 };
    }));
    expect(writes).toMatchObject({ pass: false, limitedBy: 'write quota', writes429: 7, reads429: 0 });
    expect(writes.failures[0]).toBe('7 Sheets 429s (7 on writes, 0 on reads)');
    const reads = judge(report((r) => {
      r.sheets.status429 = 3;
      r.sheets.byMethod['values.get'] = { count: 40, errors: 3, status429: 3 };
    }));
    expect(reads.limitedBy).toBe('read quota');
    const slow = judge(report((r) => {
      r.scenarios.finalizar_arm_10!.responseTime.p95 = 1500;
    }));
    expect(slow).toMatchObject({ pass: false, limitedBy: 'latency' });
    expect(slow.failures[0]).toMatch(/^PERF-01 1500 ms/);
    expect(judge(report((r) => { r.totals.successRate = 0.95; }))).toMatchObject({ pass: false, limitedBy: 'errors' });
  });

  it('lets 429s pass with --allow-429 and does not pass a partial run', () => {
    const r = report((x) => { x.sheets.status429 = 2; x.sheets.byMethod['values.append'] = { count: 9, errors: 2, status429: 2 }; });
    expect(judgePoint(r, 3, { ...DEFAULT_CAPACITY_GATES, no429: false }, { dir: '', wallMs: 0 }).pass).toBe(true);
    expect(judge(report((x) => { x.run.partial = true; })).pass).toBe(false);
  });

  it('does not pass a realtime run (the confirmation) whose replayer was its own bottleneck, whatever its gates say', () => {
    const health = { eventLoopDelayP99Ms: 4, eventLoopDelayMaxMs: 12, eventLoopUtilization: 0.8, saturatedShare: 0, sendLagP99Ms: 45, sendLagMaxMs: 80 };
    const slowReplayer = judge(report((x) => { x.run.mode = 'realtime'; x.run.replayer = { ...health, bottleneck: true }; }));
    expect(slowReplayer).toMatchObject({ pass: false, limitedBy: 'invalid run' });
    expect(slowReplayer.failures).toEqual([
      'the replayer itself was a bottleneck (own send lag p99 45.0 ms (max 80.0 ms); event loop saturated (≥ 95 % busy) 0 % of the replay, busy 80 % overall; event-loop delay p99 4.0 ms (max 12.0 ms)), so the run did not measure the target alone: lower --speed',
    ]);
    expect(judge(report((x) => { x.run.mode = 'realtime'; x.run.replayer = { ...health, sendLagP99Ms: 2, bottleneck: false }; })).pass).toBe(true);
  });
});

function result(points: CapacityPoint[], answer: number, extra: Partial<CapacityResult> = {}): CapacityResult {
  return {
    name: 'lean', seed: 42, durationMs: 300_000, thinkMinMs: 5000, thinkMaxMs: 15000, gates: DEFAULT_CAPACITY_GATES, answer, atMax: false,
    limitedBy: points.find((p) => !p.pass && p.workers > answer)?.limitedBy ?? null, points, probes: points.map((p) => p.workers), nonMonotonic: [],
    quota: null, confirmation: null, wallMs: 60_000, ...extra,
  };
}

describe('the capacity answer', () => {
  const pass = { ...judge(report((r) => { r.sheets.writes.peakPerMinute = 56; })), workers: 5 };
  const fail = judge(report((r) => {
    r.sheets.status429 = 45;
    r.sheets.byMethod['values.append'] = { count: 90, errors: 45, status429: 45 };
  }), 6);

  it('says how many workers, at what think time, and what gave out with its figure', () => {
    expect(answerLine(result([pass, fail], 5))).toBe('lean: 5 workers at 5–15 s think time; limited by Sheets writes, 56 of 60 a minute; at 6: 45 Sheets 429s (45 on writes, 0 on reads)');
    expect(answerLine(result([{ ...fail, workers: 1 }], 0))).toMatch(/^lean: no worker count passes at 5–15 s think time: 1 worker already fails \(45 Sheets 429s/);
    expect(answerLine(result([pass], 5, { atMax: true }))).toMatch(/at least 5 workers/);
  });

  it('adds what the quota alone allows when latency is the limit', () => {
    const slow = { ...pass, workers: 1, pass: false, failures: ['PERF-01 1800 ms (must be < 1000 ms)'], limitedBy: 'latency' as const };
    const quotaGates = { ...DEFAULT_CAPACITY_GATES, perf01Ms: null, perf02Ms: null };
    const r = result([slow], 0, { quota: { gates: quotaGates, answer: 5, atMax: false, limitedBy: 'write quota', points: [{ ...pass, workers: 5 }, fail] } });
    expect(answerLine(r)).toMatch(/^lean: no worker count passes .* 1 worker already fails \(PERF-01 1800 ms/);
    expect(quotaLine(r)).toBe('quota alone (no 429, success >= 99%, latency not judged): 5 workers; limited by Sheets writes, 56 of 60 a minute; at 6: 45 Sheets 429s (45 on writes, 0 on reads)');
    expect(quotaLine(result([pass, fail], 5, { quota: { gates: quotaGates, answer: 5, atMax: false, limitedBy: 'write quota', points: [pass, fail] } }))).toBeNull();
  });

  it('renders the curve as a table, CSV and an offline HTML page', () => {
    const r = result([pass, fail], 5, { confirmation: { ...pass, speed: 10, gatesKind: 'all' } });
    const table = capacityTable(r).split('\n');
    expect(table[0]).toMatch(/^workers\s+requests\s+writes\/min peak/);
    expect(table[3]).toMatch(/^5 rt×10 /);
    const csv = capacityCsv(r).trim().split('\n');
    expect(csv).toHaveLength(4);
    expect(csv[2]).toMatch(/^6,exact,1,.*,false,write quota,/);
    expect(csv[3]).toMatch(/^5,realtime,10,/);
    const html = renderCapacityHtml(r);
    expect(html).toContain('lean: 5 workers at 5–15 s think time');
    expect(html).toContain('id="capacity-data"');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });
});
