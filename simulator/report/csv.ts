/** The CSV files of a report: metrics.csv (the original suite's rows), scenarios.csv and timeline.csv. */
import { stringify } from 'csv-stringify/sync';
import type { GateResult, Report } from './model.ts';

const r3 = (n: number): number => Math.round(n * 1000) / 1000;
const r2 = (n: number): number => Math.round(n * 100) / 100;

function verdict(gate: GateResult | undefined, value: number | null): string {
  if (!gate || value === null) return '';
  const pass = gate.comparator === '<' ? value < gate.threshold : value <= gate.threshold;
  return pass ? 'PASS' : 'FAIL';
}

/** metrics.csv: `metric,value,unit,status`, status PASS/FAIL where a PERF gate judges the row. */
export function metricsCsv(report: Report): string {
  const gate = (id: string) => report.gates.find((g) => g.id === id);
  const t = report.totals.responseTime;
  const mem = report.memory.target ?? report.memory.sheetsim;
  const sheets = report.sheets.available;
  const finalizarMax = Object.entries(report.scenarios)
    .filter(([name, s]) => name.startsWith('finalizar') && s.sheetsCalls)
    .reduce<number | null>((m, [, s]) => Math.max(m ?? 0, s.sheetsCalls!.max), null);
  const rows: (string | number)[][] = [
    ['latency_avg', r3(t.mean), 'ms', ''],
    ['latency_p50', r3(t.p50), 'ms', ''],
    // The original suite judged the p95 of all requests against PERF-01's threshold; the gate itself uses one scenario.
    ['latency_p95', r3(t.p95), 'ms', verdict(gate('PERF-01'), t.p95)],
    ['latency_p99', r3(t.p99), 'ms', verdict(gate('PERF-02'), t.p99)],
    ['latency_max', r3(t.max), 'ms', ''],
    ['writes_per_minute', sheets ? r2(report.sheets.writes.peakPerMinute) : '', 'writes/min', verdict(gate('PERF-05'), sheets ? report.sheets.writes.peakPerMinute : null)],
    ['quota_utilization', sheets ? r2(report.sheets.writeUtilisation * 100) : '', 'percent', ''],
    ['memory_baseline', r2(mem.baselineMb), 'MB', ''],
    ['memory_peak', r2(mem.peakMb), 'MB', ''],
    ['memory_increase', r2(mem.increaseMb), 'MB', ''],
    ['total_requests', report.totals.requests, 'count', ''],
    ['success_rate', r2(report.totals.successRate * 100), 'percent', ''],
    ['test_duration', r3(report.run.wallDurationMs / 1000), 'seconds', ''],
    ['simulated_duration', r3(report.run.simulatedDurationMs / 1000), 'seconds', ''],
    ['sheets_calls_per_finalizar', finalizarMax ?? '', 'calls', verdict(gate('PERF-03'), finalizarMax)],
    ['max_append_rows', sheets ? report.sheets.maxAppendRows : '', 'rows', verdict(gate('PERF-04'), sheets ? report.sheets.maxAppendRows : null)],
    ['sheets_status_429', sheets ? report.sheets.status429 : '', 'count', ''],
    ['expect_mismatches', report.expectations.mismatches, 'count', ''],
  ];
  const g1 = gate('PERF-01');
  if (g1) rows.splice(3, 0, [`latency_p95_perf01_scenario`, g1.value === null ? '' : r3(g1.value), 'ms', g1.value === null ? 'FAIL' : g1.pass ? 'PASS' : 'FAIL']);
  return stringify(rows, { header: true, columns: ['metric', 'value', 'unit', 'status'] });
}

export const SCENARIO_COLUMNS = [
  'scenario', 'count', 'success_rate', 'mean_ms', 'p50_ms', 'p95_ms', 'p99_ms', 'max_ms', 'service_p95_ms', 'lateness_p95_ms',
  'status_2xx', 'status_4xx', 'status_5xx', 'transport_errors', 'http_429', 'sheets_calls_mean', 'sheets_calls_max',
  'sheets_calls_total', 'max_append_rows', 'expect_mismatches',
] as const;

/** scenarios.csv: one row per scenario. */
export function scenariosCsv(report: Report): string {
  const rows = Object.entries(report.scenarios).map(([name, s]) => {
    const byClass = (c: string) => Object.entries(s.statuses).filter(([k]) => k.startsWith(c)).reduce((a, [, n]) => a + n, 0);
    const sc = s.sheetsCalls;
    return [
      name, s.count, r3(s.successRate), r3(s.responseTime.mean), r3(s.responseTime.p50), r3(s.responseTime.p95), r3(s.responseTime.p99),
      r3(s.responseTime.max), r3(s.serviceTime.p95), r3(s.lateness.p95), byClass('2'), byClass('4'), byClass('5'),
      s.statuses.error ?? Object.values(s.errors).reduce((a, n) => a + n, 0),
      s.statuses['429'] ?? 0, sc ? r3(sc.mean) : '', sc ? sc.max : '', sc ? sc.total : '', sc ? sc.maxAppendRows : '', s.expectMismatches,
    ];
  });
  return stringify(rows, { header: true, columns: [...SCENARIO_COLUMNS] });
}

export const TIMELINE_COLUMNS = [
  's', 'requests', 'errors', 'p95_ms', 'status_2xx', 'status_3xx', 'status_4xx', 'status_5xx', 'status_error', 'sheets_writes', 'sheets_reads', 'status_429',
] as const;

/** timeline.csv: one row per simulated second. */
export function timelineCsv(report: Report): string {
  const rows = report.timeline.map((p) => [
    p.s, p.requests, p.errors, r3(p.p95), p.statusClasses['2xx'] ?? 0, p.statusClasses['3xx'] ?? 0, p.statusClasses['4xx'] ?? 0,
    p.statusClasses['5xx'] ?? 0, p.statusClasses.error ?? 0, p.sheetsWrites, p.sheetsReads, p.status429,
  ]);
  return stringify(rows, { header: true, columns: [...TIMELINE_COLUMNS] });
}
