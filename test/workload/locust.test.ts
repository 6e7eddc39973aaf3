import { describe, expect, it } from 'vitest';
import { defaultTraceOptions, profileEvents, traceHeader } from '../../simulator/workload/profiles.ts';
import { emptyStats } from '../../simulator/workload/scenarios.ts';
import { generateWorld } from '../../simulator/workload/world.ts';
import { ContractChecker } from './contract-checker.ts';

const header = traceHeader({ ...defaultTraceOptions, profile: 'locust' });
const events = [...profileEvents(header, emptyStats())];

describe('locust profile (the original locustfile as written)', () => {
  it('sends its exact bodies, random tags OT-001…OT-100 and one worker id 1–100 per user', () => {
    const idOf = new Map<number, number>();
    for (const e of events) {
      const b = e.req.body as Record<string, unknown> | undefined;
      const tag = b ? String(b.tag_spool) : /\/uniones\/([^/]+)\//.exec(e.req.path)![1]!;
      expect(tag).toMatch(/^OT-(0\d[1-9]|0[1-9]0|100)$/);
      if (!b) continue;
      const id = b.worker_id as number;
      expect(id).toBeGreaterThanOrEqual(1);
      expect(id).toBeLessThanOrEqual(100);
      if (idOf.has(e.worker)) expect(idOf.get(e.worker)).toBe(id);
      idOf.set(e.worker, id);
      expect(b.worker_nombre).toBe(`WORKER${id}`);
      if (e.op === 'finalizar') {
        expect(Object.keys(b)).toEqual(['tag_spool', 'union_ids', 'worker_id', 'worker_nombre', 'operacion', 'fecha_operacion']);
        const n = { finalizar_arm_10: 10, finalizar_sold_5: 5, finalizar_arm_50: 50 }[e.scenario]!;
        expect(b.union_ids).toEqual(Array.from({ length: n }, (_, i) => `${tag}+${i + 1}`));
        expect(b.operacion).toBe(e.scenario === 'finalizar_sold_5' ? 'SOLD' : 'ARM');
        expect(b.fecha_operacion).toBe('2026-03-02');
      } else {
        expect(Object.keys(b)).toEqual(['tag_spool', 'worker_id', 'worker_nombre', 'operacion']);
        expect(['ARM', 'SOLD']).toContain(b.operacion);
      }
    }
  });

  it('its expect is what the contract answers (union_ids is ignored: owned spools are CANCELADO, most FINALIZARs 403)', () => {
    const checker = new ContractChecker(generateWorld(header.world).workbook);
    const outcomes: Record<string, number> = {};
    for (const e of events) {
      const got = checker.answer(e);
      expect({ seq: e.seq, ...got }).toEqual({ seq: e.seq, ...e.expect });
      const k = `${e.op} ${got.status}${got.action_taken ? ` ${got.action_taken}` : ''}`;
      outcomes[k] = (outcomes[k] ?? 0) + 1;
    }
    expect(Object.keys(outcomes).filter((k) => k.startsWith('finalizar 200')).every((k) => k === 'finalizar 200 CANCELADO')).toBe(true);
    expect(outcomes['finalizar 403']).toBeGreaterThan(outcomes['finalizar 200 CANCELADO'] ?? 0);
  });

  it('think time 5–15 s between a user’s tasks', () => {
    const last = new Map<number, number>();
    for (const e of events) {
      const prev = last.get(e.worker);
      if (prev !== undefined) {
        expect(e.t - prev).toBeGreaterThanOrEqual(5000);
        expect(e.t - prev).toBeLessThanOrEqual(15000);
      }
      last.set(e.worker, e.t);
    }
  });
});
