import { describe, expect, it } from 'vitest';
import { deriveFindings, fmtInt, mismatchKind, operationOf } from '../../simulator/report/findings.ts';
import type { Finding, Report } from '../../simulator/report/model.ts';
import { buildFixture } from './fixture.ts';

const byId = (findings: Finding[], id: string): Finding | undefined => findings.find((f) => f.id === id);
const rank = { critical: 0, warning: 1, info: 2 };

/** A run that asks Sheets for far more writes than the quota and gets 429s and 503s back. */
function saturated(): Report {
  const { report } = buildFixture({ events: 900, writesPerWrite: 10, errorRate: 0.3 });
  // 429s in two stretches of the timeline, 40 s apart.
  for (const p of report.timeline) p.status429 = (p.s >= 30 && p.s < 60) || (p.s >= 100 && p.s < 110) ? 7 : 0;
  report.sheets.status429 = report.timeline.reduce((a, p) => a + p.status429, 0);
  return report;
}

/** A calm run: few writes, fast answers, no failures. */
function healthy(): Report {
  const { report } = buildFixture({ events: 900, writesPerWrite: 0, errorRate: 0, latencyFactor: 0.3 });
  // The fixture's read "peak" is its total; a calm run reads a few times a minute.
  report.sheets.reads.peakPerMinute = 10;
  return report;
}

/** A run whose target stopped answering at s = 20: every later request is ECONNREFUSED. */
function deadTarget(): { report: Report; deadFrom: number } {
  const { report } = buildFixture({ events: 900, errorRate: 0 });
  let failed = 0;
  let deadFrom = -1;
  for (const p of report.timeline) {
    if (p.s < 20 || p.requests === 0) continue;
    if (deadFrom < 0) deadFrom = p.s;
    p.statusClasses = { error: p.requests };
    failed += p.requests;
  }
  report.totals.statuses = { '200': report.totals.requests - failed, error: failed };
  report.totals.errors = { ECONNREFUSED: failed };
  return { report, deadFrom };
}

/** Flat 100 ms p95 after a cold start that falls from 8 s at s = 0 by 200 ms a second. */
function coldStart(report: Report): Report {
  for (const p of report.timeline) {
    p.requests = Math.max(1, p.requests);
    p.p95 = p.s < 40 ? 8000 - 200 * p.s : 100;
  }
  return report;
}

