// A/A: pairs of realtime runs of one trace against one build. The diff's latency test (paired moving-block
// bootstrap of the p95 ratio, family-wise α = 0.01 with Bonferroni across scenarios, 5 % minimum effect) may
// flag a significant p95 change in at most 1 of 10 pairs.
//
// The runs use --quota off: under quota saturation whole runs shift with the timing of quota windows, and the
// diff declines to test latency there (see unstableRegime). Both sides of a pair run at the same time, so
// whatever else loads the machine loads both alike.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { diffRuns } from '../../simulator/diff/compare.ts';
import { readReport } from '../../simulator/report/read.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/sheetsim.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sheetsim-aa-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PAIRS = 10;
const ARGS = ['run', '--duration', '2m', '--workers', '20', '--spools', '200', '--speed', '30', '--quota', 'off', '--warn-only'];

describe('A/A realtime runs', () => {
  it(`flag a significant p95 change in at most 1 of ${PAIRS} pairs`, async () => {
    let flagged = 0;
    let tested = 0;
    for (let i = 0; i < PAIRS; i++) {
      const [a, b] = [join(dir, `${i}a`), join(dir, `${i}b`)];
      await Promise.all([a, b].map((out) => run('node', [BIN, ...ARGS, '--out', out], { cwd: dir, maxBuffer: 16 << 20 })));
      for (const side of [a, b]) expect((await readReport(side)).sheets.status429).toBe(0);
      const r = await diffRuns(a, b);
      tested += r.method.comparisons;
      if (r.scenarios.some((s) => s.latency?.significant)) flagged++;
    }
    expect(tested).toBeGreaterThanOrEqual(PAIRS);
    expect(flagged).toBeLessThanOrEqual(1);
  }, 600_000);
});
