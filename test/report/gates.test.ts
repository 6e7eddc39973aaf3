import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../simulator/cli/command.ts';
import { DEFAULT_GATES, evaluateGates, gatesPass, loadGates, parseGates } from '../../simulator/report/gates.ts';
import { buildFixture } from './fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'sheetsim-gates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const byId = (results: ReturnType<typeof evaluateGates>, id: string) => results.find((g) => g.id === id)!;

describe('PERF gates', () => {
  it('pass on a healthy run with the original thresholds, one result per gate with value, threshold, unit', () => {
    const { report } = buildFixture({ events: 150 });
    report.sheets.writes.peakPerMinute = 12;
    const results = evaluateGates(report, DEFAULT_GATES);
    expect(results.map((g) => g.id)).toEqual(['PERF-01', 'PERF-02', 'PERF-03', 'PERF-04', 'PERF-05']);
    for (const g of results) expect(g).toMatchObject({ pass: true, value: expect.any(Number), threshold: expect.any(Number), unit: expect.any(String) });
    expect(byId(results, 'PERF-01').value).toBe(report.scenarios.finalizar_arm_10!.responseTime.p95);
    expect(gatesPass(results)).toBe(true);
  });

  it('PERF-01 fails when the 10-union FINALIZAR p95 reaches 1 s, and judges the configured scenario', () => {
    const { report } = buildFixture();
    report.scenarios.finalizar_arm_10!.responseTime.p95 = 1000;
    expect(byId(evaluateGates(report, DEFAULT_GATES), 'PERF-01')).toMatchObject({ pass: false, value: 1000, threshold: 1000, comparator: '<' });
    const cfg = parseGates({ 'PERF-01': { scenario: 'metricas', threshold: 5000 } }, 'gates.json');
    expect(byId(evaluateGates(report, cfg), 'PERF-01')).toMatchObject({ pass: true, value: report.scenarios.metricas!.responseTime.p95 });
  });

  it('PERF-02 fails when p99 of all requests reaches 2 s', () => {
    const { report } = buildFixture({ latencyFactor: 3 });
    const g = byId(evaluateGates(report, DEFAULT_GATES), 'PERF-02');
    expect(g.value).toBeGreaterThanOrEqual(2000);
    expect(g.pass).toBe(false);
  });

  it('PERF-03 measures the worst FINALIZAR from the call log and fails above 2 calls', () => {
    const { report } = buildFixture({ finalizarCalls: 3 });
    expect(byId(evaluateGates(report, DEFAULT_GATES), 'PERF-03')).toMatchObject({ pass: false, value: 3, threshold: 2, comparator: '<=' });
  });

  it('PERF-03 gives no verdict while some FINALIZAR calls could not be attributed (their worst is unseen)', () => {
    const { report } = buildFixture({ finalizarCalls: 2 });
    expect(byId(evaluateGates(report, DEFAULT_GATES), 'PERF-03').pass).toBe(true);
    const name = Object.keys(report.scenarios).find((n) => n.startsWith('finalizar'))!;
    report.scenarios[name]!.sheetsUnattributed = 3;
    expect(byId(evaluateGates(report, DEFAULT_GATES), 'PERF-03')).toMatchObject({ pass: false, value: null, note: expect.stringContaining('3 FINALIZAR events') });
  });

  it('PERF-04 fails when an append writes more than 900 rows', () => {
    expect(byId(evaluateGates(buildFixture({ maxAppendRows: 900 }).report, DEFAULT_GATES), 'PERF-04').pass).toBe(true);
    expect(byId(evaluateGates(buildFixture({ maxAppendRows: 901 }).report, DEFAULT_GATES), 'PERF-04')).toMatchObject({ pass: false, value: 901 });
  });

  it('PERF-05 fails at 30 writes in a simulated minute', () => {
    const { report } = buildFixture();
    report.sheets.writes.peakPerMinute = 29;
    expect(byId(evaluateGates(report, DEFAULT_GATES), 'PERF-05').pass).toBe(true);
    report.sheets.writes.peakPerMinute = 30;
    expect(byId(evaluateGates(report, DEFAULT_GATES), 'PERF-05').pass).toBe(false);
  });

  it('without a call log the Sheets gates fail with value null and a note', () => {
    const results = evaluateGates(buildFixture({ sheetsAvailable: false }).report, DEFAULT_GATES);
    for (const id of ['PERF-03', 'PERF-04', 'PERF-05']) {
      expect(byId(results, id)).toMatchObject({ value: null, pass: false, note: expect.stringContaining('unavailable') });
    }
  });

  it('a gates file changes thresholds and disables gates', () => {
    const path = join(dir, 'gates.json');
    writeFileSync(path, JSON.stringify({ 'PERF-05': false, 'PERF-03': { threshold: 4 }, 'PERF-04': { enabled: false } }));
    const cfg = loadGates(path);
    const results = evaluateGates(buildFixture({ finalizarCalls: 3 }).report, cfg);
    expect(results.map((g) => g.id)).toEqual(['PERF-01', 'PERF-02', 'PERF-03']);
    expect(byId(results, 'PERF-03')).toMatchObject({ threshold: 4, pass: true });
  });

  it('refuses a bad gates file naming the file and the field', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ 'PERF-02': { threshold: '2s' } }));
    expect(() => loadGates(path)).toThrow(InputError);
    expect(() => loadGates(path)).toThrow(`${path}: PERF-02.threshold must be a number >= 0, got "2s"`);
    expect(() => parseGates({ 'PERF-09': {} }, 'g.json')).toThrow(/unknown gate 'PERF-09'/);
    expect(() => parseGates({ 'PERF-02': { scenario: 'x' } }, 'g.json')).toThrow(/PERF-02.scenario: unknown field/);
    writeFileSync(path, '{');
    expect(() => loadGates(path)).toThrow(/is not valid JSON/);
    expect(() => loadGates(join(dir, 'missing.json'))).toThrow(/ENOENT/);
  });
  it('PERF-03 does not pass on FINALIZARs that never got an answer (a saturated run that could not send them)', () => {
    const { report } = buildFixture({ events: 150 });
    for (const [name, sc] of Object.entries(report.scenarios)) {
      if (!name.startsWith('finalizar')) continue;
      sc.statuses = { error: sc.count };
      sc.sheetsCalls = { mean: 0, max: 0, total: 0, byMethod: {}, maxAppendRows: 0 };
    }
    expect(byId(evaluateGates(report, DEFAULT_GATES), 'PERF-03')).toMatchObject({ pass: false, value: null, note: 'no FINALIZAR event got an HTTP answer' });
  });
});
