/** Builds realistic reports and events.jsonl from seeded synthetic events, for tests that need no real run. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { encodeHistogram, newHistogram, recordMs, summarise } from '../../simulator/metrics/histogram.ts';
import type { Histogram } from '../../simulator/metrics/histogram.ts';
import type { EventRecord, Report, ScenarioReport, StatusClass, TimelinePoint } from '../../simulator/report/model.ts';
import { REPORT_SCHEMA_VERSION } from '../../simulator/report/model.ts';

export interface FixtureOptions {
  seed?: number;
  events?: number;
  /** Multiplies every latency (a regression test uses 1.5). */
  latencyFactor?: number;
  /** Sheets calls a FINALIZAR makes. */
  finalizarCalls?: number;
  /** Sheets writes per event of a write scenario (drives the writes/min peak). */
  writesPerWrite?: number;
  maxAppendRows?: number;
  sheetsAvailable?: boolean;
  mode?: 'realtime' | 'exact';
  traceSha?: string;
  digest?: string | null;
  label?: string | null;
  /** Scenario names override (a test injects markup here). */
  scenarioNames?: string[];
  /** Share of 5xx answers. */
  errorRate?: number;
  /** Sheets 429s the run received (realtime runs with any are not latency-tested by diff). */
  status429?: number;
  /** Noise seed for latencies, independent of the event sequence (A/A pairs share `seed`, differ here). */
  noiseSeed?: number;
  /** Backend compute time per op (ms) written as events.jsonl `computeMs`, with ±20 % noise; absent → no computeMs. */
  computeMs?: Partial<Record<string, number>>;
  /** Multiplies every latency of this run (run-to-run variation of a realtime run). */
  runShift?: number;
  /** Overrides of run.options (latency, quota, backend-profile...). */
  runOptions?: Record<string, string | number | boolean | null>;
  /** Marks the run invalid (run.validity, schema v2). */
  invalid?: string;
  /** The replayer's own health (run.replayer). */
  replayer?: Report['run']['replayer'];
}

const SCENARIOS: { name: string; op: string; weight: number; base: number }[] = [
  { name: 'finalizar_arm_10', op: 'finalizar', weight: 3, base: 420 },
  { name: 'finalizar_sold_5', op: 'finalizar', weight: 2, base: 380 },
  { name: 'finalizar_arm_50', op: 'finalizar', weight: 1, base: 900 },
  { name: 'iniciar', op: 'iniciar', weight: 1, base: 300 },
  { name: 'disponibles_arm', op: 'disponibles', weight: 1, base: 120 },
  { name: 'metricas', op: 'metricas', weight: 1, base: 110 },
];

/** A report and its events, consistent with each other. */
export function buildFixture(options: FixtureOptions = {}): { report: Report; events: EventRecord[] } {
  const o = {
    seed: 42, events: 600, latencyFactor: 1, finalizarCalls: 2, writesPerWrite: 1, maxAppendRows: 21, sheetsAvailable: true,
    mode: 'realtime' as const, traceSha: 'a'.repeat(64), digest: null, label: null, errorRate: 0.01, ...options,
  };
  const rng = seedrandom(String(o.seed));
  const noise = seedrandom(`noise-${o.noiseSeed ?? o.seed}`);
  const scenarios = SCENARIOS.map((s, i) => ({ ...s, name: o.scenarioNames?.[i] ?? s.name }));
  const totalWeight = scenarios.reduce((a, s) => a + s.weight, 0);
  const events: EventRecord[] = [];
  let t = 0;
  for (let seq = 0; seq < o.events; seq++) {
    t += Math.floor(rng() * 400);
    let pick = rng() * totalWeight;
    const sc = scenarios.find((s) => (pick -= s.weight) < 0) ?? scenarios[0]!;
    const conflict = rng() < 0.08;
    const fault = rng() < o.errorRate;
    // log-normal around the scenario base
    const z = Math.sqrt(-2 * Math.log(1 - noise())) * Math.cos(2 * Math.PI * noise());
    const compute = o.computeMs?.[sc.op] !== undefined ? o.computeMs[sc.op]! * (0.8 + 0.4 * noise()) : null;
    const service = sc.base * o.latencyFactor * (o.runShift ?? 1) * Math.exp(0.35 * z) + (compute ?? 0);
    const lateness = noise() * 3;
    const status = fault ? 503 : conflict ? (sc.op === 'finalizar' ? 409 : 404) : 200;
    const write = sc.op === 'finalizar' || sc.op === 'iniciar';
    const calls = !o.sheetsAvailable ? null : sc.op === 'finalizar' ? o.finalizarCalls : write ? 2 : 1;
    const body = JSON.stringify(status === 200 ? { success: true, tag_spool: `OT-${String(seq % 100).padStart(3, '0')}` } : { detail: 'x' });
    events.push({
      seq, scenario: sc.name, op: sc.op, worker: 1 + (seq % 10), t,
      intendedMs: t, startMs: t + lateness, responseMs: round3(service + lateness), serviceMs: round3(service), latenessMs: round3(lateness),
      status, error: null, action_taken: status === 200 && sc.op === 'finalizar' ? 'PAUSAR' : null,
      expectOk: status === 503 ? false : true,
      sheetsCalls: calls,
      sheetsByMethod: calls === null ? null : sc.op === 'finalizar' ? { 'values.batchUpdate': 1, 'values.append': calls - 1 } : write ? { 'values.update': 1, 'values.append': 1 } : { 'values.get': 1 },
      bodyHash: body.length.toString(16).padStart(16, '0'), body,
      ...(compute !== null ? { computeMs: round3(compute) } : {}),
    } as EventRecord);
  }
  return { report: aggregate(events, o), events };
}

