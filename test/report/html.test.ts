import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GATES, evaluateGates } from '../../simulator/report/gates.ts';
import { REPORT_CHART_COUNT, renderReportHtml } from '../../simulator/report/html.ts';
import { writeReportFiles } from '../../simulator/report/write.ts';
import { buildFixture } from './fixture.ts';

const EVIL = '<script>window.__pwned=1</script>';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('report.html', () => {
  let dir: string;
  let browser: Browser;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sheetsim-html-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('escapes labels and scenario names that carry markup', () => {
    const { report } = buildFixture({ label: EVIL, scenarioNames: [`finalizar_${EVIL}`] });
    const html = renderReportHtml(report);
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    // The JSON island keeps the name but cannot close its script element.
    expect(html).toContain('\\u003cscript>window.__pwned=1\\u003c/script>');
  });

  it('loads offline in Chromium with no console error or request, draws every chart, and is screenshotted', async () => {
    const { report } = buildFixture({ events: 900, label: EVIL, scenarioNames: [undefined, `sold_${EVIL}`] as string[] });
    report.gates = evaluateGates(report, DEFAULT_GATES);
    await writeReportFiles(dir, report);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(join(dir, 'report.html')).href;
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('body[data-charts]');
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    const canvases = await page.$$eval('.uplot canvas', (els) => els.map((c) => ({ w: (c as unknown as { width: number }).width, h: (c as unknown as { height: number }).height })));
    expect(canvases).toHaveLength(REPORT_CHART_COUNT);
    for (const c of canvases) expect(c.w * c.h).toBeGreaterThan(0);
    // One line per scenario in the distribution chart's legend, plus the x entry.
    const legend = await page.$$eval('#chart-distribution .u-legend .u-series', (els) => els.length);
    expect(legend).toBe(Object.keys(report.scenarios).length + 1);
    expect(await page.$$eval('#gates .card', (els) => els.map((e) => e.className))).toEqual(report.gates.map((g) => `card ${g.pass ? 'pass' : 'fail'}`));
    const label = await page.textContent('.meta');
    expect(label).toContain(EVIL);
    const shot = join('test-artifacts', 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot) && statSync(shot).size).toBeGreaterThan(10_000);
    await page.close();
  });

  it('is one self-contained file: uPlot inlined, no external URL in src or href', () => {
    const { report } = buildFixture();
    const html = renderReportHtml(report);
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:|\/\/)/i);
    expect(readFileSync(new URL('../../node_modules/uplot/dist/uPlot.min.css', import.meta.url), 'utf8').length).toBeGreaterThan(0);
  });
});
