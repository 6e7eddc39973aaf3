/** The diff as titled tables of plain strings, so the terminal, Markdown and HTML renderers show the same facts. */
import { fmt, fmtMs } from './compare.ts';
import type { DiffResult, LatencyDiff } from './model.ts';

export interface Table {
  title: string;
  headers: string[];
  rows: string[][];
  note?: string;
}

const pct = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : x > 0 ? '+∞' : '−∞');
const arrow = (b: number, h: number): string => (b === h ? `${b}` : `${b} → ${h}`);

/** One line: the verdict and the counts of findings. */
export function summaryLine(r: DiffResult): string {
  const n = (k: string) => r.findings.filter((f) => f.kind === k).length;
  const name = (s: DiffResult['base']) => s.label ?? s.backendProfile ?? s.runId;
  const verdict = r.verdict === 'regression' ? 'REGRESSION' : r.findings.length === 0 ? 'no difference' : 'no regression';
  return `sheetsim diff ${name(r.base)} → ${name(r.head)}: ${verdict} (${n('regression')} regressions, ${n('improvement')} improvements, ${n('change')} other changes; ${r.paired} paired events of trace ${r.trace.sha256.slice(0, 12)})`;
}

/** The statistical method, stated with its level. */
export function methodLine(r: DiffResult): string {
  const m = r.method;
  return `Latency test: ${m.test}; family-wise α = ${m.alpha} over ${m.comparisons} scenarios (α = ${m.alphaPerComparison.toPrecision(2)} each), ${m.resamples} resamples, seed ${m.seed}; a change is significant when its interval excludes 0 and it is at least ${(m.minEffect * 100).toFixed(0)}%; "~" = not significant. Regression limit for p95: +${(m.maxRegression * 100).toFixed(0)}%.`;
}

function latencyCells(l: LatencyDiff | null): string[] {
  if (!l) return ['', '', '', '', '', '', '', 'not paired'];
  const sig = (x: number) => (l.significant ? pct(x) : '~');
  return [
    String(l.n), `${fmtMs(l.base.p50)} → ${fmtMs(l.head.p50)}`, `${fmtMs(l.base.p95)} → ${fmtMs(l.head.p95)}`, `${fmtMs(l.base.p99)} → ${fmtMs(l.head.p99)}`,
    pct(l.change.p95), sig(l.change.p95), l.ci ? `[${pct(l.ci.low)}, ${pct(l.ci.high)}]` : '', l.note ?? '',
  ];
}

/** Every table of the diff, exact facts first. */
export function diffTables(r: DiffResult): Table[] {
  const tables: Table[] = [];
  const facts: string[][] = [
    ['runs', `${r.base.runId} (${r.base.mode})`, `${r.head.runId} (${r.head.mode})`],
    ['backend', `${r.base.backendProfile ?? '—'}${r.base.commit ? ` @ ${r.base.commit.slice(0, 10)}` : ''}`, `${r.head.backendProfile ?? '—'}${r.head.commit ? ` @ ${r.head.commit.slice(0, 10)}` : ''}`],
    ['outcome digest', r.base.digest?.slice(0, 16) ?? '— (realtime)', `${r.head.digest?.slice(0, 16) ?? '— (realtime)'}${r.digestSame === null ? '' : r.digestSame ? '  (same)' : '  (CHANGED)'}`],
    ['final workbook', r.base.workbookDigest?.slice(0, 16) ?? '—', `${r.head.workbookDigest?.slice(0, 16) ?? '—'}${r.workbookSame === null ? '' : r.workbookSame ? '  (same)' : '  (CHANGED)'}`],
    ['requests', String(r.base.requests), String(r.head.requests)],
    ['events answered differently', '', `${r.divergent} of ${r.paired} paired${r.onlyBase || r.onlyHead ? ` (${r.onlyBase} only in base, ${r.onlyHead} only in head)` : ''}`],
    ['errors (5xx + transport)', String(r.errors.base), String(r.errors.head)],
    ['expect mismatches', String(r.expectMismatches.base), String(r.expectMismatches.head)],
    ['Sheets calls', r.sheets.available ? String(r.sheets.calls.base) : 'n/a', r.sheets.available ? String(r.sheets.calls.head) : 'n/a'],
    ['peak Sheets writes/min', String(r.sheets.peakWritesPerMinute.base), String(r.sheets.peakWritesPerMinute.head)],
    ['Sheets 429s', String(r.sheets.status429.base), String(r.sheets.status429.head)],
  ];
  tables.push({ title: 'Exact facts', headers: ['', 'base', 'head'], rows: facts });
  const f = r.firstDivergence;
  if (f) {
    const cell = (s: typeof f.base) => (s ? `${s.status ?? s.error}${s.action_taken ? ` ${s.action_taken}` : ''} ${truncate(s.body ?? '', 300)}` : 'not sent');
    tables.push({
      title: `First divergent event: seq ${f.seq}`,
      headers: ['', 'base', 'head'],
      rows: [
        ['scenario', f.scenario, `worker ${f.worker}, t ${f.t} ms`],
        ['request', f.request ? `${f.request.method} ${f.request.path}` : `${f.op} (trace file not found)`, f.request?.body !== undefined ? truncate(JSON.stringify(f.request.body), 200) : ''],
        ['answer', cell(f.base), cell(f.head)],
      ],
    });
  }
  tables.push({
    title: 'Statuses and Sheets calls per scenario',
    headers: ['scenario', 'count', 'statuses base', 'statuses head', 'errors', 'Sheets calls/op (mean)', 'max/op'],
    rows: r.scenarios.map((s) => [
      s.name, arrow(s.base.count, s.head.count), statuses(s.base.statuses), statuses(s.head.statuses), arrow(s.base.errors, s.head.errors),
      s.sheetsCalls.base === null || s.sheetsCalls.head === null ? 'n/a' : s.sheetsCalls.base === s.sheetsCalls.head ? fmt(s.sheetsCalls.base) : `${fmt(s.sheetsCalls.base)} → ${fmt(s.sheetsCalls.head)}`,
      s.sheetsCalls.baseMax === null || s.sheetsCalls.headMax === null ? 'n/a' : arrow(s.sheetsCalls.baseMax, s.sheetsCalls.headMax),
    ]),
  });
  if (r.sheets.available) {
    tables.push({
      title: 'Sheets calls per method',
      headers: ['method', 'base', 'head', 'change'],
      rows: Object.entries(r.sheets.byMethod).map(([m, v]) => [m, String(v.base), String(v.head), v.base === v.head ? '' : `${v.head - v.base > 0 ? '+' : ''}${v.head - v.base}`]),
    });
  }
  tables.push({
    title: 'Latency per scenario (paired events, response time)',
    headers: ['scenario', 'pairs', 'p50', 'p95', 'p99', 'p95 change', 'significant', 'interval', ''],
    rows: r.scenarios.map((s) => [s.name, ...latencyCells(s.latency)]),
    note: methodLine(r),
  });
  return tables;
}

function statuses(s: Record<string, number>): string {
  return Object.entries(s).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}:${n}`).join(' ');
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
