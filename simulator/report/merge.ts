/**
 * `sheetsim merge`: combine shard reports of one trace into the report a single run would have written.
 * Per-event statistics are rebuilt from each shard's events.jsonl (exact histograms, statuses, Sheets calls
 * per event); Sheets rates come from the shards' per-second timelines added second by second (each shard
 * counted only its own events' calls), so sliding windows and bursts are recomputed on the sum.
 */
import { InputError } from '../errors.ts';
import type { ExpectMismatch, MemoryReport, Report } from './model.ts';
import { REPORT_SCHEMA_VERSION } from './model.ts';
import { readEvents, readReport } from './read.ts';
import { sheetsReportFrom } from '../metrics/run-metrics.ts';
import { ScenarioStats } from '../metrics/scenario-stats.ts';
import { Timeline } from '../metrics/timeline.ts';
import { mergeRunHealth } from '../metrics/merge-health.ts';

export interface MergeInput {
  /** Folder as given (recorded in run.mergedFrom). */
  name: string;
  dir: string;
}

/** Merge shard report folders into one report (EventsSink receives every event line, e.g. to write events.jsonl). */
// The first shard's health fields must not stand for the merged run's (mergeRunHealth fills them).
function withoutHealth(run: Report['run']): Report['run'] {
  const { validity: _v, overload: _o, replayer: _r, ...rest } = run;
  return rest;
}

