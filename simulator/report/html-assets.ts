/** Pieces every self-contained HTML page of sheetsim shares: escaping, inline data, the inlined uPlot, a CSP that forbids network use. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** A `<script type="application/json">` block whose content cannot close the tag (every `<` escaped). */
export function jsonScript(id: string, data: unknown): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<script type="application/json" id="${escapeHtml(id)}">${json}</script>`;
}

/** The page may run its inline scripts and styles and nothing else: no fetch, no image, no font leaves it. */
export const OFFLINE_CSP = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`;

let uplot: { js: string; css: string } | undefined;

/** uPlot's minified IIFE build and CSS, read from node_modules, for inlining. */
export function uplotAssets(): { js: string; css: string } {
  if (!uplot) {
    const require = createRequire(import.meta.url);
    const jsPath = require.resolve('uplot/dist/uPlot.iife.min.js');
    const cssPath = require.resolve('uplot/dist/uPlot.min.css');
    uplot = {
      // A literal `</script` inside inlined code would end the element early.
      js: readFileSync(jsPath, 'utf8').replace(/<\/script/gi, '<\\/script'),
      css: readFileSync(cssPath, 'utf8'),
    };
  }
  return uplot;
}

/** Base stylesheet shared by the report and diff pages. */
export const BASE_CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid #dde1e6;padding-bottom:4px}
table{border-collapse:collapse;background:#fff;font-variant-numeric:tabular-nums;width:100%}
th,td{padding:5px 9px;border-bottom:1px solid #e6e9ee;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}th{background:#eef1f5;font-weight:600}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;font-size:13px;color:#4a5463}
.meta b{color:#1d2430;font-weight:600;word-break:break-all}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:12px}
.card{border-radius:8px;padding:12px 14px;color:#fff}.card.pass{background:#28a745}.card.fail{background:#dc3545}
.card .id{font-weight:700;font-size:15px}.card .v{font-size:22px;font-weight:700;margin:4px 0}.card .d,.card .n{font-size:12px;opacity:.92}
.charts{display:grid;grid-template-columns:1fr;gap:18px}.chart{background:#fff;border:1px solid #e1e5ea;border-radius:8px;padding:10px}
.chart h3{font-size:14px;margin:0 0 6px}.muted{color:#6b7582}.bad{color:#b42318;font-weight:600}.good{color:#107a3a;font-weight:600}
.verdict{font-size:18px;font-weight:700;margin:14px 0}.kpis{display:flex;flex-wrap:wrap;gap:10px}
.kpi{background:#fff;border:1px solid #e1e5ea;border-radius:8px;padding:8px 14px;min-width:120px}.kpi b{display:block;font-size:19px}
pre{background:#fff;border:1px solid #e1e5ea;padding:8px;white-space:pre-wrap;word-break:break-all;font-size:12px}
`;
