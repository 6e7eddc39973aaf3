/** The diff as titled tables of plain strings, so the terminal, Markdown and HTML renderers show the same facts. */
import { fmt, fmtMs } from './compare.ts';
import type { DiffResult, LatencyDiff } from './model.ts';

export interface Table {
  title: string;
  headers: string[];
  rows: string[][];
  note?: string;
  /** Indexes of rows where base and head differ (the HTML highlights them). */
  changed?: number[];
}

const pct = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : x > 0 ? '+∞' : '−∞');
const arrow = (b: number, h: number): string => (b === h ? `${b}` : `${b} → ${h}`);

/** How a side is named in titles: its label, else its commit and profile, else its run id. */
export function sideName(s: DiffResult['base']): string {
  if (s.label) return s.label;
  const parts = [s.commit?.slice(0, 10), s.backendProfile].filter(Boolean);
  return parts.length ? parts.join(' ') : s.runId;
}

/** One line: the verdict and the counts of findings. */
export function summaryLine(r: DiffResult): string {
  const n = (k: string) => r.findings.filter((f) => f.kind === k).length;
  const verdict = r.verdict === 'invalid' ? 'NO VERDICT (invalid run)' : r.verdict === 'regression' ? 'REGRESSION' : r.findings.length === 0 ? 'no difference' : 'no regression';
  const runs = r.base.runs > 1 || r.head.runs > 1 ? `${r.base.runs} + ${r.head.runs} ${r.mode} runs` : `${r.mode} runs`;
  return `sheetsim diff ${sideName(r.base)} → ${sideName(r.head)}: ${verdict} (${n('regression')} regressions, ${n('improvement')} improvements, ${n('change')} other changes; ${runs}, ${r.paired} paired events of trace ${r.trace.sha256.slice(0, 12)})`;
}

/** The statistical method, stated with its level. */
export function methodLine(r: DiffResult): string {
  const m = r.method;
  const head = r.mode === 'exact'
    ? 'Exact mode: statuses, Sheets calls and the digest are facts (any change is the code\'s). Modelled latency (Sheets time + waits) of the first runs: event bootstrap; backend compute time: Wilcoxon signed-rank test on per-event medians over runs, paired by seq, judged against the p50 response time.'
    : `Realtime: ${m.test}; tested only with ≥ ${m.minRuns} runs per side.`;
  return `${head} Family-wise α = ${m.alpha} over ${m.comparisons} tests (α = ${m.alphaPerComparison.toPrecision(2)} each), ${m.resamples} resamples, seed ${m.seed}; significant = interval excludes 0 and |change| ≥ ${(m.minEffect * 100).toFixed(0)}%; "~" = not significant; p95 only with ≥ 100 events (else p50, ≥ 10; else "too few events"). Regression limit: +${(m.maxRegression * 100).toFixed(0)}%.`;
}

const ms = (x: number | null): string => (x === null ? '—' : fmtMs(x));
const pair = (a: number | null, b: number | null): string => (a === null && b === null ? 'too few events' : `${ms(a)} → ${ms(b)}`);

function latencyCells(l: LatencyDiff | null): string[] {
  if (!l) return ['', '', '', '', '', '', '', 'not paired'];
  const tested = l.tested;
  const c = tested ? l.change[tested] : null;
  return [
    `${l.n.base} / ${l.n.head}${l.runs.base > 1 || l.runs.head > 1 ? ` (${l.runs.base}+${l.runs.head} runs)` : ''}`, pair(l.base.p50, l.head.p50), pair(l.base.p95, l.head.p95), pair(l.base.p99, l.head.p99),
    tested ? `${tested} ${pct(c!)}` : '', tested ? (l.significant ? pct(c!) : '~') : '', l.ci ? `[${pct(l.ci.low)}, ${pct(l.ci.high)}]` : '', l.note ?? '',
  ];
}

