// `sheetsim run --threads N`: two threads replay what one thread replays, into one report and one events.jsonl.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventRecord, Report } from '../../simulator/report/model.ts';
import { cli, conflictFreeFixture, readEvents, readReport, startPair } from './helpers.ts';

describe('sheetsim run --threads', () => {
  // No conflicts: the outcome does not depend on how threads interleave.
  const fx = conflictFreeFixture();

  it('two threads count what one thread counts, every event once, each worker in trace order', async () => {
    const runs: Record<string, Report> = {};
    const events: Record<string, EventRecord[]> = {};
    for (const threads of ['1', '2']) {
      const pair = await startPair(fx.trace, fx.servers);
      const out = join(fx.dir, `t${threads}`);
      const res = await cli(['run', '--trace', fx.trace, '--target', pair.backendUrl, '--sheets', pair.mockUrl, '--speed', '20', '--no-gates', '--threads', threads, '--out', out]);
      expect(res.code, res.stderr).toBe(0);
      runs[threads] = readReport(out);
      events[threads] = readEvents(out);
    }
    const one = runs['1']!;
    const two = runs['2']!;
    expect(one.run.threads).toBe(1);
    expect(two.run.threads).toBe(2);
    expect(two.run.validity?.valid).toBe(true);
    expect(two.totals.requests).toBe(one.totals.requests);
    expect(two.totals.statuses).toEqual(one.totals.statuses);
    // The histograms hold every event of both threads.
    expect(two.totals.responseTime.count).toBe(two.totals.requests);
    expect(two.totals.lateness.count).toBe(two.totals.requests);
    expect(Object.keys(two.scenarios)).toEqual(Object.keys(one.scenarios));
    for (const [name, s] of Object.entries(one.scenarios)) {
      expect(two.scenarios[name]?.count, name).toBe(s.count);
      expect(two.scenarios[name]?.statuses, name).toEqual(s.statuses);
      expect(two.scenarios[name]?.sheetsCalls?.byMethod, name).toEqual(s.sheetsCalls?.byMethod);
    }
    expect(two.sheets.calls).toBe(one.sheets.calls);
    expect(two.sheets.byMethod).toEqual(one.sheets.byMethod);
    // The merged timeline: requests by intended second and their status classes, as one thread counted them. The
    // timeline also runs to the second of the last Sheets call, which is timed (at --speed 20 a 50 ms stall on a
    // loaded machine moves a call a simulated second on), so trailing seconds without requests are not compared.
    const perSecond = (r: Report) => {
      const points = r.timeline.map((p) => ({ s: p.s, requests: p.requests, errors: p.errors, statusClasses: p.statusClasses }));
      while (points.length > 0 && points.at(-1)!.requests === 0) points.pop();
      return points;
    };
    expect(perSecond(one).length).toBeGreaterThan(0);
    expect(perSecond(two)).toEqual(perSecond(one));
    // The report's figures are the merged threads' own: they agree with the lines the threads wrote.
    const latenessMax = Math.max(...events['2']!.map((e) => e.latenessMs));
    expect(two.totals.lateness.max).toBeCloseTo(latenessMax, 3);
    expect(events['2']!.length).toBe(two.totals.requests);
    expect(two.expectations.mismatches).toBe(one.expectations.mismatches);

    // events.jsonl: every seq of the trace exactly once.
    const seqs = events['2']!.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(events['1']!.map((e) => e.seq).sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    // A worker's events went out in trace order (each waits for the previous one's answer, so starts increase).
    const byWorker = new Map<number, EventRecord[]>();
    for (const e of events['2']!) byWorker.set(e.worker, [...(byWorker.get(e.worker) ?? []), e]);
    expect(byWorker.size).toBeGreaterThan(1);
    for (const [worker, list] of byWorker) {
      const bySeq = [...list].sort((a, b) => a.seq - b.seq).map((e) => e.seq);
      const byStart = [...list].sort((a, b) => a.startMs - b.startMs || a.seq - b.seq).map((e) => e.seq);
      expect(byStart, `worker ${worker}`).toEqual(bySeq);
    }
  });

  it('an interrupted threaded run stops every thread and writes a partial report (exit 130)', async () => {
    const pair = await startPair(fx.trace, fx.servers);
    const out = join(fx.dir, 'interrupted');
    const stop = new AbortController();
    // Interrupt mid-run (the trace takes 12 s at --speed 5).
    const timer = setTimeout(() => stop.abort(), 4000);
    const res = await cli(['run', '--trace', fx.trace, '--target', pair.backendUrl, '--sheets', pair.mockUrl, '--speed', '5', '--no-gates', '--threads', '2', '--out', out], { signal: stop.signal });
    clearTimeout(timer);
    expect(res.code, res.stderr).toBe(130);
    const r = readReport(out);
    expect(r.run.partial).toBe(true);
    const seqs = readEvents(out).map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.length).toBe(r.totals.requests);
    expect(r.totals.requests).toBeLessThan(r.trace.events);
  });

  it('refuses --threads 2 in exact mode, and bad counts, with exit 2 and one line', async () => {
    const pair = await startPair(fx.trace, fx.servers);
    const exact = await cli(['run', '--trace', fx.trace, '--mode', 'exact', '--target', pair.backendUrl, '--sheets', pair.mockUrl, '--threads', '2']);
    expect(exact).toMatchObject({ code: 2, stderr: 'sheetsim run: --threads is for realtime runs: exact mode replays one event at a time on one virtual clock\n' });
    expect(await cli(['run', '--trace', fx.trace, '--threads', '0'])).toMatchObject({ code: 2, stderr: 'sheetsim run: --threads must be between 1 and 256, got 0\n' });
    expect(await cli(['run', '--trace', fx.trace, '--threads', 'abc'])).toMatchObject({ code: 2, stderr: "sheetsim run: --threads expects a whole number, got 'abc'\n" });
  });
});
