/** Per-scenario (and overall) accumulators: histograms, statuses, errors, Sheets calls. Mergeable exactly (`merge`, `toWire`). */
import type { LatencySummary, PartSummary, ResponseParts, ScenarioReport, SheetsCallsPerOperation, StatusClass, Report } from '../report/model.ts';
import { type Histogram, encodeHistogram, newHistogram, recordMs, summarise } from './histogram.ts';
import { type HistogramWire, addWire, histogramToWire } from './histogram-wire.ts';
import { statusClass } from './status-class.ts';

/** What one event contributes to the statistics. */
export interface Sample {
  responseMs: number;
  serviceMs: number;
  latenessMs: number;
  status: number | null;
  error: string | null;
  /** null = not checked (no expect). */
  expectOk: boolean | null;
  /** Sheets calls attributed to the event; null when unknown. */
  calls: { count: number; byMethod: Record<string, number>; maxAppendRows: number } | null;
  /** Parts of the service time (ms), null where unknown. */
  parts?: { sheetsMs: number | null; waitMs: number | null; computeMs: number | null };
}

/** Accumulates the samples of one scenario (or of all of them). */
export class ScenarioStats {
  count = 0;
  ok = 0;
  statuses: Record<string, number> = {};
  errors: Record<string, number> = {};
  response: Histogram = newHistogram();
  service: Histogram = newHistogram();
  lateness: Histogram = newHistogram();
  byClass = new Map<StatusClass, Histogram>();
  expectMismatches = 0;
  /** Events whose Sheets calls are known, and their totals. */
  callsEvents = 0;
  callsTotal = 0;
  callsMax = 0;
  callsByMethod: Record<string, number> = {};
  maxAppendRows = 0;
  /** Events whose Sheets calls could not be attributed (overlapping events, a backend that forwards no traceparent). */
  callsUnknown = 0;
  /** Parts of the service time, over the events where each is known. */
  partSheets: Histogram = newHistogram();
  partWaits: Histogram = newHistogram();
  partCompute: Histogram = newHistogram();

  /** Add one event. */
  add(s: Sample): void {
    this.count += 1;
    const key = s.status === null ? 'error' : String(s.status);
    this.statuses[key] = (this.statuses[key] ?? 0) + 1;
    if (s.error) this.errors[s.error] = (this.errors[s.error] ?? 0) + 1;
    if (s.status !== null && s.status >= 200 && s.status < 300) this.ok += 1;
    recordMs(this.response, s.responseMs);
    // An event never sent has no service time; its response time and lateness are lower bounds (until the deadline).
    if (s.error !== 'NOT_SENT') recordMs(this.service, s.serviceMs);
    recordMs(this.lateness, s.latenessMs);
    recordMs(this.classHistogram(statusClass(s.status)), s.responseMs);
    if (s.expectOk === false) this.expectMismatches += 1;
    if (s.parts) {
      if (s.parts.sheetsMs !== null) recordMs(this.partSheets, s.parts.sheetsMs);
      if (s.parts.waitMs !== null) recordMs(this.partWaits, s.parts.waitMs);
      if (s.parts.computeMs !== null) recordMs(this.partCompute, s.parts.computeMs);
    }
    if (s.calls) {
      this.callsEvents += 1;
      this.callsTotal += s.calls.count;
      this.callsMax = Math.max(this.callsMax, s.calls.count);
      for (const [m, n] of Object.entries(s.calls.byMethod)) this.callsByMethod[m] = (this.callsByMethod[m] ?? 0) + n;
      this.maxAppendRows = Math.max(this.maxAppendRows, s.calls.maxAppendRows);
    } else {
      this.callsUnknown += 1;
    }
  }

  /** Plain data for postMessage (a replay thread's share); `mergeWire` of it is exact. */
  toWire(): ScenarioStatsWire {
    const counts: ScenarioCounts = {
      count: this.count, ok: this.ok, statuses: this.statuses, errors: this.errors, expectMismatches: this.expectMismatches,
      callsEvents: this.callsEvents, callsTotal: this.callsTotal, callsMax: this.callsMax, callsByMethod: this.callsByMethod,
      maxAppendRows: this.maxAppendRows, callsUnknown: this.callsUnknown,
    };
    return {
      counts,
      response: histogramToWire(this.response),
      service: histogramToWire(this.service),
      lateness: histogramToWire(this.lateness),
      partSheets: histogramToWire(this.partSheets),
      partWaits: histogramToWire(this.partWaits),
      partCompute: histogramToWire(this.partCompute),
      byClass: [...this.byClass].map(([cls, h]) => [cls, histogramToWire(h)]),
    };
  }