/** Every table of the diff, exact facts first. */
export function diffTables(r: DiffResult): Table[] {
  const tables: Table[] = [];
  const facts: string[][] = [
    ['runs', `${r.base.runId} (${r.base.mode})${r.base.runs > 1 ? ` + ${r.base.runs - 1} more` : ''}`, `${r.head.runId} (${r.head.mode})${r.head.runs > 1 ? ` + ${r.head.runs - 1} more` : ''}`],
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
    // What both sides were asked goes in the title; the columns are for what differs, the answers.
    const request = f.request
      ? `${f.request.method} ${f.request.path}${f.request.body !== undefined ? ` ${truncate(JSON.stringify(f.request.body), 200)}` : ''}`
      : `${f.op} (trace file not found)`;
    tables.push({
      title: `First divergent event: seq ${f.seq} (${f.scenario}, worker ${f.worker}, t ${f.t} ms): ${request}`,
      headers: ['', 'base', 'head'],
      rows: [['answer', cell(f.base), cell(f.head)]],
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
    title: 'Sheets calls per operation, by scenario and method',
    headers: ['scenario', 'method', 'base', 'head', 'change'],
    rows: r.scenarios.flatMap((s) => Object.entries(s.sheetsCalls.byMethod).map(([m, v]) => [s.name, m, fmt(v.base), fmt(v.head), Math.abs(v.head - v.base) < 1e-9 ? '' : `${v.head > v.base ? '+' : ''}${fmt(v.head - v.base)}`])),
  });
  const compute = r.scenarios.filter((s) => s.compute);
  if (compute.length) {
    tables.push({
      title: 'Backend compute time per scenario (exact mode, paired by event)',
      headers: ['scenario', 'pairs', 'median base → head', 'shift (HL)', 'of p50 response', 'p', 'significant'],
      rows: compute.map((s) => {
        const c = s.compute!;
        return [s.name, String(c.pairs), `${fmtMs(c.base)} → ${fmtMs(c.head)}`, `${c.shift >= 0 ? '+' : ''}${fmtMs(c.shift)}`, pct(c.relative), c.p < 1e-4 ? c.p.toExponential(1) : c.p.toFixed(4), c.significant ? 'yes' : '~'];
      }),
    });
  } else if (r.mode === 'exact') {
    tables.push({ title: 'Backend compute time per scenario (exact mode)', headers: [''], rows: [['not recorded: these reports have no per-event computeMs']] });
  }
  tables.push({
    title: r.mode === 'exact' ? 'Modelled latency per scenario (Sheets time + waits)' : 'Latency per scenario (response time, all runs pooled)',
    headers: ['scenario', 'events', 'p50', 'p95', 'p99', 'change tested', 'significant', 'interval', ''],
    rows: r.scenarios.map((s) => [s.name, ...latencyCells(s.latency)]),
    note: methodLine(r),
  });
  for (const t of tables) t.changed = t.rows.flatMap((row, i) => (rowChanged(t, row) ? [i] : []));
  return tables;
}

/** Whether a row shows a difference between base and head (highlighted in HTML). */
function rowChanged(t: Table, row: string[]): boolean {
  if (t.title === 'Exact facts') return row[1] !== '' && row[1] !== row[2] && !/\(same\)$/.test(row[2] ?? '') && !row[0]!.startsWith('runs') && !row[0]!.startsWith('backend');
  if (t.title.startsWith('Statuses')) return row.slice(1).some((c) => c.includes('→')) || row[2] !== row[3];
  if (t.title.startsWith('Sheets calls per operation')) return row[4] !== '';
  if (t.title === 'Sheets calls per method') return row[3] !== '';
  if (t.title.startsWith('Backend compute')) return row[6] === 'yes';
  if (t.title.startsWith('Modelled latency') || t.title.startsWith('Latency')) return row[6] !== '' && row[6] !== '~';
  return false;
}


function statuses(s: Record<string, number>): string {
  return Object.entries(s).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}:${n}`).join(' ');
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
