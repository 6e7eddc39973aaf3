/**
 * The time model end to end (issue 9): a golden exact-mode digest, exact mode against realtime on the same
 * trace, and realtime at ×1 against ×10. The comparisons look at outcomes (status mix, Sheets calls, 429s) with
 * generous bounds, never at latency: this suite runs on a loaded 2-core CI machine.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../simulator/report/model.ts';
import { cli, digestOf, readEvents, readReport, smallTrace, tempDir } from './helpers.ts';

/**
 * `generate --seed 7 --duration 60s --workers 20` replayed in exact mode against the embedded lean backend,
 * realistic latency, quotas on (the defaults). It changes when anything that decides an outcome changes: the
 * world or trace generator, the mock's wire answers, latency or quota model, the backend's calls or bodies.
 * When such a change is intended, run this test, check the new outcome (report and events.jsonl) and update it.
 */
const GOLDEN_DIGEST = '6f67d8d06235168109218bd04422319ca7101d482d5bd7c0b039d21c20052370';

const share = (r: Report, status: string) => (r.totals.statuses[status] ?? 0) / r.totals.requests;
/** Admitted writes in each fixed minute from trace t = 0: what the quota (60 per minute) allowed. */
const admittedPerMinute = (r: Report): number[] => {
  const out: number[] = [];
  for (const p of r.timeline) out[Math.floor(p.s / 60)] = (out[Math.floor(p.s / 60)] ?? 0) + (p.sheetsWritesAdmitted ?? 0);
  return out;
};

describe('time model', () => {
  let dir: string;
  let trace: string;
  let exact: Report;
  beforeAll(async () => {
    dir = tempDir();
    trace = await smallTrace(dir, { workers: 20 });
    const res = await cli(['run', '--mode', 'exact', '--trace', trace, '--out', join(dir, 'exact'), '--no-gates']);
    expect(res.code, res.stderr).toBe(0);
    exact = readReport(join(dir, 'exact'));
  }, 120_000);

  it('gives the committed golden digest for a small trace, and the same one again', async () => {
    expect(exact.digest).toBe(GOLDEN_DIGEST);
    const again = await cli(['run', '--mode', 'exact', '--trace', trace, '--out', join(dir, 'exact-again'), '--no-gates']);
    expect(digestOf(again.stdout)).toBe(GOLDEN_DIGEST);
    // the run covers about the trace, not the sum of every event's latency
    expect(exact.run.simulatedDurationMs).toBeLessThan(90_000);
    expect(exact.run.warmup).toMatchObject({ status: 200 });
    expect(exact.run.warmup!.sheetsCalls).toBeGreaterThan(0);
    // the quota bites on this trace, and a write Google counts is one the quota admitted
    expect(exact.sheets.status429).toBeGreaterThan(0);
    // quota minutes start at trace t = 0: no minute of the run admitted more than the quota
    expect(Math.max(...admittedPerMinute(exact))).toBeLessThanOrEqual(60);
    expect(exact.sheets.writes.total).toBeGreaterThan(exact.sheets.writesAdmitted!.total);
  });

  it('shows a backend made 200 ms slower on FINALIZAR as compute in exact mode, with the same digest', async () => {
    process.env.SHEETSIM_BACKEND_DELAY = 'finalizar=200';
    let res;
    try {
      res = await cli(['run', '--mode', 'exact', '--trace', trace, '--out', join(dir, 'slow'), '--no-gates']);
    } finally {
      delete process.env.SHEETSIM_BACKEND_DELAY;
    }
    expect(res.code, res.stderr).toBe(0);
    expect(digestOf(res.stdout)).toBe(GOLDEN_DIGEST);
    const lines = readEvents(join(dir, 'slow'));
    const finalizar = lines.filter((e) => e.op === 'finalizar');
    expect(finalizar.length).toBeGreaterThan(0);
    // a timer of 200 ms fires no earlier than ~1 ms before its time; nothing bounds it from above on a loaded box
    for (const e of finalizar) expect(e.computeMs).toBeGreaterThanOrEqual(195);
    const slow = readReport(join(dir, 'slow'));
    expect(slow.scenarios.finalizar_arm_10!.responseParts!.compute.mean).toBeGreaterThanOrEqual(195);
    // the schedule moves by modelled time only: the same Sheets time per event as without the delay
    expect(slow.scenarios.finalizar_arm_10!.responseParts!.sheets).toEqual(exact.scenarios.finalizar_arm_10!.responseParts!.sheets);
  });

  it('realtime (×5) sees the outcomes exact mode predicts: status mix, Sheets writes and 429s', async () => {
    const res = await cli(['run', '--trace', trace, '--speed', '5', '--out', join(dir, 'rt5'), '--no-gates']);
    expect(res.code, res.stderr).toBe(0);
    const rt = readReport(join(dir, 'rt5'));
    expect(rt.totals.requests).toBe(exact.totals.requests);
    for (const status of new Set([...Object.keys(rt.totals.statuses), ...Object.keys(exact.totals.statuses)])) {
      expect(Math.abs(share(rt, status) - share(exact, status)), `share of ${status}`).toBeLessThan(0.15);
    }
    expect(rt.sheets.writes.total).toBeGreaterThan(exact.sheets.writes.total * 0.6);
    expect(rt.sheets.writes.total).toBeLessThan(exact.sheets.writes.total * 1.6);
    expect(rt.sheets.status429).toBeGreaterThan(0);
    // the mock's minute and the report's line up (±1 call for a write at the edge of a second)
    expect(Math.max(...admittedPerMinute(rt))).toBeLessThanOrEqual(62);
  });

  it('realtime ×1 and ×10 run the same experiment: status mix and Sheets calls agree', async () => {
    const short = await smallTrace(tempDir(), { workers: 20, durationMs: 20_000 });
    const x1 = await cli(['run', '--trace', short, '--speed', '1', '--out', join(dir, 'x1'), '--no-gates']);
    const x10 = await cli(['run', '--trace', short, '--speed', '10', '--out', join(dir, 'x10'), '--no-gates']);
    expect(x1.code, x1.stderr).toBe(0);
    expect(x10.code, x10.stderr).toBe(0);
    const a = readReport(join(dir, 'x1'));
    const b = readReport(join(dir, 'x10'));
    for (const status of new Set([...Object.keys(a.totals.statuses), ...Object.keys(b.totals.statuses)])) {
      expect(Math.abs(share(a, status) - share(b, status)), `share of ${status}`).toBeLessThan(0.15);
    }
    expect(b.sheets.writes.total).toBeGreaterThan(a.sheets.writes.total * 0.6);
    expect(b.sheets.writes.total).toBeLessThan(a.sheets.writes.total * 1.6);
    // reports are in simulated time at both speeds, and each names the warm-up it did before t = 0
    expect(b.run.simulatedDurationMs).toBeGreaterThan(15_000);
    expect(b.run.targetTimersScaled).toBe(true);
  }, 120_000);
});
