import type { TraceEvent, TraceHeader, TraceRequest } from '../trace/types.ts';
import { WorldModel, type Outcome, type SpoolState } from './model.ts';
import type { Random } from './random.ts';
import { CHOICE_WEIGHTS, CHOICES, type Choice, type GeneratorStats, type Scenario } from './scenarios.ts';
import { WorkerQueue } from './worker-queue.ts';
import { STRESS_UNIONS, type World, type WorldWorker } from './world.ts';

const INICIAR_PATH = '/api/v4/occupation/iniciar';
const FINALIZAR_PATH = '/api/v4/occupation/finalizar';

interface Pending {
  scenario: Scenario;
  spool: SpoolState;
  operacion: 'ARM' | 'SOLD';
  limit: number;
}

interface VirtualWorker {
  k: number;
  nextT: number;
  payroll: WorldWorker;
  pending: Pending | undefined;
}

// What a choice INICIARs before its FINALIZAR, and how many unions that FINALIZAR may select. The original suite's
// FINALIZAR ARM 50 cannot happen in the real model (N_UNION is 1..20): it completes a whole stress spool, 20 unions,
// the largest FINALIZAR production can see (docs/contract.md).
const PLANS: Partial<Record<Choice, { operacion: 'ARM' | 'SOLD'; limit: number }>> = {
  finalizar_arm_10: { operacion: 'ARM', limit: 10 },
  finalizar_sold_5: { operacion: 'SOLD', limit: 5 },
  finalizar_arm_50: { operacion: 'ARM', limit: STRESS_UNIONS },
};

/**
 * The zeues profile: stateful worker sessions against the world. Yields events in (t, seq) order; memory is one
 * record per virtual worker plus the world model, whatever the trace length.
 */
