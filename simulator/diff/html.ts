/**
 * The diff as one self-contained HTML page: verdict, findings, per-scenario charts (base vs head p50/p95 with the
 * spread of the runs as whiskers; Sheets calls per operation) and the tables with changed rows highlighted. The
 * charts are inline SVG — static bars need no script, so the page works offline under a strict CSP. Every text
 * from a report is escaped.
 */
import { BASE_CSS, OFFLINE_CSP, escapeHtml as e } from '../report/html-assets.ts';
import { fmt, fmtMs } from './compare.ts';
import type { DiffResult, Quantiles, ScenarioDiff } from './model.ts';
import { diffTables, sideName, summaryLine } from './tables.ts';

const BASE_COLOR = '#7a8699';
const HEAD_COLOR = '#2f6fd6';
const CSS = `${BASE_CSS} td{white-space:normal} tr.changed td{background:#fff4d6} .bad{color:#b3261e;font-weight:600} .good{color:#1e7b34;font-weight:600}
.muted{color:#5b6573} .legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:-1px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));gap:12px} .chart{background:#fff;border:1px solid #e1e5ea;border-radius:8px;padding:8px}
.chart h3{font-size:13px;margin:0 0 4px;word-break:break-all} .side{display:grid;grid-template-columns:1fr 1fr;gap:10px} pre{white-space:pre-wrap;word-break:break-all;background:#fff;border:1px solid #e1e5ea;padding:8px;margin:0;font-size:12px}`;

interface Bar {
  label: string;
  base: number | null;
  head: number | null;
  baseRange?: [number, number] | null;
  headRange?: [number, number] | null;
}

/** A grouped bar chart (base grey, head blue) with optional min–max whiskers, as an SVG string. */
export function barChart(bars: Bar[], unit: (v: number) => string): string {
  const values = bars.flatMap((b) => [b.base, b.head, ...(b.baseRange ?? []), ...(b.headRange ?? [])]).filter((v): v is number => v !== null && Number.isFinite(v));
  const max = Math.max(1e-9, ...values) * 1.15;
  const W = 250;
  const H = 130;
  const top = 14;
  const bottom = 22;
  const group = W / Math.max(1, bars.length);
  const bw = Math.min(34, group / 3);
  const y = (v: number) => top + (H - top - bottom) * (1 - v / max);
  const parts: string[] = [];
  bars.forEach((b, i) => {
    const x0 = i * group + group / 2 - bw;
    for (const [k, v, range, color] of [[0, b.base, b.baseRange, BASE_COLOR], [1, b.head, b.headRange, HEAD_COLOR]] as const) {
      const x = x0 + k * bw;
      if (v === null) {
        parts.push(`<text x="${x + bw / 2}" y="${H - bottom - 4}" font-size="9" text-anchor="middle" fill="#8a93a0">n/a</text>`);
        continue;
      }
      parts.push(`<rect x="${x + 1}" y="${y(v).toFixed(1)}" width="${bw - 2}" height="${(H - bottom - y(v)).toFixed(1)}" fill="${color}"><title>${e(`${k === 0 ? 'base' : 'head'} ${b.label}: ${unit(v)}`)}</title></rect>`);
      parts.push(`<text x="${x + bw / 2}" y="${(y(v) - 3).toFixed(1)}" font-size="9" text-anchor="middle">${e(unit(v))}</text>`);
      if (range) {
        const cx = x + bw / 2;
        parts.push(`<path d="M${cx} ${y(range[0]).toFixed(1)}V${y(range[1]).toFixed(1)}M${cx - 4} ${y(range[0]).toFixed(1)}h8M${cx - 4} ${y(range[1]).toFixed(1)}h8" stroke="#1d2430" stroke-width="1"/>`);
      }
    }
    parts.push(`<text x="${i * group + group / 2}" y="${H - 6}" font-size="11" text-anchor="middle">${e(b.label)}</text>`);
  });
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img">${parts.join('')}<line x1="0" x2="${W}" y1="${H - bottom}" y2="${H - bottom}" stroke="#c8ced6"/></svg>`;
}

