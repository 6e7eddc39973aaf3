import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../simulator/trace/types.ts';
import { defaultTraceOptions, profileEvents, traceHeader, type TraceOptions } from '../../simulator/workload/profiles.ts';
import { CHOICE_WEIGHTS, CHOICES, emptyStats } from '../../simulator/workload/scenarios.ts';
import { MAX_N_UNION, generateWorld } from '../../simulator/workload/world.ts';
import { ContractChecker } from './contract-checker.ts';

function trace(over: Partial<TraceOptions> = {}) {
  const header = traceHeader({ ...defaultTraceOptions, ...over });
  const stats = emptyStats();
  const events = [...profileEvents(header, stats)];
  return { header, stats, events, world: generateWorld(header.world) };
}

const base = trace();
const conflictHeavy = trace({ seed: 5, conflicts: 0.3, workers: 60 });

describe('zeues profile', () => {
  it('events are in (t, seq) order, seq 0.. contiguous, within the duration', () => {
    base.events.forEach((e, i) => {
      expect(e.seq).toBe(i);
      if (i > 0) expect(e.t).toBeGreaterThanOrEqual(base.events[i - 1]!.t);
      expect(e.t).toBeLessThan(defaultTraceOptions.durationMs);
    });
    expect(base.events.length).toBeGreaterThan(1000);
  });

  it('think time between a worker’s requests is 5–15 s (integer ms); each worker starts within the first 5 s', () => {
    const last = new Map<number, number>();
    for (const e of [...base.events, ...conflictHeavy.events.map((x) => ({ ...x, worker: x.worker + 1000 }))]) {
      expect(Number.isInteger(e.t)).toBe(true);
      const prev = last.get(e.worker);
      if (prev === undefined) expect(e.t).toBeLessThanOrEqual(5000);
      else {
        expect(e.t - prev).toBeGreaterThanOrEqual(5000);
        expect(e.t - prev).toBeLessThanOrEqual(15000);
      }
      last.set(e.worker, e.t);
    }
    expect(last.size).toBe(40 + 60);
  });

  it('every event references tags, unions and workers of the world, unless it is a deliberate conflict with its expect', () => {
    for (const { events, world } of [base, conflictHeavy]) {
      const tags = new Map(world.spools.map((s) => [s.tag, new Set(s.unions.map((u) => u.id))]));
      const workers = new Map(world.workers.map((w) => [w.id, w]));
      let unknown = 0;
      for (const e of events) {
        const body = e.req.body as Record<string, unknown> | undefined;
        const tag = body ? String(body.tag_spool) : /\/uniones\/([^/]+)\//.exec(e.req.path)![1]!;
        expect(e.expect).toBeDefined();
        if (!tags.has(tag)) {
          unknown += 1;
          expect(Number(tag.slice(3))).toBeGreaterThan(base.world.spools.length);
          expect(e.expect!.status).toBe(404);
          continue;
        }
        if (body) {
          const w = workers.get(body.worker_id as number);
          expect(w?.active).toBe(true);
          if (e.op === 'iniciar') expect(body.worker_nombre).toBe(w!.token);
          for (const id of (body.selected_unions as string[] | undefined) ?? []) {
            expect(id).toMatch(/^OT-\d{3,}\+[1-9]\d*$/);
            expect(tags.get(tag)!.has(id)).toBe(true);
          }
        }
        if (e.expect!.status !== 200) expect([403, 409]).toContain(e.expect!.status); // the other conflicts
      }
      expect(unknown).toBeGreaterThan(0);
    }
  });

  it('a FINALIZAR that is not a conflict follows that worker’s INICIAR of the same spool, with the operation it took', () => {
    const lastIniciar = new Map<number, TraceEvent>();
    for (const e of base.events) {
      if (e.op === 'iniciar' && e.expect!.status === 200) lastIniciar.set(e.worker, e);
      if (e.op === 'finalizar' && e.expect!.status === 200) {
        const ini = lastIniciar.get(e.worker)!;
        const b = e.req.body as Record<string, unknown>;
        const ib = ini.req.body as Record<string, unknown>;
        expect(b.tag_spool).toBe(ib.tag_spool);
        expect(b.operacion).toBe(ib.operacion);
        expect(Object.keys(b)).toEqual(['tag_spool', 'worker_id', 'operacion', 'selected_unions']);
        const n = (b.selected_unions as string[]).length;
        const max = { finalizar_arm_10: 10, finalizar_sold_5: 5, finalizar_arm_50: MAX_N_UNION, finalizar_cancel: 0 }[e.scenario]!;
        expect(n).toBeLessThanOrEqual(max);
        if (e.scenario === 'finalizar_cancel') expect(e.expect!.action_taken).toBe('CANCELADO');
        else expect(n).toBeGreaterThan(0);
        if (e.scenario === 'finalizar_arm_50') {
          // The original suite's 50 unions cannot exist in the real model (N_UNION 1..20): a whole 20-union spool.
          expect(n).toBe(MAX_N_UNION);
          expect(e.expect!.action_taken).toBe('COMPLETAR');
        }
        lastIniciar.delete(e.worker);
      }
    }
  });

  it('an in-memory replay through an independent reading of docs/contract.md meets every expect', () => {
    for (const t of [base, conflictHeavy, trace({ seed: 9, workers: 100, durationMs: 600_000, spools: 300 })]) {
      const checker = new ContractChecker(t.world.workbook);
      const statuses = new Set<string>();
      for (const e of t.events) {
        const got = checker.answer(e);
        expect({ seq: e.seq, ...got }).toEqual({ seq: e.seq, ...e.expect });
        statuses.add(`${got.status}${got.action_taken ? ` ${got.action_taken}` : ''}`);
      }
      expect(statuses).toContain('200 PAUSAR');
      expect(statuses).toContain('200 COMPLETAR');
      expect(statuses).toContain('200 CANCELADO');
    }
    expect(new Set(conflictHeavy.events.map((e) => e.expect!.status))).toEqual(new Set([200, 403, 404, 409]));
  });

  it('deliberate conflicts are about the requested share of choices', () => {
    const { stats } = conflictHeavy;
    const choices = CHOICES.reduce((a, c) => a + stats.drawn[c], 0);
    const conflicts = Object.values(stats.conflicts).reduce((a, b) => a + b, 0);
    // 0.3 requested; binomial sd at ~1,500 choices is ~1.2 points: 5 points of tolerance.
    expect(Math.abs(conflicts / choices - 0.3)).toBeLessThan(0.05);
    expect(trace({ conflicts: 0 }).events.every((e) => e.expect!.status === 200)).toBe(true);
  });

  it('choices converge to 3:2:1:1:1:1', () => {
    // Drawn choices over a long trace (~20,000 draws): each share within 1.5 points of its target (sd <= 0.35).
    const long = trace({ workers: 200, durationMs: 20 * 60_000, spools: 200 });
    const total = CHOICES.reduce((a, c) => a + long.stats.drawn[c], 0);
    expect(total).toBeGreaterThan(15_000);
    const w = CHOICE_WEIGHTS.reduce((a, b) => a + b, 0);
    CHOICES.forEach((c, i) => expect(Math.abs(long.stats.drawn[c] / total - CHOICE_WEIGHTS[i]! / w)).toBeLessThan(0.015));
    // Realised choices, in a world with enough work that nothing is re-drawn (5,000 spools, 250 of 50 unions):
    // each share within 4 points of its target over ~1,800 choices (sd <= 1.1 points).
    const roomy = trace({ workers: 100, spools: 5000, conflicts: 0 });
    expect(CHOICES.map((c) => roomy.stats.redraws[c])).toEqual([0, 0, 0, 0, 0, 0]);
    const realised = CHOICES.reduce((a, c) => a + roomy.stats.realised[c], 0);
    CHOICES.forEach((c, i) => expect(Math.abs(roomy.stats.realised[c] / realised - CHOICE_WEIGHTS[i]! / w)).toBeLessThan(0.04));
  });

  it('re-draws when no spool fits: a 100-spool world runs out of 50-union spools, then ARM work; the default world does not', () => {
    const small = trace({ spools: 100 });
    expect(small.stats.redraws.finalizar_arm_50).toBeGreaterThan(0);
    expect(small.stats.firstRedrawMs.finalizar_arm_50).toBeLessThan(small.stats.firstRedrawMs.finalizar_arm_10 ?? Infinity);
    expect(small.stats.redraws.disponibles_arm + small.stats.redraws.metricas).toBe(0);
    expect(Object.values(base.stats.redraws).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('any parameter change gives different events; the same parameters the same events', () => {
    const again = trace();
    expect(again.events).toEqual(base.events);
    for (const over of [{ seed: 43 }, { workers: 41 }, { spools: 101 }, { payroll: 99 }, { conflicts: 0.06 }, { startDate: '2026-03-03' }]) {
      const other = traceHeader({ ...defaultTraceOptions, ...over });
      expect(other).not.toEqual(base.header);
    }
    expect(trace({ seed: 43 }).events).not.toEqual(base.events);
  });
});