/** Writes report.json and events.jsonl into dir (created). */
export function writeFixtureDir(dir: string, options: FixtureOptions = {}): { report: Report; events: EventRecord[] } {
  const f = buildFixture(options);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'report.json'), JSON.stringify(f.report, null, 2) + '\n');
  writeFileSync(join(dir, 'events.jsonl'), f.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return f;
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;
const classOf = (status: number | null): StatusClass => (status === null ? 'error' : (`${Math.floor(status / 100)}xx` as StatusClass));

function aggregate(events: EventRecord[], o: Required<Pick<FixtureOptions, 'mode' | 'traceSha' | 'maxAppendRows' | 'sheetsAvailable' | 'seed' | 'writesPerWrite'>> & FixtureOptions): Report {
  const hist = () => ({ r: newHistogram(), s: newHistogram(), l: newHistogram() });
  const all = hist();
  const per = new Map<string, { h: ReturnType<typeof hist>; ev: EventRecord[]; byClass: Map<StatusClass, Histogram> }>();
  for (const e of events) {
    let p = per.get(e.scenario);
    if (!p) per.set(e.scenario, (p = { h: hist(), ev: [], byClass: new Map() }));
    p.ev.push(e);
    for (const h of [all, p.h]) {
      recordMs(h.r, e.responseMs);
      recordMs(h.s, e.serviceMs);
      recordMs(h.l, e.latenessMs);
    }
    const c = classOf(e.status);
    if (!p.byClass.has(c)) p.byClass.set(c, newHistogram());
    recordMs(p.byClass.get(c)!, e.responseMs);
  }
  const count = (list: EventRecord[], f: (e: EventRecord) => string) => list.reduce<Record<string, number>>((acc, e) => ((acc[f(e)] = (acc[f(e)] ?? 0) + 1), acc), {});
  const scenarios: Record<string, ScenarioReport> = {};
  for (const [name, p] of per) {
    const calls = p.ev.map((e) => e.sheetsCalls ?? 0);
    const byMethod: Record<string, number> = {};
    for (const e of p.ev) for (const [m, n] of Object.entries(e.sheetsByMethod ?? {})) byMethod[m] = (byMethod[m] ?? 0) + n;
    scenarios[name] = {
      count: p.ev.length,
      statuses: count(p.ev, (e) => String(e.status ?? 'error')),
      errors: {},
      successRate: p.ev.filter((e) => e.status !== null && e.status < 300).length / p.ev.length,
      responseTime: summarise(p.h.r), serviceTime: summarise(p.h.s), lateness: summarise(p.h.l),
      byStatusClass: Object.fromEntries([...p.byClass].map(([c, h]) => [c, summarise(h)])),
      histograms: { responseTime: encodeHistogram(p.h.r), serviceTime: encodeHistogram(p.h.s), lateness: encodeHistogram(p.h.l) },
      sheetsCalls: o.sheetsAvailable
        ? { mean: calls.reduce((a, b) => a + b, 0) / calls.length, max: Math.max(...calls), total: calls.reduce((a, b) => a + b, 0), byMethod, maxAppendRows: p.ev[0]!.op === 'finalizar' ? o.maxAppendRows : 1 }
        : null,
      expectMismatches: p.ev.filter((e) => e.expectOk === false).length,
    };
  }
  const lastT = events.at(-1)?.t ?? 0;
  const timeline: TimelinePoint[] = [];
  for (let s = 0; s <= Math.floor(lastT / 1000); s++) timeline.push({ s, requests: 0, errors: 0, p95: 0, statusClasses: {}, sheetsWrites: 0, sheetsReads: 0, status429: 0 });
  const perSecond = new Map<number, number[]>();
  for (const e of events) {
    const p = timeline[Math.floor(e.t / 1000)]!;
    p.requests++;
    const c = classOf(e.status);
    if (c === '5xx' || c === 'error') p.errors++;
    p.statusClasses[c] = (p.statusClasses[c] ?? 0) + 1;
    const w = e.sheetsByMethod ? Object.entries(e.sheetsByMethod).filter(([m]) => m !== 'values.get').reduce((a, [, n]) => a + n, 0) : 0;
    p.sheetsWrites += w * o.writesPerWrite;
    p.sheetsReads += e.sheetsByMethod?.['values.get'] ?? 0;
    (perSecond.get(p.s) ?? perSecond.set(p.s, []).get(p.s)!).push(e.responseMs);
  }
  for (const [s, list] of perSecond) {
    list.sort((a, b) => a - b);
    timeline[s]!.p95 = list[Math.min(list.length - 1, Math.ceil(0.95 * list.length) - 1)]!;
  }
  let peak = 0;
  for (let s = 0; s < timeline.length; s++) {
    let sum = 0;
    for (let k = Math.max(0, s - 59); k <= s; k++) sum += timeline[k]!.sheetsWrites;
    peak = Math.max(peak, sum);
  }
  const totalWrites = timeline.reduce((a, p) => a + p.sheetsWrites, 0);
  const totalReads = timeline.reduce((a, p) => a + p.sheetsReads, 0);
  const minutes = Math.max(lastT / 60000, 1 / 60);
  const ok = events.filter((e) => e.status !== null && e.status < 300).length;
  const memSamples = Array.from({ length: 20 }, (_, i) => ({ s: i * 3, rssMb: 80 + i * 0.8 + (i % 3) }));
  const byMethod: Report['sheets']['byMethod'] = {};
  for (const e of events) for (const [m, n] of Object.entries(e.sheetsByMethod ?? {})) {
    byMethod[m] ??= { count: 0, errors: 0, status429: 0 };
    byMethod[m].count += n;
  }
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    sheetsim: { version: '0.1.0', node: 'v20.19.0', tz: '2025b', icu: '77.1' },
    run: {
      id: `20261126-203000-zeues-seed${o.seed}-${o.mode}`, mode: o.mode, startedAt: '2026-11-26T20:30:00.000Z', wallDurationMs: lastT / 20,
      simulatedDurationMs: lastT, speed: o.mode === 'exact' ? 0 : 20, partial: false, shard: null, label: o.label ?? null,
      target: { kind: 'embedded', url: 'http://127.0.0.1:40001', sheetsUrl: 'http://127.0.0.1:40002', command: null, backendProfile: 'zeues', commit: null },
      options: { seed: o.seed, workers: 10, speed: 20, ...o.runOptions },
      ...(o.invalid ? { validity: { valid: false, reasons: [o.invalid], transportErrors: {}, unreachableFromS: null } } : {}),
      ...(o.replayer ? { replayer: o.replayer } : {}),
    } as Report['run'],
    trace: {
      path: 'traces/zeues-seed42.jsonl', sha256: o.traceSha, events: events.length,
      header: { format: 'sheetsim-trace', version: 1, seed: o.seed, profile: 'zeues', params: { workers: 10, durationMs: 60000, conflicts: 0.05, thinkMinMs: 5000, thinkMaxMs: 15000, startDate: '2026-02-02' }, world: { seed: o.seed, spools: 100, workers: 40, startDate: '2026-02-02' } },
    },
    digest: o.mode === 'exact' ? (o.digest ?? 'd'.repeat(64)) : null,
    workbookDigest: o.mode === 'exact' ? 'w'.repeat(64) : null,
    totals: {
      requests: events.length, ok, failed: events.length - ok, successRate: ok / events.length,
      responseTime: summarise(all.r), serviceTime: summarise(all.s), lateness: summarise(all.l),
      histograms: { responseTime: encodeHistogram(all.r), serviceTime: encodeHistogram(all.s), lateness: encodeHistogram(all.l) },
      statuses: count(events, (e) => String(e.status ?? 'error')), errors: {},
    },
    scenarios,
    sheets: {
      available: o.sheetsAvailable, calls: o.sheetsAvailable ? totalWrites + totalReads : 0, byMethod: o.sheetsAvailable ? byMethod : {},
      reads: { peakPerMinute: o.sheetsAvailable ? totalReads : 0, meanPerMinute: o.sheetsAvailable ? totalReads / minutes : 0, total: o.sheetsAvailable ? totalReads : 0 },
      writes: { peakPerMinute: o.sheetsAvailable ? peak : 0, meanPerMinute: o.sheetsAvailable ? totalWrites / minutes : 0, total: o.sheetsAvailable ? totalWrites : 0 },
      quotaPerMinute: 60, writeUtilisation: o.sheetsAvailable ? peak / 60 : 0, readUtilisation: 0, bursts: 0, status429: o.status429 ?? 0,
      maxAppendRows: o.sheetsAvailable ? o.maxAppendRows : 0,
    },
    expectations: { checked: events.length, mismatches: events.filter((e) => e.expectOk === false).length, examples: [] },
    memory: { target: { baselineMb: 80, peakMb: 97, increaseMb: 17, samples: memSamples }, sheetsim: { baselineMb: 60, peakMb: 70, increaseMb: 10, samples: memSamples.map((m) => ({ ...m, rssMb: m.rssMb - 20 })) } },
    timeline,
    gates: [],
    findings: [],
  };
}
