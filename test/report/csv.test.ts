import { describe, expect, it } from 'vitest';
import { metricsCsv, scenariosCsv, SCENARIO_COLUMNS, timelineCsv, TIMELINE_COLUMNS } from '../../simulator/report/csv.ts';
import { DEFAULT_GATES, evaluateGates } from '../../simulator/report/gates.ts';
import { buildFixture } from './fixture.ts';

const rows = (text: string): string[][] => text.trimEnd().split('\n').map((l) => l.split(','));

describe('CSV files', () => {
  const { report } = buildFixture();
  report.gates = evaluateGates(report, DEFAULT_GATES);

  it('metrics.csv has the original suite rows with metric,value,unit,status', () => {
    const r = rows(metricsCsv(report));
    expect(r[0]).toEqual(['metric', 'value', 'unit', 'status']);
    const metrics = r.slice(1).map((x) => x[0]);
    for (const m of ['latency_avg', 'latency_p50', 'latency_p95', 'latency_p99', 'latency_max', 'writes_per_minute', 'quota_utilization', 'memory_baseline', 'memory_peak', 'memory_increase', 'total_requests', 'success_rate', 'test_duration', 'sheets_calls_per_finalizar', 'max_append_rows']) {
      expect(metrics).toContain(m);
    }
    const get = (m: string) => r.find((x) => x[0] === m)!;
    expect(get('latency_p95')[3]).toBe(report.totals.responseTime.p95 < 1000 ? 'PASS' : 'FAIL');
    expect(get('writes_per_minute')).toEqual(['writes_per_minute', String(report.sheets.writes.peakPerMinute), 'writes/min', 'FAIL']);
    expect(get('sheets_calls_per_finalizar')).toEqual(['sheets_calls_per_finalizar', '2', 'calls', 'PASS']);
    expect(get('total_requests')).toEqual(['total_requests', String(report.totals.requests), 'count', '']);
    expect(r.every((x) => x.length === 4)).toBe(true);
  });

  it('without gates the status column stays empty', () => {
    const r = rows(metricsCsv({ ...report, gates: [] }));
    expect(r.slice(1).every((x) => x[3] === '')).toBe(true);
  });

  it('scenarios.csv has one row per scenario with the documented columns', () => {
    const r = rows(scenariosCsv(report));
    expect(r[0]).toEqual([...SCENARIO_COLUMNS]);
    expect(r.slice(1).map((x) => x[0]).sort()).toEqual(Object.keys(report.scenarios).sort());
    const arm = r.find((x) => x[0] === 'finalizar_arm_10')!;
    expect(Number(arm[1])).toBe(report.scenarios.finalizar_arm_10!.count);
    expect(Number(arm[SCENARIO_COLUMNS.indexOf('p95_ms')])).toBeCloseTo(report.scenarios.finalizar_arm_10!.responseTime.p95, 3);
  });

  it('timeline.csv has one row per simulated second', () => {
    const r = rows(timelineCsv(report));
    expect(r[0]).toEqual([...TIMELINE_COLUMNS]);
    expect(r.length - 1).toBe(report.timeline.length);
    expect(r.slice(1).reduce((a, x) => a + Number(x[1]), 0)).toBe(report.totals.requests);
  });

  it('quotes a scenario name with a comma', () => {
    const { report: odd } = buildFixture({ events: 30, scenarioNames: ['arm, 10'] });
    expect(scenariosCsv(odd)).toContain('"arm, 10"');
  });
});