export function* zeuesEvents(header: TraceHeader, world: World, rng: Random, stats: GeneratorStats): Generator<TraceEvent> {
  const { workers, durationMs, conflicts, thinkMinMs, thinkMaxMs } = header.params;
  const model = new WorldModel(world);
  const active = world.workers.filter((w) => w.active);
  if (active.length === 0) throw new Error('the world has no active worker: nobody can INICIAR');
  const queue = new WorkerQueue<VirtualWorker>();
  const workerList: VirtualWorker[] = [];
  for (let k = 1; k <= workers; k++) {
    // Virtual worker k is an active payroll worker; with more virtual workers than payroll, ids repeat.
    const w: VirtualWorker = { k, nextT: rng.int(0, thinkMinMs), payroll: active[(k - 1) % active.length]!, pending: undefined };
    workerList.push(w);
    queue.push(w);
  }
  const unknownBase = Math.max(900, world.spools.length + 1);
  let seq = 0;

  const event = (w: VirtualWorker, op: TraceEvent['op'], scenario: Scenario, req: TraceRequest, expect: Outcome): TraceEvent => ({
    seq: seq++, t: w.nextT, worker: w.k, op, scenario, req,
    expect: expect.action_taken === undefined ? { status: expect.status } : { status: expect.status, action_taken: expect.action_taken },
  });
  const iniciarBody = (w: VirtualWorker, tag: string, operacion: string) => ({
    tag_spool: tag, worker_id: w.payroll.id, worker_nombre: w.payroll.token, operacion,
  });
  const finalizarBody = (w: VirtualWorker, tag: string, operacion: string, selected: string[]) => ({
    tag_spool: tag, worker_id: w.payroll.id, operacion, selected_unions: selected,
  });
  const unknownTag = () => `OT-${unknownBase + rng.int(0, 99)}`;
  const get = (path: string): TraceRequest => ({ method: 'GET', path });
  const post = (path: string, body: unknown): TraceRequest => ({ method: 'POST', path, body });

  // The choice a pending FINALIZAR closes: a standalone INICIAR ends with finalizar_cancel.
  const choiceOfPending = (p: Pending): Choice => (p.scenario === 'finalizar_cancel' ? 'iniciar' : p.scenario as Choice);

  function finalizarStep(w: VirtualWorker, p: Pending): TraceEvent {
    stats.realised[choiceOfPending(p)] += 1;
    const selected = p.limit === 0 ? [] : model.availableUnions(p.spool, p.operacion).slice(0, p.limit);
    const body = finalizarBody(w, p.spool.tag, p.operacion, selected);
    return event(w, 'finalizar', p.scenario, post(FINALIZAR_PATH, body), model.finalizar(body));
  }

  // A spool occupied by another payroll worker: a few random probes, then a scan (deterministic either way).
  function someoneElsesSpool(me: number): SpoolState | undefined {
    const occ = model.occupied;
    if (occ.size === 0) return undefined;
    for (let tries = 0; tries < 8; tries++) {
      const spool = model.spools[occ.at(rng.int(0, occ.size - 1))]!;
      if (spool.ownerId !== me) return spool;
    }
    const others = occ.values().filter((i) => model.spools[i]!.ownerId !== me);
    return others.length > 0 ? model.spools[rng.pick(others)]! : undefined;
  }

  function conflict(w: VirtualWorker, choice: Choice): TraceEvent {
    let ev: TraceEvent;
    const plan = PLANS[choice];
    if (plan) {
      // Someone else's spool: FINALIZAR must answer 403 and change nothing.
      const spool = someoneElsesSpool(w.payroll.id);
      if (spool) {
        const body = finalizarBody(w, spool.tag, plan.operacion, spool.unions.slice(0, plan.limit).map((u) => u.id));
        ev = event(w, 'finalizar', choice, post(FINALIZAR_PATH, body), model.finalizar(body));
      } else {
        const body = finalizarBody(w, unknownTag(), plan.operacion, []);
        ev = event(w, 'finalizar', choice, post(FINALIZAR_PATH, body), model.finalizar(body));
      }
    } else if (choice === 'iniciar') {
      if (model.occupied.size > 0 && rng.chance(0.5)) {
        const spool = model.spools[model.occupied.at(rng.int(0, model.occupied.size - 1))]!;
        const body = iniciarBody(w, spool.tag, 'ARM');
        ev = event(w, 'iniciar', choice, post(INICIAR_PATH, body), model.iniciar(body));
      } else {
        const body = iniciarBody(w, unknownTag(), 'ARM');
        ev = event(w, 'iniciar', choice, post(INICIAR_PATH, body), model.iniciar(body));
      }
    } else {
      const tag = unknownTag();
      ev = choice === 'disponibles_arm'
        ? event(w, 'disponibles', choice, get(`/api/v4/uniones/${tag}/disponibles?operacion=ARM`), model.disponibles(tag, 'ARM'))
        : event(w, 'metricas', choice, get(`/api/v4/uniones/${tag}/metricas`), model.metricas(tag));
    }
    const key = String(ev.expect!.status);
    stats.conflicts[key] = (stats.conflicts[key] ?? 0) + 1;
    return ev;
  }

  // Carry out a choice, or return undefined when no spool fits it (the caller re-draws).
  function realise(w: VirtualWorker, choice: Choice): TraceEvent | undefined {
    const plan = PLANS[choice];
    if (plan) {
      const set = choice === 'finalizar_arm_10' ? model.freeArm : choice === 'finalizar_sold_5' ? model.freeSold : model.freeStress;
      if (set.size === 0) return undefined;
      const spool = model.spools[set.at(rng.int(0, set.size - 1))]!;
      const body = iniciarBody(w, spool.tag, plan.operacion);
      const ev = event(w, 'iniciar', 'iniciar', post(INICIAR_PATH, body), model.iniciar(body));
      w.pending = { scenario: choice, spool, operacion: plan.operacion, limit: plan.limit };
      return ev;
    }
    if (choice === 'iniciar') {
      const set = model.freeAny;
      if (set.size === 0) return undefined;
      const spool = model.spools[set.at(rng.int(0, set.size - 1))]!;
      // SOLD needs one ARM-done union (403 otherwise): only ask for it when the spool has one.
      const operacion = spool.armDoneCount > 0 && rng.chance(0.5) ? 'SOLD' : 'ARM';
      const body = iniciarBody(w, spool.tag, operacion);
      const ev = event(w, 'iniciar', 'iniciar', post(INICIAR_PATH, body), model.iniciar(body));
      w.pending = { scenario: 'finalizar_cancel', spool, operacion, limit: 0 };
      return ev;
    }
    const spool = model.spools[rng.int(0, model.spools.length - 1)]!;
    return choice === 'disponibles_arm'
      ? event(w, 'disponibles', choice, get(`/api/v4/uniones/${spool.tag}/disponibles?operacion=ARM`), model.disponibles(spool.tag, 'ARM'))
      : event(w, 'metricas', choice, get(`/api/v4/uniones/${spool.tag}/metricas`), model.metricas(spool.tag));
  }

  function decide(w: VirtualWorker): TraceEvent {
    let weights = CHOICE_WEIGHTS;
    let choice = CHOICES[rng.weighted(weights)]!;
    stats.drawn[choice] += 1;
    if (conflicts > 0 && rng.chance(conflicts)) {
      stats.realised[choice] += 1;
      return conflict(w, choice);
    }
    for (;;) {
      const ev = realise(w, choice);
      if (ev) {
        // A choice that left a FINALIZAR pending is counted when that FINALIZAR is written.
        if (!w.pending) stats.realised[choice] += 1;
        return ev;
      }
      stats.redraws[choice] += 1;
      stats.firstRedrawMs[choice] ??= w.nextT;
      // Re-draw among the choices not yet tried; disponibles and metricas always fit, so this ends.
      if (weights === CHOICE_WEIGHTS) weights = CHOICE_WEIGHTS.slice();
      (weights as number[])[CHOICES.indexOf(choice)] = 0;
      choice = CHOICES[rng.weighted(weights)]!;
    }
  }

  for (;;) {
    // The earliest worker acts, then moves to its next time; it never leaves the queue.
    const w = queue.peek()!;
    if (w.nextT >= durationMs) {
      // Every worker is past the end now; those still holding a spool started a choice the trace cannot finish.
      for (const v of workerList) if (v.pending) stats.unfinished[choiceOfPending(v.pending)] += 1;
      return;
    }
    if (w.pending) {
      const p = w.pending;
      w.pending = undefined;
      yield finalizarStep(w, p);
    } else {
      yield decide(w);
    }
    w.nextT += rng.int(thinkMinMs, thinkMaxMs);
    queue.updateTop();
  }
}
