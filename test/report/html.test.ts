import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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

  it('says how the replayer did in a realtime run, also when it kept up', () => {
    const health = { eventLoopDelayP99Ms: 2.5, eventLoopDelayMaxMs: 9, eventLoopUtilization: 0.2, saturatedShare: 0, sendLagP99Ms: 0.4, sendLagMaxMs: 3.1 };
    const fine = renderReportHtml(buildFixture({ replayer: { ...health, bottleneck: false } }).report);
    expect(fine).toContain('<span>replayer</span><b>not a bottleneck: own send lag p99 0.4 ms (max 3.1 ms); event loop saturated (≥ 95 % busy) 0 % of the replay');
    const late = renderReportHtml(buildFixture({ replayer: { ...health, sendLagP99Ms: 31, bottleneck: true } }).report);
    expect(late).toContain('<span>replayer</span><b>the bottleneck: own send lag p99 31.0 ms');
    expect(renderReportHtml(buildFixture({ mode: 'exact', replayer: { ...health, bottleneck: false } }).report)).not.toContain('<span>replayer</span>');
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
    const { report } = buildFixture({ events: 900, label: EVIL, scenarioNames: [undefined, `sold_${EVIL}`] as string[], writesPerWrite: 4 });
    report.gates = evaluateGates(report, DEFAULT_GATES);
    report.expectations.examples = [
      { seq: 9, scenario: 'iniciar', expected: { status: 200 }, actual: { status: 503, action_taken: null } },
      { seq: 3, scenario: `sold_${EVIL}`, expected: { status: 200, action_taken: 'COMPLETAR' }, actual: { status: 200, action_taken: 'PAUSAR' } },
      { seq: 4, scenario: 'iniciar', expected: { status: 200 }, actual: { status: 503, action_taken: null } },
    ];
    await writeReportFiles(dir, report);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
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
    expect(await page.getAttribute('body', 'data-charts')).toBe(String(REPORT_CHART_COUNT));
    // Every chart container holds one canvas with something drawn on it (not only the background).
    const drawn = await page.$$eval('.chart', (charts) => charts.map((chart) => {
      type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const canvas = chart.querySelector('.uplot canvas') as unknown as Canvas | null;
      if (!canvas || canvas.width * canvas.height === 0) return { id: chart.id, inked: 0 };
      const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let inked = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) inked++;
      return { id: chart.id, inked };
    }));
    expect(drawn).toHaveLength(REPORT_CHART_COUNT);
    for (const c of drawn) expect(c.inked, c.id).toBeGreaterThan(1000);
    // Static legends show a value, never uPlot's "--" placeholder.
    const legendValues = await page.$$eval('.u-legend .u-value', (els) => els.map((e) => e.textContent ?? ''));
    expect(legendValues.length).toBeGreaterThan(REPORT_CHART_COUNT * 2);
    expect(legendValues.filter((v) => v.trim() === '--' || v.trim() === '')).toEqual([]);
    // One line per scenario in the distribution chart's legend, plus the x entry.
    const legend = await page.$$eval('#chart-distribution .u-legend .u-series', (els) => els.length);
    expect(legend).toBe(Object.keys(report.scenarios).length + 1);
    expect(await page.$$eval('#gates .card', (els) => els.map((e) => e.className))).toEqual(report.gates.map((g) => `card ${g.pass ? 'pass' : 'fail'}`));
    const label = await page.textContent('.meta');
    expect(label).toContain(EVIL);
    // Findings come first, each linking to an element of the page.
    const findings = await page.$$eval('#findings li', (els) => els.map((li) => ({ text: li.querySelector('.text')!.textContent, href: li.querySelector('a')!.getAttribute('href')!, top: li.getBoundingClientRect().top })));
    expect(findings.map((f) => f.text)).toEqual(report.findings.map((f) => f.text));
    for (const f of findings) expect(await page.$(f.href), f.href).not.toBeNull();
    expect(report.findings[0]!.id).toBe('quota-saturation');
    expect(findings[0]!.top).toBeLessThan(300);
    // The quota line sits on the first screen and well above the writes chart's zero line.
    const plot = (await page.$('#chart-writes .plot'))!;
    const box = (await plot.boundingBox())!;
    const quotaY = Number(await plot.getAttribute('data-quota-y'));
    const canvasBox = (await page.$('#chart-writes .uplot canvas'))!;
    const cb = (await canvasBox.boundingBox())!;
    expect(cb.y + quotaY).toBeLessThan(900);
    expect(quotaY).toBeLessThan(0.8 * cb.height);
    expect(box.y).toBeLessThan(900);
    // The mismatch table is sorted by kind, then scenario, then seq.
    const rows = await page.$$eval('#mismatch-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toEqual([['200 → 503', 'iniciar', '4'], ['200 → 503', 'iniciar', '9'], ['200 COMPLETAR → 200 PAUSAR', `sold_${EVIL}`, '3']]);
    mkdirSync('test-artifacts', { recursive: true });
    const first = join('test-artifacts', 'report-first-screen.png');
    await page.screenshot({ path: first });
    const shot = join('test-artifacts', 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(first) && statSync(first).size).toBeGreaterThan(10_000);
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
