import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, conflictFreeFixture, readReport, startPair } from './helpers.ts';

describe('sheetsim run --shard and sheetsim merge', () => {
  // No conflicts: the outcome does not depend on how the shards interleave, so the counts of a merged run and of a
  // single run must agree exactly.
  const fx = conflictFreeFixture();

  it('two shards on one shared mock, merged, count what one full run counts', async () => {
    const shared = await startPair(fx.trace, fx.servers);
    const common = ['--trace', fx.trace, '--target', shared.backendUrl, '--sheets', shared.mockUrl, '--speed', '20', '--no-gates'];
    const [a, b] = await Promise.all([
      cli(['run', ...common, '--shard', '0/2', '--out', join(fx.dir, 's0')]),
      cli(['run', ...common, '--shard', '1/2', '--out', join(fx.dir, 's1')]),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const merged = await cli(['merge', join(fx.dir, 's0'), join(fx.dir, 's1'), '--out', join(fx.dir, 'merged'), '--no-gates']);
    expect(merged.code, merged.stderr).toBe(0);

    const fresh = await startPair(fx.trace, fx.servers);
    const full = await cli(['run', '--trace', fx.trace, '--target', fresh.backendUrl, '--sheets', fresh.mockUrl, '--speed', '20', '--no-gates', '--out', join(fx.dir, 'full')]);
    expect(full.code, full.stderr).toBe(0);

    const m = readReport(join(fx.dir, 'merged'));
    const f = readReport(join(fx.dir, 'full'));
    const s0 = readReport(join(fx.dir, 's0'));
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
    const mergedEvents = readFileSync(join(fx.dir, 'merged', 'events.jsonl'), 'utf8').trim().split('\n');
    expect(mergedEvents).toHaveLength(f.totals.requests);
  });

  it('refuses to merge the same shard twice (exit 2)', async () => {
    const res = await cli(['merge', join(fx.dir, 's0'), join(fx.dir, 's0'), '--out', join(fx.dir, 'twice')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('shard 0/2');
  });
});
