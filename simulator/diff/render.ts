/** The three renderings of a diff: terminal text, Markdown for a pull request, and a self-contained HTML page. */
import pc from 'picocolors';
import type { DiffResult } from './model.ts';
import { diffTables, summaryLine } from './tables.ts';

/** Text for a terminal; colours only when asked. */
export function renderDiffTerminal(r: DiffResult, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const out: string[] = [c.bold(summaryLine(r)), ''];
  for (const f of r.findings) out.push(`${f.kind === 'regression' ? c.red('✗ regression ') : f.kind === 'improvement' ? c.green('✓ improvement') : c.yellow('• change     ')} ${f.text}`);
  if (r.findings.length) out.push('');
  for (const t of diffTables(r)) {
    out.push(c.bold(t.title));
    const widths = t.headers.map((h, i) => Math.min(60, Math.max(h.length, ...t.rows.map((row) => (row[i] ?? '').length))));
    const line = (cells: string[]) => cells.map((x, i) => (x.length > widths[i]! ? `${x.slice(0, widths[i]! - 1)}…` : x.padEnd(widths[i]!))).join('  ').trimEnd();
    out.push(c.dim(line(t.headers)));
    for (const row of t.rows) out.push(line(row));
    if (t.note) out.push(c.dim(t.note));
    out.push('');
  }
  out.push(verdictLine(r, c));
  return out.join('\n') + '\n';
}

/** The last line: the verdict and the exit code it gives. */
function verdictLine(r: DiffResult, c: ReturnType<typeof pc.createColors>): string {
  if (r.verdict === 'invalid') return c.red(c.bold(`verdict: none — ${r.invalid.length} invalid run(s) (exit 1)`));
  return r.verdict === 'regression' ? c.red(c.bold('verdict: REGRESSION (exit 1)')) : c.green(c.bold('verdict: no regression (exit 0)'));
}

const mdCell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[<>]/g, (ch) => (ch === '<' ? '&lt;' : '&gt;')).replace(/\r?\n/g, ' ');

/** Markdown ready to paste into a pull request: a summary line, the findings, the tables. */
export function renderDiffMarkdown(r: DiffResult): string {
  const icon = r.verdict === 'regression' ? '❌' : r.verdict === 'invalid' ? '⚠️' : '✅';
  const out: string[] = [`### ${icon} ${mdCell(summaryLine(r))}`, ''];
  for (const f of r.findings) out.push(`- **${f.kind}**: ${mdCell(f.text)}`);
  if (r.findings.length) out.push('');
  for (const t of diffTables(r)) {
    out.push(`#### ${mdCell(t.title)}`, '', `| ${t.headers.map(mdCell).join(' | ')} |`, `|${t.headers.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
    for (const row of t.rows) out.push(`| ${row.map(mdCell).join(' | ')} |`);
    if (t.note) out.push('', `<sub>${mdCell(t.note)}</sub>`);
    out.push('');
  }
  return out.join('\n');
}

export { renderDiffHtml } from './html.ts';
