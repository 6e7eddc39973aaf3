/**
 * What a zeues worker does when it acts: draw a choice by the suite's weights (or a conflict), carry it out on a
 * spool that fits (re-drawing when none does), and later send the FINALIZAR its INICIAR left pending.
 */
import type { TraceEvent } from '../trace/types.ts';
import { CHOICE_WEIGHTS, CHOICES, type Choice } from './scenarios.ts';
import { conflictEvent } from './zeues-conflicts.ts';
import {
  FINALIZAR_PATH, INICIAR_PATH, PLANS, type Pending, type VirtualWorker, type ZeuesSession,
  choiceOfPending, finalizarBody, get, iniciarBody, post,
} from './zeues-session.ts';

/** The FINALIZAR that closes worker `w`'s pending choice; the choice is counted as realised here. */
export function finalizarStep(s: ZeuesSession, w: VirtualWorker, p: Pending): TraceEvent {
  const { model, stats, event } = s;
  stats.realised[choiceOfPending(p)] += 1;
  const selected = p.limit === 0 ? [] : model.availableUnions(p.spool, p.operacion).slice(0, p.limit);
  const body = finalizarBody(w, p.spool.tag, p.operacion, selected);
  return event(w, 'finalizar', p.scenario, post(FINALIZAR_PATH, body), model.finalizar(body));
}

// Carry out a choice, or return undefined when no spool fits it (the caller re-draws).
function realise(s: ZeuesSession, w: VirtualWorker, choice: Choice): TraceEvent | undefined {
  const { model, rng, event } = s;
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

/** Worker `w`'s next request when it owes no FINALIZAR: a drawn choice, carried out or made a conflict. */
export function decide(s: ZeuesSession, w: VirtualWorker, conflicts: number): TraceEvent {
  const { rng, stats } = s;
  let weights = CHOICE_WEIGHTS;
  let choice = CHOICES[rng.weighted(weights)]!;
  stats.drawn[choice] += 1;
  if (conflicts > 0 && rng.chance(conflicts)) {
    stats.realised[choice] += 1;
    return conflictEvent(s, w, choice);
  }
  for (;;) {
    const ev = realise(s, w, choice);
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
