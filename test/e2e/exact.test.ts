import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, digestOf, readReport, smallTrace, tempDir } from './helpers.ts';

describe('sheetsim run --mode exact', () => {
  let dir: string;
  let trace: string;
  beforeAll(async () => {
    dir = tempDir();
    trace = await smallTrace(dir);
  });

  it('prints the same digest on three runs, another one when the backend profile changes, and --reproduce confirms it', async () => {
    const digests: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await cli(['run', '--mode', 'exact', '--trace', trace, '--out', join(dir, `exact-${i}`), '--no-gates']);
      expect(res.code, res.stderr).toBe(0);
      const d = digestOf(res.stdout);
      expect(d).not.toBeNull();
      digests.push(d!);
    }
    expect(new Set(digests).size).toBe(1);
    const report = readReport(join(dir, 'exact-0'));
    expect(report.digest).toBe(digests[0]);
    expect(report.run.mode).toBe('exact');
    expect(report.trace.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.sheets.available).toBe(true);
    expect(report.sheets.calls).toBeGreaterThan(0);
    const events = readFileSync(join(dir, 'exact-0', 'events.jsonl'), 'utf8').trim().split('\n');
    expect(events).toHaveLength(report.totals.requests);
    // every event's calls are known exactly, and they add up to the Sheets total
    const perEvent = events.map((l) => (JSON.parse(l) as { sheetsCalls: number }).sheetsCalls);
    expect(perEvent.every((n) => typeof n === 'number')).toBe(true);
    expect(perEvent.reduce((a, b) => a + b, 0)).toBe(report.sheets.calls);

    const zeues = await cli(['run', '--mode', 'exact', '--trace', trace, '--backend-profile', 'zeues', '--out', join(dir, 'exact-zeues'), '--no-gates']);
    expect(zeues.code, zeues.stderr).toBe(0);
    expect(digestOf(zeues.stdout)).not.toBe(digests[0]);

    const again = await cli(['run', '--reproduce', join(dir, 'exact-0'), '--out', join(dir, 'exact-repro')]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('reproduced: the digest matches');
    expect(digestOf(again.stdout)).toBe(digests[0]);
  });

  it('refuses --shard in exact mode and --mode exact on an external target without --sheets (exit 2)', async () => {
    const a = await cli(['run', '--mode', 'exact', '--trace', trace, '--shard', '0/2']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--shard');
    const b = await cli(['run', '--mode', 'exact', '--trace', trace, '--target', 'http://127.0.0.1:9']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--sheets');
  });

  it('names the file and line of a bad trace (exit 2)', async () => {
    const bad = join(dir, 'bad.jsonl');
    const lines = readFileSync(trace, 'utf8').split('\n');
    lines[2] = '{"seq": "x"}';
    (await import('node:fs')).writeFileSync(bad, lines.join('\n'));
    const res = await cli(['run', '--mode', 'exact', '--trace', bad, '--out', join(dir, 'bad-run')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/bad\.jsonl:3/);
  });

  it('refuses a truncated trace before starting anything, in realtime too (exit 2)', async () => {
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, readFileSync(trace, 'utf8').split('\n').slice(0, 4).join('\n') + '\n');
    const res = await cli(['run', '--trace', cut, '--speed', '100', '--out', join(dir, 'cut-run')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/cut\.jsonl: truncated after line 4 \(no footer\)/);
    expect(existsSync(join(dir, 'cut-run'))).toBe(false);
  });
});
