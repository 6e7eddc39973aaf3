// `sheetsim report DIR`: re-evaluates the gates and prints, never rewrites the run's own report.json.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.ts';
import { readReport } from '../../simulator/report/read.ts';
import { writeFixtureDir } from '../report/fixture.ts';

const root = mkdtempSync(join(tmpdir(), 'sheetsim-report-cmd-'));
const run = join(root, 'run');

const sheetsim = (argv: string[]) => runCli(argv, { env: {}, cwd: root });

const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

beforeAll(() => {
  writeFixtureDir(run, { events: 40 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sheetsim report', () => {
  it('re-evaluates and prints without touching the run folder', async () => {
    const before = snapshot(run);
    const r = await sheetsim(['report', '--no-gates', 'run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/requests 40/);
    expect(snapshot(run)).toEqual(before);
    writeFileSync(join(root, 'strict.json'), JSON.stringify({ 'PERF-02': { threshold: 0.001 } }));
    const strict = await sheetsim(['report', '--gates', 'strict.json', 'run']);
    expect(strict.stdout).toMatch(/FAIL PERF-02/);
    expect(strict.code).toBe(1);
    expect(snapshot(run)).toEqual(before);
  });

  it('--out writes a complete, valid report folder with the new verdicts', async () => {
    const before = snapshot(run);
    const r = await sheetsim(['report', '--no-gates', '--out', 'rerendered', 'run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`report: ${join(root, 'rerendered')}\n`);
    expect(readdirSync(join(root, 'rerendered')).sort()).toEqual(['events.jsonl', 'metrics.csv', 'report.html', 'report.json', 'scenarios.csv', 'summary.md', 'timeline.csv']);
    expect((await readReport(join(root, 'rerendered'))).gates).toEqual([]);
    expect(readFileSync(join(root, 'rerendered', 'events.jsonl'), 'utf8')).toBe(before['events.jsonl']);
    expect(snapshot(run)).toEqual(before);
  });

  it('refuses --out naming the run folder itself (exit 2, one line)', async () => {
    const r = await sheetsim(['report', '--out', './run', 'run']);
    expect(r).toMatchObject({ code: 2, stderr: "sheetsim report: --out ./run is the run folder itself; its report.json is the run's record and is not rewritten (choose another folder)\n" });
  });
});
