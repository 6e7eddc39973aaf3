/**
 * One capacity measurement: the gates a worker count must pass (by default no 429, PERF-01, PERF-02, success
 * ≥ 99 %) judged on a run's Report, and which resource gave out when it failed. Pure: Report in, verdict out.
 */
import { DEFAULT_GATES, type GateConfig, evaluateGates } from '../report/gates.ts';
import type { GateResult, Report } from '../report/model.ts';
import { replayerFigures } from '../report/terminal.ts';

/** Parsed capacity gates (flags of `sheetsim capacity`). */
export interface CapacityGates {
  /** Any Sheets 429 fails the count. */
  no429: boolean;
  /** PERF-01 threshold (p95 of `perf01Scenario`, ms), or null to skip. */
  perf01Ms: number | null;
  /** PERF-02 threshold (p99 of all requests, ms), or null to skip. */
  perf02Ms: number | null;
  /** Lowest share of successful requests, 0..1. */
  minSuccess: number;
  perf01Scenario: string;
}

export const DEFAULT_CAPACITY_GATES: CapacityGates = Object.freeze({
  no429: true,
  perf01Ms: DEFAULT_GATES.gates['PERF-01'].threshold,
  perf02Ms: DEFAULT_GATES.gates['PERF-02'].threshold,
  minSuccess: 0.99,
  perf01Scenario: DEFAULT_GATES.perf01Scenario,
});

/** What runs out: the two per-minute quotas of the service account, response time, or the answers themselves. */
export type Resource = 'write quota' | 'read quota' | 'latency' | 'errors' | 'invalid run';

const READ_METHODS = new Set(['spreadsheets.get', 'values.get', 'values.batchGet']);

/** A worker count's figures and verdict (one row of the curve). */
export interface CapacityPoint {
  workers: number;
  requests: number;
  successRate: number;
  /** Attempted Sheets writes and reads (429'd included), peak of the sliding simulated minute, and the mean. */
  writesPeak: number;
  writesMean: number;
  readsPeak: number;
  readsMean: number;
  /** Admitted writes, peak per minute (what Google counts), when the report has it. */
  writesAdmittedPeak: number | null;
  quotaPerMinute: number;
  status429: number;
  writes429: number;
  reads429: number;
  /** p95 of the PERF-01 scenario and p99 of all requests, ms (null when there were none). */
  perf01P95: number | null;
  p99: number | null;
  pass: boolean;
  /** Failed gates in words, e.g. `12 Sheets 429s (12 on writes)`. */
  failures: string[];
  /** What gave out first at this count (null when it passed). */
  limitedBy: Resource | null;
  /** The run's report folder and outcome digest (exact mode), wall time of the run. */
  dir: string;
  digest: string | null;
  wallMs: number;
}

function gateConfig(g: CapacityGates): GateConfig {
  const off = { enabled: false, threshold: 0 };
  return {
    gates: {
      'PERF-01': g.perf01Ms === null ? off : { enabled: true, threshold: g.perf01Ms },
      'PERF-02': g.perf02Ms === null ? off : { enabled: true, threshold: g.perf02Ms },
      'PERF-03': off, 'PERF-04': off, 'PERF-05': off,
    },
    perf01Scenario: g.perf01Scenario,
  };
}

/** Judge one run against the capacity gates. */
export function judgePoint(report: Report, workers: number, gates: CapacityGates, run: { dir: string; wallMs: number }): CapacityPoint {
  const sh = report.sheets;
  let writes429 = 0;
  let reads429 = 0;
  for (const [method, m] of Object.entries(sh.byMethod)) {
    if (READ_METHODS.has(method)) reads429 += m.status429;
    else writes429 += m.status429;
  }
  const results: GateResult[] = evaluateGates(report, gateConfig(gates));
  const perf01 = results.find((r) => r.id === 'PERF-01');
  const perf02 = results.find((r) => r.id === 'PERF-02');
  const failures: string[] = [];
  const causes: Resource[] = [];
  const validity = (report.run as { validity?: { valid: boolean; reasons: string[] } }).validity;
  if (validity && !validity.valid) {
    failures.push(`invalid run: ${validity.reasons.join('; ')}`);
    causes.push('invalid run');
  }
  if (report.run.partial) {
    failures.push('partial run (interrupted or the target died)');
    causes.push('invalid run');
  }
  // A realtime run (the confirmation) whose replayer was its own bottleneck measured sheetsim's delay with the
  // target's: neither its passing nor its failing gates speak for the target.
  const replayer = report.run.mode === 'realtime' ? report.run.replayer : undefined;
  if (replayer?.bottleneck) {
    failures.push(`the replayer itself was a bottleneck (${replayerFigures(replayer)}), so the run did not measure the target alone: lower --speed`);
    causes.push('invalid run');
  }
  if (gates.no429 && sh.status429 > 0) {
    failures.push(`${sh.status429} Sheets 429s (${writes429} on writes, ${reads429} on reads)`);
    causes.push(writes429 >= reads429 ? 'write quota' : 'read quota');
  }
  for (const r of [perf01, perf02]) {
    if (r && !r.pass) {
      failures.push(`${r.id} ${r.value === null ? r.note ?? 'no value' : `${Math.round(r.value)} ms`} (must be ${r.comparator} ${r.threshold} ms)`);
      causes.push('latency');
    }
  }
  const successRate = report.totals.successRate;
  if (successRate < gates.minSuccess) {
    failures.push(`success ${(successRate * 100).toFixed(1)}% (must be >= ${(gates.minSuccess * 100).toFixed(1)}%)`);
    causes.push('errors');
  }
  return {
    workers,
    requests: report.totals.requests,
    successRate,
    writesPeak: sh.writes.peakPerMinute,
    writesMean: round1(sh.writes.meanPerMinute),
    readsPeak: sh.reads.peakPerMinute,
    readsMean: round1(sh.reads.meanPerMinute),
    writesAdmittedPeak: sh.writesAdmitted?.peakPerMinute ?? null,
    quotaPerMinute: sh.quotaPerMinute,
    status429: sh.status429,
    writes429,
    reads429,
    perf01P95: report.scenarios[gates.perf01Scenario]?.responseTime.count ? report.scenarios[gates.perf01Scenario]!.responseTime.p95 : null,
    p99: report.totals.responseTime.count ? report.totals.responseTime.p99 : null,
    pass: failures.length === 0,
    failures,
    // Quota first: a 429 makes the backend back off, which is what then breaks latency and success.
    limitedBy: causes[0] ?? null,
    dir: run.dir,
    digest: report.digest,
    wallMs: run.wallMs,
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
