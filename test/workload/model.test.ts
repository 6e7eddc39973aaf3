import { describe, expect, it } from 'vitest';
import { WorldModel } from '../../simulator/workload/model.ts';
import { generateWorld } from '../../simulator/workload/world.ts';

const world = generateWorld({ seed: 42, spools: 60, workers: 30, startDate: '2026-03-02' });
const worker = world.workers.find((w) => w.active)!;

// A fresh model and a free spool with materials and at least three unions without ARM, occupied by `worker`.
function occupiedSpool() {
  const model = new WorldModel(world);
  const spool = model.spools.find((s) => s.hasMaterials && !s.stress && s.armAvailable >= 3)!;
  expect(model.iniciar({ tag_spool: spool.tag, worker_id: worker.id, worker_nombre: worker.token, operacion: 'ARM' })).toEqual({ status: 200 });
  const free = model.availableUnions(spool, 'ARM');
  return { model, spool, free };
}

describe('world model FINALIZAR', () => {
  it('a union named twice counts once', () => {
    const { model, spool, free } = occupiedSpool();
    const before = spool.armAvailable;
    const out = model.finalizar({ tag_spool: spool.tag, worker_id: worker.id, operacion: 'ARM', selected_unions: [free[0], free[0], free[1], free[0]] });
    expect(out).toEqual({ status: 200, action_taken: 'PAUSAR' });
    expect(spool.armAvailable).toBe(before - 2);
    expect(spool.armDoneCount).toBe(spool.unions.filter((u) => u.armDone).length);
    expect(spool.occupiedBy).toBe('');
  });

  it('ids that are not TAG+N with N written plainly are unknown (409, nothing changes)', () => {
    for (const bad of ['+01', '+0', '+1x', '+', '+99999999999', '+-1', '+1.0', ' +1']) {
      const { model, spool } = occupiedSpool();
      const before = spool.armAvailable;
      expect(model.finalizar({ tag_spool: spool.tag, worker_id: worker.id, operacion: 'ARM', selected_unions: [`${spool.tag}${bad}`] })).toEqual({ status: 409 });
      expect(spool.armAvailable).toBe(before);
      expect(spool.occupiedBy).toBe(worker.token);
    }
  });

  it('every available union selected completes the ARM', () => {
    const { model, spool, free } = occupiedSpool();
    expect(model.finalizar({ tag_spool: spool.tag, worker_id: worker.id, operacion: 'ARM', selected_unions: [...free, ...free] }))
      .toEqual({ status: 200, action_taken: 'COMPLETAR' });
    expect(spool.armAvailable).toBe(0);
  });
});
