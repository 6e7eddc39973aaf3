// End-to-end: real exact runs of the embedded target through the CLI, then `sheetsim report` and `sheetsim diff`.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchema, validateSchema } from '../../simulator/report/schema.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/sheetsim.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sheetsim-diffruns-'));

async function sheetsim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { cwd: dir, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const exact = (out: string, profile: string, extra: string[] = []) =>
  sheetsim(['run', '--mode', 'exact', '--duration', '1m', '--workers', '10', '--spools', '100', '--quota', 'off', '--backend-profile', profile, '--warn-only', '--out', join(dir, out), ...extra]);

describe('report and diff on real exact runs', () => {
  beforeAll(async () => {
    for (const [out, profile] of [['zeues-1', 'zeues'], ['zeues-2', 'zeues'], ['lean', 'lean']] as const) {
      const r = await exact(out, profile);
      expect(r.code, r.stderr).toBe(0);
    }
    const other = await exact('other-trace', 'lean', ['--seed', '7']);
    expect(other.code, other.stderr).toBe(0);
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a real run's report.json validates against docs/report.schema.json", () => {
    const json = JSON.parse(readFileSync(join(dir, 'zeues-1', 'report.json'), 'utf8'));
    expect(validateSchema(json, reportSchema())).toEqual([]);
    expect(json.gates.map((g: { id: string }) => g.id)).toEqual(['PERF-01', 'PERF-02', 'PERF-03', 'PERF-04', 'PERF-05']);
  });

  it('sheetsim report re-evaluates a run (exit code follows the gates) and --out writes a re-rendered copy', async () => {
    const failing = await sheetsim(['report', join(dir, 'zeues-1')]);
    expect(failing.stdout).toMatch(/PERF gates passed/);
    expect(failing.code).toBe(JSON.parse(readFileSync(join(dir, 'zeues-1', 'report.json'), 'utf8')).gates.every((g: { pass: boolean }) => g.pass) ? 0 : 1);
    const none = await sheetsim(['report', '--no-gates', '--out', join(dir, 'zeues-1-no-gates'), join(dir, 'zeues-1')]);
    expect(none.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'zeues-1-no-gates', 'report.json'), 'utf8')).gates).toEqual([]);
    expect(readFileSync(join(dir, 'zeues-1-no-gates', 'metrics.csv'), 'utf8').split('\n')[0]).toBe('metric,value,unit,status');
    // The run's own record keeps its verdicts.
    expect(JSON.parse(readFileSync(join(dir, 'zeues-1', 'report.json'), 'utf8')).gates).toHaveLength(5);
  });

  it('two exact runs of the same build are identical and exit 0', async () => {
    const r = await sheetsim(['diff', join(dir, 'zeues-1'), join(dir, 'zeues-2'), '--markdown', 'same.md']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/: no difference \(0 regressions/);
    expect(r.stdout).toMatch(/outcome digest .*\(same\)/);
    expect(readFileSync(join(dir, 'same.md'), 'utf8')).toMatch(/^### ✅ /);
  });

  it('lean → zeues (forced: other profile) is a regression in Sheets calls naming the methods (exit 1); zeues → lean is an improvement (exit 0)', async () => {
    const worse = await sheetsim(['diff', '--force', join(dir, 'lean'), join(dir, 'zeues-1'), '--html', 'worse.html', '--markdown', 'worse.md']);
    expect(worse.code, worse.stderr).toBe(1);
    expect(worse.stdout).toMatch(/✗ regression\s+finalizar_arm_10: Sheets calls per operation 2 → [\d.]+ \(.*values\.get per operation\)/);
    expect(worse.stdout).toMatch(/sheetsim diff [0-9a-f]{10} lean → [0-9a-f]{10} zeues: REGRESSION/);
    const refused = await sheetsim(['diff', join(dir, 'lean'), join(dir, 'zeues-1')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/different backend profile: .* has backend profile lean, head .* has zeues/);
    expect(readFileSync(join(dir, 'worse.html'), 'utf8')).toContain('REGRESSION');
    const better = await sheetsim(['diff', '--force', join(dir, 'zeues-1'), join(dir, 'lean')]);
    expect(better.code, better.stdout).toBe(0);
    expect(better.stdout).toMatch(/✓ improvement\s+finalizar_arm_10: Sheets calls per operation \d+(\.\d+)? → 2/);
  });

  it('refuses runs of different traces with exit 2, naming both hashes', async () => {
    const a = JSON.parse(readFileSync(join(dir, 'lean', 'report.json'), 'utf8')).trace.sha256;
    const b = JSON.parse(readFileSync(join(dir, 'other-trace', 'report.json'), 'utf8')).trace.sha256;
    const r = await sheetsim(['diff', join(dir, 'lean'), join(dir, 'other-trace')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(a);
    expect(r.stderr).toContain(b);
  });
});