describe('findings', () => {
  it('saturated: says the write quota limits the backend, with its ratio, the first second over it, the 429s and the worst operation', () => {
    const report = saturated();
    const findings = deriveFindings(report);
    const q = findings[0]!;
    expect(q.id).toBe('quota-saturation');
    expect(q.severity).toBe('critical');
    const ratio = report.sheets.writes.peakPerMinute / 60;
    expect(ratio).toBeGreaterThan(1);
    expect(q.figures.ratio).toBeCloseTo(ratio, 2);
    expect(q.text).toContain(`${ratio.toFixed(1)}× the 60/min quota`);
    expect(q.text).toContain(`${fmtInt(report.sheets.status429)} 429s`);
    // The first second whose preceding minute holds more than 60 writes, counted here the slow way.
    const first = report.timeline.find((p) => report.timeline.filter((o) => o.s > p.s - 60 && o.s <= p.s).reduce((a, o) => a + o.sheetsWrites, 0) > 60)!;
    expect(q.figures.fromS).toBe(first.s);
    expect(q.text).toContain(`over the quota from s = ${first.s}`);
    // The operation with the largest 5xx share is named with that share.
    expect(q.text).toMatch(/\d+% of (FINALIZAR|INICIAR|DISPONIBLES|METRICAS)s answered 503/);
    expect(q.anchor).toBe('#chart-writes');
    const bursts = byId(findings, '429-bursts')!;
    expect(bursts.figures).toMatchObject({ bursts: 2, largestFromS: 30, largestToS: 59, largest: 210, peakPerSecond: 7 });
    expect(bursts.anchor).toBe('#chart-errors');
    // Most severe first, and no "healthy" claim next to a critical finding.
    expect(findings.map((f) => rank[f.severity])).toEqual([...findings.map((f) => rank[f.severity])].sort());
    expect(byId(findings, 'healthy')).toBeUndefined();
  });

  it('saturated with admitted writes: quotes what Google admitted', () => {
    const report = saturated();
    report.sheets.writesAdmitted = { peakPerMinute: 60, meanPerMinute: 55, total: 400 };
    expect(deriveFindings(report)[0]!.text).toContain('Google admitted at most 60/min');
  });

  it('healthy: one healthy finding first and nothing critical or warning', () => {
    const report = healthy();
    const findings = deriveFindings(report);
    expect(findings[0]!.id).toBe('healthy');
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(findings[0]!.text).toContain(`${Math.round(report.totals.successRate * 100)}% success, p95 `);
    expect(byId(findings, 'warmup')).toBeUndefined();
    expect(byId(findings, 'quota-saturation')).toBeUndefined();
  });

  it('quota headroom: a run under the quota but over PERF-05 says so as information', () => {
    const report = healthy();
    report.sheets.writes.peakPerMinute = 50;
    report.sheets.writeUtilisation = 50 / 60;
    report.gates = [{ id: 'PERF-05', description: 'writes', value: 50, threshold: 30, comparator: '<', unit: 'writes/min', pass: false }];
    const f = byId(deriveFindings(report), 'quota-headroom')!;
    expect(f.severity).toBe('info');
    expect(f.text).toContain('50/min: 83% of the 60/min quota');
    expect(f.text).toContain('PERF-05 wants < 30/min (missed)');
  });

  it('dead target: the run is reported as saying nothing about the backend, from the second it died', () => {
    const { report, deadFrom } = deadTarget();
    const findings = deriveFindings(report);
    const f = findings[0]!;
    expect(f.id).toBe('invalid-target');
    expect(f.severity).toBe('critical');
    expect(f.figures.unreachableFromS).toBe(deadFrom);
    expect(f.text).toContain('ECONNREFUSED');
    expect(f.text).toContain(`from s = ${deadFrom}`);
    expect(byId(findings, 'healthy')).toBeUndefined();
    // Latency of refused connections is not a finding about the backend.
    expect(byId(findings, 'slowest-scenario')).toBeUndefined();
    expect(byId(deriveFindings(healthy()), 'slowest-scenario')).toBeDefined();
  });

  it('dead target with the run\'s own validity verdict: its reasons are quoted', () => {
    const { report } = deadTarget();
    report.run.validity = { valid: false, reasons: ['the target exited with code 1 at s = 20'], transportErrors: { ECONNREFUSED: 700 }, unreachableFromS: 20 };
    const f = deriveFindings(report)[0]!;
    expect(f.id).toBe('invalid-target');
    expect(f.text).toContain('the target exited with code 1 at s = 20');
    expect(f.text).toContain('ECONNREFUSED 700');
    // A valid verdict silences the rule even with a few transport errors.
    report.run.validity = { valid: true, reasons: [], transportErrors: {}, unreachableFromS: null };
    expect(byId(deriveFindings(report), 'invalid-target')).toBeUndefined();
  });

  it('no request at all is invalid too', () => {
    const report = healthy();
    report.totals.requests = 0;
    expect(deriveFindings(report)[0]!.id).toBe('invalid-target');
  });

  it('warm-up: latency worst in the first minute is called a cold start, with where it settles', () => {
    const report = coldStart(healthy());
    const f = byId(deriveFindings(report), 'warmup')!;
    expect(f.severity).toBe('warning');
    // Settles at the first second at or under max(2 × 100, 100 + 250) ms: 8000 − 200 s ≤ 350 → s = 39.
    expect(f.figures).toMatchObject({ peakP95Ms: 8000, peakS: 0, laterMedianP95Ms: 100, settledAtS: 39 });
    expect(f.text).toContain('settling by s = 39');
    const before = report.timeline.filter((p) => p.s < 39).reduce((n, p) => n + p.requests, 0);
    expect(f.figures.requests).toBe(before);
    expect(f.text).toContain('not the quota');
    expect(f.anchor).toBe('#chart-latency');
  });

  it('warm-up: an explicit warm-up is reported, and a cold start that remains says "despite the warm-up"', () => {
    const report = coldStart(healthy());
    report.run.warmup = { ms: 1200, sheetsCalls: 3, status: 200 };
    const findings = deriveFindings(report);
    expect(byId(findings, 'explicit-warmup')!.text).toContain('1.20 s, 3 Sheets calls, answered 200');
    expect(byId(findings, 'warmup')!.text).toContain('despite the warm-up');
    const failed = healthy();
    failed.run.warmup = { ms: 30000, sheetsCalls: 0, status: 503 };
    expect(byId(deriveFindings(failed), 'explicit-warmup')!.severity).toBe('warning');
  });

  it('warm-up: a cold start paid by one request is information, with the count', () => {
    const report = healthy();
    for (const p of report.timeline) p.p95 = p.s === 0 ? 5000 : 100;
    report.timeline[0]!.requests = 1;
    const f = byId(deriveFindings(report), 'warmup')!;
    expect(f.severity).toBe('info');
    expect(f.figures).toMatchObject({ requests: 1, settledAtS: report.timeline.find((p) => p.s > 0 && p.requests > 0)!.s });
    expect(f.text).toContain('(1 request before that;');
  });

  it('a spike later in the run is not a warm-up', () => {
    const report = healthy();
    for (const p of report.timeline) p.p95 = p.s >= 80 && p.s < 90 ? 8000 : 100;
    expect(byId(deriveFindings(report), 'warmup')).toBeUndefined();
  });

  it('overload: the replayer\'s own verdict is critical and says from when', () => {
    const report = healthy();
    report.run.overload = { saturated: true, fromS: 64, maxInFlight: 412, maxLatenessMs: 9100, notSent: 17, deadlineMs: 30000 };
    const f = deriveFindings(report)[0]!;
    expect(f).toMatchObject({ id: 'overload', severity: 'critical' });
    expect(f.text).toContain('from s = 64');
    expect(f.text).toContain('17 events not sent');
    expect(f.text).toMatch(/^The target could not keep up/);
    report.run.replayer = { eventLoopDelayP99Ms: 250, eventLoopDelayMaxMs: 900, bottleneck: true };
    expect(byId(deriveFindings(report), 'replayer-bottleneck')!.text).toContain('event-loop delay p99 250 ms');
    // A replayer that was its own bottleneck does not blame the target for the backlog.
    expect(byId(deriveFindings(report), 'overload')!.text).toMatch(/^The schedule was not kept \(the replayer itself was a bottleneck, so not necessarily because of the target\) from s = 64/);
  });

  it('replayer-bottleneck: a saturated replayer is named with its busy share, even when its loop delay was short', () => {
    const report = healthy();
    report.run.replayer = { eventLoopDelayP99Ms: 25.8, eventLoopDelayMaxMs: 42.4, eventLoopUtilization: 0.992, saturatedShare: 0.97, bottleneck: true };
    const f = byId(deriveFindings(report), 'replayer-bottleneck')!;
    expect(f.text).toContain('(sheetsim, not the target): event loop saturated (≥ 95 % busy) 97 % of the replay, busy 99 % overall; event-loop delay p99 25.8 ms');
    expect(f.figures).toMatchObject({ saturatedShare: 0.97, eventLoopUtilization: 0.992 });
    report.run.replayer = { eventLoopDelayP99Ms: 2.7, eventLoopDelayMaxMs: 25.3, eventLoopUtilization: 0.26, saturatedShare: 0, bottleneck: false };
    expect(byId(deriveFindings(report), 'replayer-bottleneck')).toBeUndefined();
  });

  it('replayer-bottleneck: a replayer that sent late on its own is named with its send lag first', () => {
    const report = healthy();
    report.run.replayer = {
      eventLoopDelayP99Ms: 6.1, eventLoopDelayMaxMs: 14, eventLoopUtilization: 0.81, saturatedShare: 0, sendLagP99Ms: 64.2, sendLagMaxMs: 90.5, bottleneck: true,
    };
    const f = byId(deriveFindings(report), 'replayer-bottleneck')!;
    expect(f.text).toContain('(sheetsim, not the target): own send lag p99 64.2 ms (max 90.5 ms); event loop saturated (≥ 95 % busy) 0 % of the replay');
    expect(f.figures).toMatchObject({ sendLagP99Ms: 64.2, sendLagMaxMs: 90.5 });
  });

  it('slowest scenario: names where its time went from responseParts, else from lateness and service time', () => {
    const report = healthy();
    const [slowest] = Object.entries(report.scenarios).sort(([, a], [, b]) => b.responseTime.p95 - a.responseTime.p95)[0]!;
    const f = byId(deriveFindings(report), 'slowest-scenario')!;
    expect(f.figures.scenario).toBe(slowest);
    expect(f.text).toContain('service time p95');
    report.scenarios[slowest]!.responseParts = {
      sheets: { mean: 30, p50: 25, p95: 60, max: 90 }, waits: { mean: 60, p50: 50, p95: 120, max: 200 }, compute: { mean: 10, p50: 8, p95: 20, max: 30 },
    };
    const g = byId(deriveFindings(report), 'slowest-scenario')!;
    expect(g.text).toContain('mostly waits');
    expect(g.figures).toMatchObject({ sheetsShare: 0.3, waitsShare: 0.6, computeShare: 0.1 });
  });

  it('expect mismatches: counted by scenario and by kind among the examples kept', () => {
    const report = saturated();
    report.expectations.examples = [
      { seq: 1, scenario: 'iniciar', expected: { status: 200 }, actual: { status: 503, action_taken: null } },
      { seq: 2, scenario: 'iniciar', expected: { status: 200 }, actual: { status: 503, action_taken: null } },
      { seq: 3, scenario: 'finalizar_arm_10', expected: { status: 200, action_taken: 'COMPLETAR' }, actual: { status: 200, action_taken: 'PAUSAR' } },
    ];
    const f = byId(deriveFindings(report), 'expect-mismatches')!;
    expect(f.text).toContain(`${fmtInt(report.expectations.mismatches)} of ${fmtInt(report.expectations.checked)} events`);
    expect(f.text).toContain('kinds among the 3 examples kept: 200 → 503 ×2, 200 COMPLETAR → 200 PAUSAR ×1');
    expect(f.figures.topKind).toBe('200 → 503');
    expect(mismatchKind({ seq: 0, scenario: 'x', expected: { status: 200 }, actual: { status: null } })).toBe('200 → error');
  });

  it('failed gates are listed with their values, and "nothing limits this run" is not said next to them', () => {
    const report = healthy();
    report.gates = [
      { id: 'PERF-01', description: 'p95', value: 1234, threshold: 1000, comparator: '<', unit: 'ms', pass: false },
      { id: 'PERF-04', description: 'rows', value: 51, threshold: 900, comparator: '<=', unit: 'rows', pass: true },
    ];
    const findings = deriveFindings(report);
    expect(byId(findings, 'failed-gates')!.text).toBe('1 of 2 PERF gates failed: PERF-01 1.23 s (needs < 1000 ms).');
    expect(byId(findings, 'healthy')).toBeUndefined();
    report.gates[0]!.pass = true;
    expect(byId(deriveFindings(report), 'failed-gates')).toBeUndefined();
  });

  it('every finding has the contract shape, and the same report gives the same findings', () => {
    for (const report of [saturated(), healthy(), deadTarget().report, coldStart(healthy())]) {
      const findings = deriveFindings(report);
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) {
        expect(Object.keys(f).sort()).toEqual(['anchor', 'figures', 'id', 'severity', 'text']);
        expect(f.anchor).toMatch(/^#[a-z-]+$/);
        for (const v of Object.values(f.figures)) expect(['number', 'string']).toContain(typeof v);
      }
      expect(deriveFindings(report)).toEqual(findings);
    }
  });

  it('formats without the locale', () => {
    expect(fmtInt(2020)).toBe('2,020');
    expect(fmtInt(1234567.4)).toBe('1,234,567');
    expect(fmtInt(12)).toBe('12');
    expect(operationOf('finalizar_arm_10')).toBe('FINALIZAR');
  });
});
