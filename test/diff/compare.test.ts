import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../simulator/cli/command.ts';
import { diffRuns } from '../../simulator/diff/compare.ts';
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

  it('slower and chattier head: regression with the right direction, and the reverse is an improvement', async () => {
    writeFixtureDir(join(dir, 'b'), { events: 1500 });
    writeFixtureDir(join(dir, 'h'), { events: 1500, latencyFactor: 1.5, finalizarCalls: 3 });
    const r = await diffRuns(join(dir, 'b'), join(dir, 'h'));
    expect(r.verdict).toBe('regression');
    const arm = r.scenarios.find((s) => s.name === 'finalizar_arm_10')!;
    expect(arm.sheetsCalls).toMatchObject({ base: 2, head: 3 });
    expect(arm.latency!.significant).toBe(true);
    expect(arm.latency!.change.p95).toBeCloseTo(0.5, 1);
    expect(r.findings).toContainEqual({ kind: 'regression', text: expect.stringMatching(/^finalizar_arm_10: p95 .* \(\+(49|50)\.\d%, above the \+10\.0% limit\)$/) });
    const back = await diffRuns(join(dir, 'h'), join(dir, 'b'));
    expect(back.verdict).toBe('ok');
    expect(back.findings.filter((f) => f.kind === 'improvement').length).toBeGreaterThan(3);
  });

  it('does not test latency between realtime runs that hit the quota, and says why', async () => {
    writeFixtureDir(join(dir, 'q1'), { events: 1500, status429: 12 });
    writeFixtureDir(join(dir, 'q2'), { events: 1500, latencyFactor: 1.5 });
    const r = await diffRuns(join(dir, 'q1'), join(dir, 'q2'));
    expect(r.method.comparisons).toBe(0);
    expect(r.scenarios.every((s) => s.latency && !s.latency.significant && /^not tested: 12 Sheets 429s/.test(s.latency.note ?? ''))).toBe(true);
    expect(r.findings).toContainEqual({ kind: 'change', text: expect.stringMatching(/^latency not tested: 12 Sheets 429s/) });
    expect(r.verdict).toBe('ok');
  });

  it('finds the first event answered differently', async () => {
    const base = writeFixtureDir(join(dir, 'd1'), { mode: 'exact', digest: '1'.repeat(64) });
    const head = writeFixtureDir(join(dir, 'd2'), { mode: 'exact', digest: '2'.repeat(64), errorRate: 0.05 });
    const first = base.events.find((e, i) => e.status !== head.events[i]!.status)!;
    const r = await diffRuns(join(dir, 'd1'), join(dir, 'd2'));
    expect(r.digestSame).toBe(false);
    expect(r.firstDivergence).toMatchObject({ seq: first.seq, scenario: first.scenario, base: { status: first.status }, head: { status: head.events[first.seq]!.status } });
    expect(r.verdict).toBe('regression');
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
    writeFixtureDir(join(dir, 'e1'), { events: 60, scenarioNames: [evil] });
    writeFixtureDir(join(dir, 'e2'), { events: 60, scenarioNames: [evil], finalizarCalls: 3 });
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