const range = (runs: Quantiles[], k: 'p50' | 'p95'): [number, number] | null => {
  const v = runs.map((q) => q[k]).filter((x): x is number => x !== null);
  return v.length > 1 ? [Math.min(...v), Math.max(...v)] : null;
};

function scenarioCharts(s: ScenarioDiff): string {
  const l = s.latency;
  const latency = l
    ? barChart(
        (['p50', 'p95'] as const).map((k) => ({ label: k, base: l.base[k], head: l.head[k], baseRange: range(l.perRun.base, k), headRange: range(l.perRun.head, k) })),
        (v) => fmtMs(v),
      )
    : '<p class="muted">not paired</p>';
  const c = s.sheetsCalls;
  const calls = barChart([{ label: 'Sheets calls/op', base: c.base, head: c.head, baseRange: c.perRun.base.length > 1 ? [Math.min(...c.perRun.base), Math.max(...c.perRun.base)] : null, headRange: c.perRun.head.length > 1 ? [Math.min(...c.perRun.head), Math.max(...c.perRun.head)] : null }], fmt);
  const sig = l?.significant ? ' <span class="bad">(significant)</span>' : '';
  return `<div class="chart"><h3>${e(s.name)}${sig}</h3><div class="side"><div>${latency}</div><div>${calls}</div></div></div>`;
}

function section(r: DiffResult): string {
  const cls = (k: string) => (k === 'regression' ? 'bad' : k === 'improvement' ? 'good' : 'muted');
  const tables = diffTables(r)
    .map((t) => {
      const changed = new Set(t.changed ?? []);
      const rows = t.rows.map((row, i) => `<tr${changed.has(i) ? ' class="changed"' : ''}>${row.map((x) => `<td>${e(x)}</td>`).join('')}</tr>`).join('');
      return `<h2>${e(t.title)}</h2><table><thead><tr>${t.headers.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>${t.note ? `<p class="muted">${e(t.note)}</p>` : ''}`;
    })
    .join('\n');
  const f = r.firstDivergence;
  const answer = (x: typeof f extends null ? never : NonNullable<typeof f>['base']) => (x ? `${x.status ?? x.error}${x.action_taken ? ` ${x.action_taken}` : ''}\n${x.body ?? ''}` : 'not sent');
  const divergence = f
    ? `<h2>First divergent event, side by side (seq ${f.seq}, ${e(f.scenario)})</h2><p class="muted">${e(f.request ? `${f.request.method} ${f.request.path} ${f.request.body !== undefined ? JSON.stringify(f.request.body) : ''}` : f.op)}</p><div class="side"><div><b>base ${e(sideName(r.base))}</b><pre>${e(answer(f.base))}</pre></div><div><b>head ${e(sideName(r.head))}</b><pre>${e(answer(f.head))}</pre></div></div>`
    : '';
  return `<section>
<h1>${e(sideName(r.base))} → ${e(sideName(r.head))} <span class="muted">(${e(r.mode)})</span></h1>
<p class="verdict ${r.verdict === 'ok' ? 'good' : 'bad'}">${e(summaryLine(r))}</p>
<ul>${r.findings.map((x) => `<li class="${cls(x.kind)}">${e(x.kind)}: ${e(x.text)}</li>`).join('')}</ul>
<h2>Per scenario: latency (p50, p95; whiskers = spread of the runs) and Sheets calls per operation</h2>
<p class="legend"><span style="background:${BASE_COLOR}"></span>base ${e(sideName(r.base))}<span style="background:${HEAD_COLOR}"></span>head ${e(sideName(r.head))}</p>
<div class="charts">${r.scenarios.map(scenarioCharts).join('')}</div>
${divergence}
${tables}
</section>`;
}

/** A self-contained HTML page (no script, no network) for one diff or for the modes of one compare. */
export function renderDiffHtml(results: DiffResult | DiffResult[]): string {
  const list = Array.isArray(results) ? results : [results];
  const title = list[0] ? `sheetsim diff ${sideName(list[0].base)} → ${sideName(list[0].head)}` : 'sheetsim diff';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${OFFLINE_CSP}<title>${e(title)}</title><style>${CSS}</style></head>
<body><main>
${list.map(section).join('\n<hr>\n')}
</main></body></html>
`;
}
