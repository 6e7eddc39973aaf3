/** Everything a run measures, fed event by event and call by call; memory stays flat (histograms, not samples). */
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import type { ExpectMismatch, Report, SheetsReport } from '../report/model.ts';
import type { EventCalls, EventOutcome } from '../outcome/outcome.ts';
import { expectOk } from '../outcome/outcome.ts';
import { ScenarioStats, type ScenarioStatsWire } from './scenario-stats.ts';
import { countBursts, rateWindow } from './sheets-rates.ts';
import { type SecondWire, Timeline } from './timeline.ts';

export const QUOTA_PER_MINUTE = 60;
const MAX_EXAMPLES = 20;

/** What the live progress line shows of a run so far. */
export interface LiveFigures {
  done: number;
  p95Ms: number;
  errors: number;
  status429: number;
  /** With --threads: the busiest replay thread's event loop over its latest quarter second (0–1). */
  busy?: number;
  /** With --threads: the highest share of a replay thread's sends in its latest quarter second that were late by the bound (0–1). */
  late?: number;
}

/** The counters of a RunMetrics (besides its stats and timeline). */
interface RunCounts {
  sheetsByMethod: Record<string, { count: number; errors: number; status429: number }>;
  sheetsCalls: number;
  unattributedCalls: number;
  status429: number;
  maxAppendRows: number;
  checked: number;
  mismatches: number;
  examples: ExpectMismatch[];
  lastT: number;
  lastEndMs: number;
}

/** A RunMetrics as plain data (structured-clone safe): what a replay thread sends at its end. */
export interface RunMetricsWire {
  total: ScenarioStatsWire;
  scenarios: [string, ScenarioStatsWire][];
  timeline: SecondWire[];
  counts: RunCounts;
}

/** Accumulates a run's metrics. */
export class RunMetrics {
  readonly total = new ScenarioStats();
  readonly scenarios = new Map<string, ScenarioStats>();
  readonly timeline = new Timeline();
  private sheetsByMethod: Record<string, { count: number; errors: number; status429: number }> = {};
  private sheetsCalls = 0;
  private unattributedCalls = 0;
  private status429 = 0;
  private maxAppendRows = 0;
  private checked = 0;
  private mismatches = 0;
  private examples: ExpectMismatch[] = [];
  /** Last trace time seen. */
  lastT = 0;
  /** Latest end of a response (intended start + response time), simulated ms since trace t = 0. */
  lastEndMs = 0;

  /** Record a finished event and the Sheets calls attributed to it (null when unknown). */
  addEvent(o: EventOutcome, calls: EventCalls | null): void {
    const ok = expectOk(o);
    const parts = { sheetsMs: o.sheetsMs ?? null, waitMs: o.waitMs ?? null, computeMs: o.computeMs ?? null };
    const sample = { responseMs: o.responseMs, serviceMs: o.serviceMs, latenessMs: o.latenessMs, status: o.status, error: o.error, expectOk: ok, calls, parts };
    this.total.add(sample);
    this.scenarioStats(o.event.scenario).add(sample);
    this.timeline.addRequest(o.event.t, o.status, o.responseMs);
    this.lastT = Math.max(this.lastT, o.event.t);
    this.lastEndMs = Math.max(this.lastEndMs, o.intendedMs + o.responseMs);
    if (ok !== null) {
      this.checked += 1;
      if (!ok) {
        this.mismatches += 1;
        const ex = o.event.expect!;
        this.addExample({
          seq: o.event.seq,
          scenario: o.event.scenario,
          expected: { status: ex.status, ...(ex.action_taken !== undefined ? { action_taken: ex.action_taken } : {}) },
          actual: { status: o.status, action_taken: o.action_taken },
        });
      }
    }
  }

  // The MAX_EXAMPLES first mismatches in trace order (lowest seq), whatever order the answers came in: the same
  // examples whether one thread or several replayed the run (merged). Few mismatches are expected: a sorted insert.
  private addExample(m: ExpectMismatch): void {
    const ex = this.examples;
    if (ex.length >= MAX_EXAMPLES && m.seq >= ex[ex.length - 1]!.seq) return;
    let i = ex.length;
    while (i > 0 && ex[i - 1]!.seq > m.seq) i -= 1;
    ex.splice(i, 0, m);
    if (ex.length > MAX_EXAMPLES) ex.pop();
  }

  /** Plain data for postMessage, for `mergeWire`. */
  toWire(): RunMetricsWire {
    return {
      total: this.total.toWire(),
      scenarios: [...this.scenarios].map(([name, sc]) => [name, sc.toWire()]),
      timeline: this.timeline.toWire(),
      counts: this.counts(),
    };
  }

  /**
   * Add the metrics a `toWire` describes, as if its events and calls had been recorded here (a threaded run's
   * threads, each with its own RunMetrics): histograms merged exactly, counters summed, the timeline second by second.
   */
  mergeWire(w: RunMetricsWire): void {
    this.total.mergeWire(w.total);
    for (const [name, sc] of w.scenarios) this.scenarioStats(name).mergeWire(sc);
    this.timeline.mergeWire(w.timeline);
    this.mergeCounts(w.counts);
  }

  private scenarioStats(name: string): ScenarioStats {
    let sc = this.scenarios.get(name);
    if (!sc) this.scenarios.set(name, (sc = new ScenarioStats()));
    return sc;
  }

  private counts(): RunCounts {
    return {
      sheetsByMethod: this.sheetsByMethod, sheetsCalls: this.sheetsCalls, unattributedCalls: this.unattributedCalls, status429: this.status429,
      maxAppendRows: this.maxAppendRows, checked: this.checked, mismatches: this.mismatches, examples: this.examples, lastT: this.lastT, lastEndMs: this.lastEndMs,
    };
  }

