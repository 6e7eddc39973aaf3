/** Assembles the Report model from the run's parts (the one place every field of report.json is filled). */
import { REPORT_SCHEMA_VERSION, type MemoryReport, type Report, type RunInfo } from '../report/model.ts';
import { currentRuntime } from '../runtime-versions.ts';
import type { TraceHeader } from '../trace/types.ts';
import type { RunMetrics } from './run-metrics.ts';

export interface ReportParts {
  version: string;
  run: RunInfo;
  trace: { path: string; sha256: string; events: number; header: TraceHeader };
  metrics: RunMetrics;
  sheetsAvailable: boolean;
  digest: string | null;
  workbookDigest: string | null;
  memory: { target: MemoryReport | null; sheetsim: MemoryReport };
}

/** Build the report (gates empty: the caller evaluates them on the result). */
export function buildReport(p: ReportParts): Report {
  const sections = p.metrics.sections(p.sheetsAvailable, Math.max(p.run.simulatedDurationMs, 1));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    sheetsim: { version: p.version, ...currentRuntime() },
    run: p.run,
    trace: p.trace,
    digest: p.digest,
    workbookDigest: p.workbookDigest,
    totals: sections.totals,
    scenarios: sections.scenarios,
    sheets: sections.sheets,
    expectations: sections.expectations,
    memory: p.memory,
    timeline: sections.timeline,
    gates: [],
    findings: [],
  };
}
