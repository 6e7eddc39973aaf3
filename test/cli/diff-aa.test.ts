// A/A through the CLI: runs of one build, made one after another (not at the same time, so drift between runs
// is part of what the verdict must tolerate), must give the verdict "no regression". Exact mode must even say
// "no difference"; realtime uses 3 short runs per side, interleaved, with the default quota on. How often A/A
// realtime comparisons cry wolf, over many tries, is measured by bench/compare-aa.ts, not asserted from one.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const BIN = new URL('../../bin/sheetsim.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sheetsim-aa-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TRACE = ['--duration', '1m', '--workers', '10', '--spools', '100', '--warn-only', '--no-gates'];

async function sheetsim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('node', [BIN, ...args], { cwd: dir, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('A/A: one build against itself', () => {
  it('exact mode: two runs one after another give "no difference" and exit 0', async () => {
    for (const side of ['a', 'b']) {
      const r = await sheetsim(['run', '--mode', 'exact', ...TRACE, '--out', join(dir, `exact-${side}`)]);
      expect(r.code, r.stderr).toBe(0);
    }
    const d = await sheetsim(['diff', '--no-color', join(dir, 'exact-a'), join(dir, 'exact-b')]);
    expect(d.code, d.stdout).toBe(0);
    expect(d.stdout).toMatch(/: no difference \(0 regressions/);
    expect(d.stdout).toMatch(/verdict: no regression \(exit 0\)/);
  }, 240_000);

  it('realtime: 3 + 3 short runs, interleaved, quota on: verdict "no regression", latency tested', async () => {
    const dirs: Record<'a' | 'b', string[]> = { a: [], b: [] };
    for (let i = 0; i < 3; i++) {
      for (const side of ['a', 'b'] as const) {
        const out = join(dir, `rt-${side}${i}`);
        const r = await sheetsim(['run', '--speed', '20', ...TRACE, '--out', out]);
        expect(r.code, r.stderr).toBe(0);
        dirs[side].push(out);
      }
    }
    const d = await sheetsim(['diff', '--no-color', ...dirs.a.flatMap((x) => ['--base', x]), ...dirs.b.flatMap((x) => ['--head', x])]);
    expect(d.stdout).toMatch(/3 \+ 3 realtime runs/);
    expect(d.stdout).toMatch(/Family-wise α = 0\.01 over [1-9]\d* tests/);
    expect(d.stdout).toMatch(/verdict: no regression \(exit 0\)/);
    expect(d.code, d.stdout).toBe(0);
  }, 400_000);
});