  private mergeCounts(o: RunCounts): void {
    for (const [method, m] of Object.entries(o.sheetsByMethod)) {
      const into = (this.sheetsByMethod[method] ??= { count: 0, errors: 0, status429: 0 });
      into.count += m.count;
      into.errors += m.errors;
      into.status429 += m.status429;
    }
    this.sheetsCalls += o.sheetsCalls;
    this.unattributedCalls += o.unattributedCalls;
    this.status429 += o.status429;
    this.maxAppendRows = Math.max(this.maxAppendRows, o.maxAppendRows);
    this.checked += o.checked;
    this.mismatches += o.mismatches;
    for (const m of o.examples) this.addExample(m);
    this.lastT = Math.max(this.lastT, o.lastT);
    this.lastEndMs = Math.max(this.lastEndMs, o.lastEndMs);
  }

  /**
   * The progress line's figures: this run's own, or, while a threaded run goes on (its events are recorded by its
   * threads and merged here at the end), what `liveFrom` gives.
   */
  live(): LiveFigures {
    if (this.liveFrom) return this.liveFrom();
    return { done: this.total.count, p95Ms: this.total.response.getValueAtPercentile(95) / 1000, errors: this.errorCount, status429: this.status429 };
  }

  /** Where `live()` reads from until set back to null (see `live`). */
  liveFrom: (() => LiveFigures) | null = null;

  /** 429s answered by the mock so far. */
  get status429Count(): number {
    return this.status429;
  }

  /** Transport errors and 5xx so far. */
  get errorCount(): number {
    let n = 0;
    for (const [k, v] of Object.entries(this.total.statuses)) if (k === 'error' || k.startsWith('5')) n += v;
    return n;
  }

  /** Record one Sheets call the run caused, at `simMs` ms of simulated time since the trace start. */
  addCall(call: CallRecord, simMs: number): void {
    this.sheetsCalls += 1;
    const m = (this.sheetsByMethod[call.method] ??= { count: 0, errors: 0, status429: 0 });
    m.count += 1;
    if (call.status >= 400) m.errors += 1;
    if (call.status === 429) {
      m.status429 += 1;
      this.status429 += 1;
    }
    if (call.method === 'values.append') this.maxAppendRows = Math.max(this.maxAppendRows, call.rows);
    this.timeline.addCall(simMs, call.kind, call.status);
  }

  /** One of the run's calls (already counted by addCall) that no event could be attributed. */
  addUnattributedCall(): void {
    this.unattributedCalls += 1;
  }

  /** The Sheets section (zeros and available=false when the call log could not be read). */
  sheetsReport(available: boolean, simulatedMs: number): SheetsReport {
    const writes = this.timeline.writesPerSecond();
    const reads = this.timeline.readsPerSecond();
    const report = sheetsReportFrom(available, this.sheetsCalls, this.sheetsByMethod, writes, reads, simulatedMs, this.status429, this.maxAppendRows, {
      writes: this.timeline.writesAdmittedPerSecond(),
      reads: this.timeline.readsAdmittedPerSecond(),
    });
    return available ? { ...report, unattributedCalls: this.unattributedCalls } : report;
  }

  /** The metric sections of the report. */
  sections(sheetsAvailable: boolean, simulatedMs: number): Pick<Report, 'totals' | 'scenarios' | 'sheets' | 'expectations' | 'timeline'> {
    const scenarios: Report['scenarios'] = {};
    for (const name of [...this.scenarios.keys()].sort()) scenarios[name] = this.scenarios.get(name)!.toReport(sheetsAvailable);
    return {
      totals: this.total.toTotals(),
      scenarios,
      sheets: this.sheetsReport(sheetsAvailable, simulatedMs),
      expectations: { checked: this.checked, mismatches: this.mismatches, examples: this.examples },
      timeline: this.timeline.points(),
    };
  }
}

/** Build the Sheets section from counts (shared with `sheetsim merge`). */
export function sheetsReportFrom(
  available: boolean,
  calls: number,
  byMethod: SheetsReport['byMethod'],
  writesPerSecond: number[],
  readsPerSecond: number[],
  simulatedMs: number,
  status429: number,
  maxAppendRows: number,
  /** Admitted (2xx) calls per second; omitted: the admitted windows are left out (a merge of v1 reports). */
  admitted?: { writes: number[]; reads: number[] },
): SheetsReport {
  const writes = rateWindow(writesPerSecond, simulatedMs);
  const reads = rateWindow(readsPerSecond, simulatedMs);
  const both = writesPerSecond.map((w, i) => w + (readsPerSecond[i] ?? 0));
  const sortedByMethod: SheetsReport['byMethod'] = {};
  for (const k of Object.keys(byMethod).sort()) sortedByMethod[k] = { ...byMethod[k]! };
  return {
    available,
    calls,
    byMethod: sortedByMethod,
    reads,
    writes,
    ...(admitted ? { writesAdmitted: rateWindow(admitted.writes, simulatedMs), readsAdmitted: rateWindow(admitted.reads, simulatedMs) } : {}),
    quotaPerMinute: QUOTA_PER_MINUTE,
    writeUtilisation: Math.round((writes.peakPerMinute / QUOTA_PER_MINUTE) * 1000) / 1000,
    readUtilisation: Math.round((reads.peakPerMinute / QUOTA_PER_MINUTE) * 1000) / 1000,
    bursts: countBursts(both),
    status429,
    maxAppendRows,
  };
}