export async function mergeReports(inputs: MergeInput[], onEvent?: (line: import('./model.ts').EventRecord) => void): Promise<Report> {
  if (inputs.length === 0) throw new InputError('merge needs at least one report folder');
  const reports: Report[] = [];
  for (const input of inputs) reports.push(await readReport(input.dir));
  const first = reports[0]!;
  for (let i = 1; i < reports.length; i++) {
    const r = reports[i]!;
    if (r.trace.sha256 !== first.trace.sha256) {
      throw new InputError(`${inputs[i]!.dir} replayed another trace (sha256 ${r.trace.sha256.slice(0, 12)}, ${inputs[0]!.dir} has ${first.trace.sha256.slice(0, 12)}): only shards of one trace can be merged`);
    }
    if (r.run.mode !== first.run.mode) throw new InputError(`${inputs[i]!.dir} is a ${r.run.mode} run, ${inputs[0]!.dir} a ${first.run.mode} run`);
  }
  checkShards(inputs, reports);

  const total = new ScenarioStats();
  const scenarios = new Map<string, ScenarioStats>();
  const timeline = new Timeline();
  const seen = new Set<number>();
  for (const input of inputs) {
    for await (const e of readEvents(input.dir)) {
      if (seen.has(e.seq)) throw new InputError(`${input.dir}/events.jsonl: event seq ${e.seq} was also replayed by another shard`);
      seen.add(e.seq);
      const calls = e.sheetsCalls === null || e.sheetsByMethod === null ? null : { count: e.sheetsCalls, byMethod: e.sheetsByMethod, maxAppendRows: 0 };
      const parts = { sheetsMs: e.sheetsMs ?? null, waitMs: e.waitMs ?? null, computeMs: e.computeMs ?? null };
      const sample = { responseMs: e.responseMs, serviceMs: e.serviceMs, latenessMs: e.latenessMs, status: e.status, error: e.error, expectOk: e.expectOk, calls, parts };
      total.add(sample);
      let sc = scenarios.get(e.scenario);
      if (!sc) scenarios.set(e.scenario, (sc = new ScenarioStats()));
      sc.add(sample);
      timeline.addRequest(e.t, e.status, e.responseMs);
      onEvent?.(e);
    }
  }
  // events.jsonl does not carry append sizes: take them from the shard reports.
  for (const r of reports) {
    for (const [name, s] of Object.entries(r.scenarios)) {
      const sc = scenarios.get(name);
      if (sc && s.sheetsCalls) sc.maxAppendRows = Math.max(sc.maxAppendRows, s.sheetsCalls.maxAppendRows);
    }
    for (const p of r.timeline) timeline.addSheetsCounts(p.s, p.sheetsWrites, p.sheetsReads, p.status429, p.sheetsWritesAdmitted ?? 0, p.sheetsReadsAdmitted ?? 0);
  }
  const sheetsAvailable = reports.every((r) => r.sheets.available);
  const byMethod: Report['sheets']['byMethod'] = {};
  for (const r of reports) {
    for (const [m, v] of Object.entries(r.sheets.byMethod)) {
      const acc = (byMethod[m] ??= { count: 0, errors: 0, status429: 0 });
      acc.count += v.count;
      acc.errors += v.errors;
      acc.status429 += v.status429;
    }
  }
  const simulatedDurationMs = Math.max(...reports.map((r) => r.run.simulatedDurationMs));
  const sum = (f: (r: Report) => number) => reports.reduce((a, r) => a + f(r), 0);
  const sheets = sheetsReportFrom(
    sheetsAvailable,
    sum((r) => r.sheets.calls),
    byMethod,
    timeline.writesPerSecond(),
    timeline.readsPerSecond(),
    Math.max(simulatedDurationMs, 1),
    sum((r) => r.sheets.status429),
    Math.max(...reports.map((r) => r.sheets.maxAppendRows)),
    reports.every((r) => r.sheets.writesAdmitted !== undefined) ? { writes: timeline.writesAdmittedPerSecond(), reads: timeline.readsAdmittedPerSecond() } : undefined,
  );
  const examples: ExpectMismatch[] = reports.flatMap((r) => r.expectations.examples).sort((a, b) => a.seq - b.seq).slice(0, 20);
  const scenarioReports: Report['scenarios'] = {};
  for (const name of [...scenarios.keys()].sort()) scenarioReports[name] = scenarios.get(name)!.toReport(sheetsAvailable);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    sheetsim: first.sheetsim,
    run: {
      ...withoutHealth(first.run),
      id: `${first.run.id}-merged`,
      wallDurationMs: Math.max(...reports.map((r) => r.run.wallDurationMs)),
      simulatedDurationMs,
      partial: reports.some((r) => r.run.partial),
      shard: null,
      mergedFrom: inputs.map((i) => i.name),
      options: { ...first.run.options, shard: null },
      ...mergeRunHealth(reports.map((report, i) => ({ name: inputs[i]!.name, report }))),
    },
    trace: first.trace,
    digest: null,
    workbookDigest: null,
    totals: total.toTotals(),
    scenarios: scenarioReports,
    sheets,
    expectations: { checked: sum((r) => r.expectations.checked), mismatches: sum((r) => r.expectations.mismatches), examples },
    memory: { target: peakMemory(reports.map((r) => r.memory.target)), sheetsim: peakMemory(reports.map((r) => r.memory.sheetsim))! },
    timeline: timeline.points(),
    gates: [],
    findings: [],
  };
}

// Shards ran on different machines: their memory is not additive; the shard with the highest peak stands for all.
function peakMemory(list: (MemoryReport | null)[]): MemoryReport | null {
  let best: MemoryReport | null = null;
  for (const m of list) if (m && (!best || m.peakMb > best.peakMb)) best = m;
  return best;
}

function checkShards(inputs: MergeInput[], reports: Report[]): void {
  const counts = new Set(reports.map((r) => r.run.shard?.count ?? 0));
  if (counts.size > 1) throw new InputError(`the reports come from different --shard splits (${[...counts].map((c) => `n=${c}`).join(', ')})`);
  const seenIdx = new Map<number, string>();
  reports.forEach((r, i) => {
    if (!r.run.shard) return;
    const prev = seenIdx.get(r.run.shard.index);
    if (prev) throw new InputError(`${inputs[i]!.dir} and ${prev} are both shard ${r.run.shard.index}/${r.run.shard.count}`);
    seenIdx.set(r.run.shard.index, inputs[i]!.dir);
  });
}
