import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, readReport, smallTrace, startPair, tempDir } from './helpers.ts';

describe('sheetsim run --shard and sheetsim merge', () => {
  let dir: string;
  let trace: string;
  const servers: FastifyInstance[] = [];

  beforeAll(async () => {
    dir = tempDir();
    // No conflicts: every worker's requests touch only its own spools, so the outcome does not depend on how
    // the shards interleave; the counts of a merged run and of a single run must then agree exactly.
    trace = await smallTrace(dir, { conflicts: 0 });
  });
  afterAll(async () => {
    for (const s of servers.reverse()) await s.close();
  });

  it('two shards on one shared mock, merged, count what one full run counts', async () => {
    const shared = await startPair(trace, servers);
    const common = ['--trace', trace, '--target', shared.backendUrl, '--sheets', shared.mockUrl, '--speed', '20', '--no-gates'];
    const [a, b] = await Promise.all([
      cli(['run', ...common, '--shard', '0/2', '--out', join(dir, 's0')]),
      cli(['run', ...common, '--shard', '1/2', '--out', join(dir, 's1')]),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const merged = await cli(['merge', join(dir, 's0'), join(dir, 's1'), '--out', join(dir, 'merged'), '--no-gates']);
    expect(merged.code, merged.stderr).toBe(0);

    const fresh = await startPair(trace, servers);
    const full = await cli(['run', '--trace', trace, '--target', fresh.backendUrl, '--sheets', fresh.mockUrl, '--speed', '20', '--no-gates', '--out', join(dir, 'full')]);
    expect(full.code, full.stderr).toBe(0);

    const m = readReport(join(dir, 'merged'));
    const f = readReport(join(dir, 'full'));
    const s0 = readReport(join(dir, 's0'));
    expect(s0.run.shard).toEqual({ index: 0, count: 2 });
    expect(s0.totals.requests).toBeLessThan(f.totals.requests);
    expect(m.run.mergedFrom).toHaveLength(2);
    expect(m.totals.requests).toBe(f.totals.requests);
    expect(m.totals.statuses).toEqual(f.totals.statuses);
    expect(m.totals.responseTime.count).toBe(f.totals.responseTime.count);
    for (const [name, s] of Object.entries(f.scenarios)) {
      expect(m.scenarios[name]?.count, name).toBe(s.count);
      expect(m.scenarios[name]?.statuses, name).toEqual(s.statuses);
      expect(m.scenarios[name]?.sheetsCalls?.total, name).toBe(s.sheetsCalls?.total);
      expect(m.scenarios[name]?.sheetsCalls?.byMethod, name).toEqual(s.sheetsCalls?.byMethod);
    }
    expect(m.sheets.calls).toBe(f.sheets.calls);
    expect(m.sheets.writes.total).toBe(f.sheets.writes.total);
    expect(m.sheets.byMethod).toEqual(f.sheets.byMethod);
    const mergedEvents = readFileSync(join(dir, 'merged', 'events.jsonl'), 'utf8').trim().split('\n');
    expect(mergedEvents).toHaveLength(f.totals.requests);
  });

  it('refuses to merge the same shard twice (exit 2)', async () => {
    const res = await cli(['merge', join(dir, 's0'), join(dir, 's0'), '--out', join(dir, 'twice')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('shard 0/2');
  });
});
