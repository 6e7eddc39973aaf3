import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../simulator/cli/command.ts';
import { DEFAULT_DIFF_OPTIONS, diffRuns } from '../../simulator/diff/compare.ts';
import { renderDiffHtml, renderDiffMarkdown, renderDiffTerminal } from '../../simulator/diff/render.ts';
import { writeFixtureDir } from '../report/fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'sheetsim-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('diffRuns on constructed runs', () => {
  it('two copies of one run: no difference, every p95 change "~"', async () => {
    writeFixtureDir(join(dir, 'a1'), { mode: 'exact' });
    writeFixtureDir(join(dir, 'a2'), { mode: 'exact' });
    const r = await diffRuns(join(dir, 'a1'), join(dir, 'a2'));
    expect(r).toMatchObject({ verdict: 'ok', digestSame: true, divergent: 0, firstDivergence: null, findings: [] });
    expect(r.scenarios.every((s) => s.latency && !s.latency.significant)).toBe(true);
    expect(renderDiffTerminal(r, { color: false })).toMatch(/no difference[\s\S]*~[\s\S]*verdict: no regression/);
  });

  it('exact mode: +1 Sheets call per FINALIZAR is a regression naming the scenarios and the method; the reverse an improvement', async () => {
    writeFixtureDir(join(dir, 'b'), { events: 1500, mode: 'exact' });
    writeFixtureDir(join(dir, 'h'), { events: 1500, mode: 'exact', digest: 'e'.repeat(64), finalizarCalls: 3 });
    const r = await diffRuns(join(dir, 'b'), join(dir, 'h'));
    expect(r.verdict).toBe('regression');
    const arm = r.scenarios.find((s) => s.name === 'finalizar_arm_10')!;
    expect(arm.sheetsCalls).toMatchObject({ base: 2, head: 3 });
    const regressions = r.findings.filter((f) => f.kind === 'regression').map((f) => f.text);
    for (const name of ['finalizar_arm_10', 'finalizar_sold_5', 'finalizar_arm_50']) {
      expect(regressions).toContain(`${name}: Sheets calls per operation 2 → 3 (+1 values.append per operation)`);
    }
    expect(regressions.some((t) => /^(iniciar|metricas|disponibles)/.test(t))).toBe(false);
    const back = await diffRuns(join(dir, 'h'), join(dir, 'b'));
    expect(back.verdict).toBe('ok');
    expect(back.findings.filter((f) => f.kind === 'improvement')).toHaveLength(3);
  });

  it('realtime, one run per side: latency is not tested and a count change is only a change', async () => {
    writeFixtureDir(join(dir, 'r1'), { events: 1500, status429: 12 });
    writeFixtureDir(join(dir, 'r2'), { events: 1500, latencyFactor: 1.5, finalizarCalls: 3 });
    const r = await diffRuns(join(dir, 'r1'), join(dir, 'r2'));
    expect(r.method.comparisons).toBe(0);
    expect(r.scenarios.every((s) => s.latency && !s.latency.significant && /^not tested: 1 vs 1 runs/.test(s.latency.note ?? ''))).toBe(true);
    expect(r.findings).toContainEqual({ kind: 'change', text: expect.stringMatching(/^latency not tested: 1 vs 1 runs/) });
    expect(r.findings).toContainEqual({ kind: 'change', text: expect.stringMatching(/^finalizar_arm_10: Sheets calls per operation 2 → 3 over 1 \+ 1 runs \(does not hold across runs/) });
    expect(r.verdict).toBe('ok');
  });

  it('realtime, 3 runs per side with run-to-run shifts: A/A passes, ×1.5 latency and +1 call in every run are regressions', async () => {
    const shifts = [0.9, 1.12, 1.0];
    const runs = (prefix: string, extra: Parameters<typeof writeFixtureDir>[1] = {}) =>
      shifts.map((runShift, i) => {
        writeFixtureDir(join(dir, `${prefix}${i}`), { events: 1500, noiseSeed: prefix.length * 10 + i, runShift, ...extra });
        return join(dir, `${prefix}${i}`);
      });
    const a = runs('aa');
    const b = runs('bbb');
    const same = await diffRuns(a, b);
    expect(same.method.comparisons).toBe(6);
    expect(same.verdict).toBe('ok');
    expect(same.scenarios.filter((s) => s.latency?.significant)).toEqual([]);
    const slow = runs('cccc', { latencyFactor: 1.5, finalizarCalls: 3 });
    const r = await diffRuns(a, slow);
    expect(r.verdict).toBe('regression');
    expect(r.scenarios.every((s) => s.latency?.tested === 'p95' || s.latency?.tested === 'p50')).toBe(true);
    expect(r.findings).toContainEqual({ kind: 'regression', text: expect.stringMatching(/^finalizar_arm_10: p95 .* \(\+\d+\.\d%, above the \+10\.0% limit\)$/) });
    expect(r.findings).toContainEqual({ kind: 'regression', text: expect.stringMatching(/^finalizar_sold_5: Sheets calls per operation 2 → 3 over 3 \+ 3 runs .*in every run$/) });
  });

  it('quantiles need enough events: no p95 below 100 events, "too few events" below 10', async () => {
    writeFixtureDir(join(dir, 'few1'), { events: 40, mode: 'exact' });
    writeFixtureDir(join(dir, 'few2'), { events: 40, mode: 'exact', latencyFactor: 2, digest: 'f'.repeat(64) });
    const r = await diffRuns(join(dir, 'few1'), join(dir, 'few2'));
    for (const s of r.scenarios) {
      expect(s.latency!.base.p95).toBeNull();
      if (s.latency!.n.base < 10) expect(s.latency!.note).toBe('too few events');
      else expect(s.latency!.tested).toBe('p50');
    }
  });

  it('exact mode: +200 ms of compute on FINALIZAR is a regression on the FINALIZAR scenarios only; noise alone is not', async () => {
    const compute = { finalizar: 20, iniciar: 15, disponibles: 5, metricas: 5 };
    const run = (name: string, noiseSeed: number, c = compute) => {
      writeFixtureDir(join(dir, name), { events: 1500, mode: 'exact', noiseSeed, computeMs: c });
      return join(dir, name);
    };
    const base = [run('cb0', 1), run('cb1', 2), run('cb2', 3)];
    const same = await diffRuns(base, [run('ca0', 4), run('ca1', 5), run('ca2', 6)]);
    expect(same.findings.filter((f) => /compute/.test(f.text))).toEqual([]);
    const slow = { ...compute, finalizar: 220 };
    const r = await diffRuns(base, [run('cs0', 7, slow), run('cs1', 8, slow), run('cs2', 9, slow)]);
    expect(r.verdict).toBe('regression');
    const flagged = r.findings.filter((f) => f.kind === 'regression' && /backend compute time/.test(f.text)).map((f) => f.text.split(':')[0]).sort();
    expect(flagged).toEqual(['finalizar_arm_10', 'finalizar_arm_50', 'finalizar_sold_5']);
  });

  it('refuses runs made with other settings (exit-2 error) unless forced, and gives no verdict from an invalid run', async () => {
    writeFixtureDir(join(dir, 's1'), { events: 200, runOptions: { quota: 'on' } });
    writeFixtureDir(join(dir, 's2'), { events: 200, runOptions: { quota: 'off' } });
    await expect(diffRuns(join(dir, 's1'), join(dir, 's2'))).rejects.toThrow(/different quota: .* has quota on, head .* has off/);
    const forced = await diffRuns(join(dir, 's1'), join(dir, 's2'), { ...DEFAULT_DIFF_OPTIONS, force: true });
    expect(forced.verdict).toBe('ok');
    writeFixtureDir(join(dir, 'bad'), { events: 200, runOptions: { quota: 'on' }, invalid: 'the target died at 12 s' });
    const r = await diffRuns(join(dir, 's1'), join(dir, 'bad'));
    expect(r.verdict).toBe('invalid');
    expect(renderDiffTerminal(r, { color: false })).toMatch(/no verdict: .*bad is an invalid run: the target died at 12 s[\s\S]*verdict: none/);
  });

  it('realtime: a run whose replayer was a bottleneck is named, as sheetsim\'s delay and not the build\'s', async () => {
    const saturated = { eventLoopDelayP99Ms: 19.5, eventLoopDelayMaxMs: 28.2, eventLoopUtilization: 0.98, saturatedShare: 0.92, bottleneck: true };
    const healthy = { eventLoopDelayP99Ms: 2.1, eventLoopDelayMaxMs: 8, eventLoopUtilization: 0.2, saturatedShare: 0, bottleneck: false };
    writeFixtureDir(join(dir, 'rb'), { events: 200, replayer: healthy });
    writeFixtureDir(join(dir, 'rh'), { events: 200, replayer: saturated });
    const r = await diffRuns(join(dir, 'rb'), join(dir, 'rh'));
    const named = r.findings.filter((f) => /the replayer itself was a bottleneck/.test(f.text));
    expect(named).toEqual([{ kind: 'change', text: `${join(dir, 'rh')}: the replayer itself was a bottleneck (event loop saturated (≥ 95 % busy) 92 % of the replay, busy 98 % overall; event-loop delay p99 19.5 ms (max 28.2 ms)): its latencies include sheetsim's own delay, so a latency change between the sides may be sheetsim's, not the build's` }]);
    // Exact mode's latencies are modelled: the replayer's loop does not enter them.
    writeFixtureDir(join(dir, 'eb'), { events: 200, mode: 'exact', replayer: saturated });
    writeFixtureDir(join(dir, 'eh'), { events: 200, mode: 'exact', replayer: saturated });
    expect((await diffRuns(join(dir, 'eb'), join(dir, 'eh'))).findings).toEqual([]);
  });

  it('finds the first event answered differently', async () => {
    const base = writeFixtureDir(join(dir, 'd1'), { mode: 'exact', digest: '1'.repeat(64) });
    const head = writeFixtureDir(join(dir, 'd2'), { mode: 'exact', digest: '2'.repeat(64), errorRate: 0.05 });
    const first = base.events.find((e, i) => e.status !== head.events[i]!.status)!;
    const r = await diffRuns(join(dir, 'd1'), join(dir, 'd2'));
    expect(r.digestSame).toBe(false);
    expect(r.firstDivergence).toMatchObject({ seq: first.seq, scenario: first.scenario, base: { status: first.status }, head: { status: head.events[first.seq]!.status } });
    expect(r.verdict).toBe('regression');
    // What both sides were asked heads the section; its columns hold only the two answers.
    const md = renderDiffMarkdown(r);
    expect(md).toContain(`#### First divergent event: seq ${first.seq} (${first.scenario}, worker ${first.worker}, t ${first.t} ms): `);
    expect(md).toMatch(new RegExp(`\\| answer \\| ${first.status} [^|]*\\| ${head.events[first.seq]!.status} `));
    expect(r.findings[0]).toMatchObject({ kind: 'change', text: expect.stringMatching(/^outcome digest changed: \d+ events answered differently/) });
    const headBySeq = new Map(head.events.map((e) => [e.seq, e]));
    const errors = base.events.filter((e) => headBySeq.get(e.seq)?.status === 503 && e.status !== 503).length;
    expect(errors).toBeGreaterThan(0);
    expect(r).toMatchObject({ divergent: errors, worse: errors, better: 0 });
    expect(r.findings).toContainEqual({ kind: 'regression', text: `${errors} events answered worse (an expect met in base is missed, or a worse status class)` });
    // The other way round the same events are answered better: a change, not a regression.
    const back = await diffRuns(join(dir, 'd2'), join(dir, 'd1'));
    expect(back).toMatchObject({ worse: 0, better: errors, verdict: 'ok' });
    expect(back.findings).toContainEqual({ kind: 'improvement', text: `${errors} events answered better` });
  });

  it('refuses runs of different traces, naming both hashes', async () => {
    writeFixtureDir(join(dir, 't1'), { events: 20, traceSha: 'a'.repeat(64) });
    writeFixtureDir(join(dir, 't2'), { events: 20, traceSha: 'b'.repeat(64) });
    const p = diffRuns(join(dir, 't1'), join(dir, 't2'));
    await expect(p).rejects.toBeInstanceOf(InputError);
    await expect(diffRuns(join(dir, 't1'), join(dir, 't2'))).rejects.toThrow(new RegExp(`${'a'.repeat(64)}.*${'b'.repeat(64)}`));
  });

  it('Markdown and HTML escape names that carry markup', async () => {
    const evil = '<img src=x onerror=alert(1)>|';
    writeFixtureDir(join(dir, 'e1'), { events: 60, mode: 'exact', scenarioNames: [evil] });
    writeFixtureDir(join(dir, 'e2'), { events: 60, mode: 'exact', scenarioNames: [evil], finalizarCalls: 3 });
    const r = await diffRuns(join(dir, 'e1'), join(dir, 'e2'));
    const md = renderDiffMarkdown(r);
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;\\|');
    expect(md).toMatch(/^### ❌ sheetsim diff/);
    const html = renderDiffHtml(r);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;|');
  });
});
