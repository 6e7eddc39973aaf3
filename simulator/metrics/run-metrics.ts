/** Everything a run measures, fed event by event and call by call; memory stays flat (histograms, not samples). */
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import type { ExpectMismatch, Report, SheetsReport } from '../report/model.ts';
import type { EventCalls, EventOutcome } from '../outcome/outcome.ts';
import { expectOk } from '../outcome/outcome.ts';
import { ScenarioStats } from './scenario-stats.ts';
import { countBursts, rateWindow } from './sheets-rates.ts';
import { Timeline } from './timeline.ts';

export const QUOTA_PER_MINUTE = 60;
const MAX_EXAMPLES = 20;

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
    let sc = this.scenarios.get(o.event.scenario);
    if (!sc) this.scenarios.set(o.event.scenario, (sc = new ScenarioStats()));
    sc.add(sample);
    this.timeline.addRequest(o.event.t, o.status, o.responseMs);
    this.lastT = Math.max(this.lastT, o.event.t);
    this.lastEndMs = Math.max(this.lastEndMs, o.intendedMs + o.responseMs);
    if (ok !== null) {
      this.checked += 1;
      if (!ok) {
        this.mismatches += 1;
        if (this.examples.length < MAX_EXAMPLES) {
          const ex = o.event.expect!;
          this.examples.push({
            seq: o.event.seq,
            scenario: o.event.scenario,
            expected: { status: ex.status, ...(ex.action_taken !== undefined ? { action_taken: ex.action_taken } : {}) },
            actual: { status: o.status, action_taken: o.action_taken },
          });
        }
      }
    }
  }

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