  /** Add the samples a `toWire` describes, as if they had been added here: counts summed, histograms merged exactly. */
  mergeWire(w: ScenarioStatsWire): void {
    this.mergeCounts(w.counts);
    addWire(this.response, w.response);
    addWire(this.service, w.service);
    addWire(this.lateness, w.lateness);
    addWire(this.partSheets, w.partSheets);
    addWire(this.partWaits, w.partWaits);
    addWire(this.partCompute, w.partCompute);
    for (const [cls, h] of w.byClass) addWire(this.classHistogram(cls), h);
  }

  private classHistogram(cls: StatusClass): Histogram {
    let h = this.byClass.get(cls);
    if (!h) this.byClass.set(cls, (h = newHistogram()));
    return h;
  }

  private mergeCounts(o: ScenarioCounts): void {
    this.count += o.count;
    this.ok += o.ok;
    addCounts(this.statuses, o.statuses);
    addCounts(this.errors, o.errors);
    this.expectMismatches += o.expectMismatches;
    this.callsEvents += o.callsEvents;
    this.callsTotal += o.callsTotal;
    this.callsMax = Math.max(this.callsMax, o.callsMax);
    addCounts(this.callsByMethod, o.callsByMethod);
    this.maxAppendRows = Math.max(this.maxAppendRows, o.maxAppendRows);
    this.callsUnknown += o.callsUnknown;
  }

  /**
   * The report section; `sheetsAvailable` false gives `sheetsCalls: null`, and so does a scenario none of whose events
   * could be attributed (its calls per operation are unknown, not 0). `sheetsUnattributed` says how many were not.
   */
  toReport(sheetsAvailable: boolean): ScenarioReport {
    const byStatusClass: Partial<Record<StatusClass, LatencySummary>> = {};
    for (const cls of [...this.byClass.keys()].sort()) byStatusClass[cls] = summarise(this.byClass.get(cls)!);
    return {
      count: this.count,
      statuses: sortRecord(this.statuses),
      errors: sortRecord(this.errors),
      successRate: this.count === 0 ? 0 : round4(this.ok / this.count),
      responseTime: summarise(this.response),
      serviceTime: summarise(this.service),
      lateness: summarise(this.lateness),
      byStatusClass,
      histograms: {
        responseTime: encodeHistogram(this.response),
        serviceTime: encodeHistogram(this.service),
        lateness: encodeHistogram(this.lateness),
      },
      sheetsCalls: sheetsAvailable && (this.callsEvents > 0 || this.count === 0) ? this.sheetsCalls() : null,
      ...(sheetsAvailable ? { sheetsUnattributed: this.callsUnknown } : {}),
      expectMismatches: this.expectMismatches,
      responseParts: this.responseParts(),
    };
  }

  /** The parts of the service time; null when no event's Sheets time is known. */
  responseParts(): ResponseParts | null {
    if (this.partSheets.totalCount === 0) return null;
    return { sheets: part(this.partSheets), waits: part(this.partWaits), compute: part(this.partCompute) };
  }

  /** The report's `totals`, when these stats hold every event of the run. */
  toTotals(): Report['totals'] {
    const r = this.toReport(false);
    return {
      requests: this.count,
      ok: this.ok,
      failed: this.count - this.ok,
      successRate: r.successRate,
      responseTime: r.responseTime,
      serviceTime: r.serviceTime,
      lateness: r.lateness,
      histograms: r.histograms,
      statuses: r.statuses,
      errors: r.errors,
    };
  }

  private sheetsCalls(): SheetsCallsPerOperation {
    return {
      mean: this.callsEvents === 0 ? 0 : round4(this.callsTotal / this.callsEvents),
      max: this.callsMax,
      total: this.callsTotal,
      byMethod: sortRecord(this.callsByMethod),
      maxAppendRows: this.maxAppendRows,
    };
  }
}

/** The counters of a ScenarioStats. */
type ScenarioCounts = Pick<
  ScenarioStats,
  'count' | 'ok' | 'statuses' | 'errors' | 'expectMismatches' | 'callsEvents' | 'callsTotal' | 'callsMax' | 'callsByMethod' | 'maxAppendRows' | 'callsUnknown'
>;

/** A ScenarioStats as plain data. */
export interface ScenarioStatsWire {
  counts: ScenarioCounts;
  response: HistogramWire;
  service: HistogramWire;
  lateness: HistogramWire;
  partSheets: HistogramWire;
  partWaits: HistogramWire;
  partCompute: HistogramWire;
  byClass: [StatusClass, HistogramWire][];
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

const round4 = (n: number): number => Math.round(n * 10_000) / 10_000;

function part(h: Histogram): PartSummary {
  const s = summarise(h);
  return { mean: s.mean, p50: s.p50, p95: s.p95, max: s.max };
}

/** A copy of a count record with sorted keys (stable report.json). */
export function sortRecord(r: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k]!;
  return out;
}
