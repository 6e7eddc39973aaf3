import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveFindings } from '../../simulator/report/findings.ts';
import { escapeMarkdown, renderSummaryMarkdown } from '../../simulator/report/markdown.ts';
import { checkReport } from '../../simulator/report/read.ts';
import { renderSummary } from '../../simulator/report/terminal.ts';
import { writeReportFiles } from '../../simulator/report/write.ts';
import { buildFixture } from './fixture.ts';

describe('findings in the written report and its summaries', () => {
  it('writeReportFiles stores the findings in report.json (schema-valid) and summary.md, most severe first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sheetsim-summary-'));
    try {
      const { report } = buildFixture({ events: 600, writesPerWrite: 5 });
      await writeReportFiles(dir, report);
      const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
      expect(json.findings).toEqual(deriveFindings(report));
      expect(json.findings[0].id).toBe('quota-saturation');
      expect(() => checkReport(json, 'report.json')).not.toThrow();
      const md = readFileSync(join(dir, 'summary.md'), 'utf8');
      const findingsAt = md.indexOf('## Findings');
      expect(findingsAt).toBeGreaterThan(0);
      expect(findingsAt).toBeLessThan(md.indexOf('## Figures'));
      expect(md).toContain(`- 🔴 **critical** ${escapeMarkdown(json.findings[0].text)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a finding that is not a well-formed finding is refused by the schema', () => {
    const { report } = buildFixture({ events: 100 });
    report.findings = [{ id: 'x', severity: 'fatal' as 'critical', text: 't', figures: {}, anchor: '#a' }];
    expect(() => checkReport(JSON.parse(JSON.stringify(report)), 'report.json')).toThrow('/findings/0/severity');
  });

  it('the terminal summary prints the findings before the figures', () => {
    const { report } = buildFixture({ events: 600, writesPerWrite: 5 });
    report.findings = deriveFindings(report);
    const text = renderSummary(report, { color: false, reportDir: 'reports/x' });
    const lines = text.split('\n');
    const first = lines.findIndex((l) => l.startsWith('CRITICAL'));
    expect(first).toBeGreaterThan(0);
    expect(lines[first]).toBe(`CRITICAL ${report.findings[0]!.text}`);
    expect(first).toBeLessThan(lines.findIndex((l) => l.startsWith('requests ')));
    expect(text).toContain('markdown: reports/x/summary.md');
  });

  it('Markdown escaping keeps names from a trace from becoming markup', () => {
    expect(escapeMarkdown('a|b <script> *x* [l](u)')).toBe('a\\|b \\<script\\> \\*x\\* \\[l\\](u)');
    const { report } = buildFixture({ events: 100, label: '<img src=x onerror=alert(1)>', scenarioNames: ['fin|al'] });
    report.findings = deriveFindings(report);
    const md = renderSummaryMarkdown(report);
    expect(md).not.toMatch(/(^|[^\\])<img/);
    expect(md).toContain('\\<img');
    expect(md).toContain('fin\\|al');
  });
});
