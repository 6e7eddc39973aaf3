/** Writing a report folder: report.json and the files rendered from it, each atomically (temp file + rename). */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { metricsCsv, scenariosCsv, timelineCsv } from './csv.ts';
import { deriveFindings } from './findings.ts';
import { renderReportHtml } from './html.ts';
import { renderSummaryMarkdown } from './markdown.ts';
import type { Report } from './model.ts';

/** Write a file so that readers see the old content or the new one, never half of it. */
export async function writeAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

/**
 * Write report.json, metrics.csv, scenarios.csv, timeline.csv, report.html and summary.md into dir; returns their paths.
 * The findings are derived here, from the finished report (gates included), so every writer — run, report, merge —
 * stores fresh ones and the caller's summary prints the same list.
 */
export async function writeReportFiles(dir: string, report: Report): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  report.findings = deriveFindings(report);
  const files: [string, string][] = [
    ['report.json', JSON.stringify(report, null, 2) + '\n'],
    ['metrics.csv', metricsCsv(report)],
    ['scenarios.csv', scenariosCsv(report)],
    ['timeline.csv', timelineCsv(report)],
    ['report.html', renderReportHtml(report)],
    ['summary.md', renderSummaryMarkdown(report)],
  ];
  const paths: string[] = [];
  for (const [name, content] of files) {
    const path = join(dir, name);
    await writeAtomic(path, content);
    paths.push(path);
  }
  return paths;
}
