/**
 * The zeues profile's deliberately wrong requests (`--conflicts`): a FINALIZAR of someone else's spool, an INICIAR of
 * an occupied or unknown spool, a read of an unknown tag. Each is expected to be refused and to change nothing.
 */
import type { TraceEvent } from '../trace/types.ts';
import type { SpoolState } from './model.ts';
import type { Choice } from './scenarios.ts';
import { FINALIZAR_PATH, INICIAR_PATH, PLANS, type VirtualWorker, type ZeuesSession, finalizarBody, get, iniciarBody, post } from './zeues-session.ts';

// A spool occupied by another payroll worker: a few random probes, then a scan (deterministic either way).
function someoneElsesSpool(s: ZeuesSession, me: number): SpoolState | undefined {
  const { model, rng } = s;
  const occ = model.occupied;
  if (occ.size === 0) return undefined;
  for (let tries = 0; tries < 8; tries++) {
    const spool = model.spools[occ.at(rng.int(0, occ.size - 1))]!;
    if (spool.ownerId !== me) return spool;
  }
  const others = occ.values().filter((i) => model.spools[i]!.ownerId !== me);
  return others.length > 0 ? model.spools[rng.pick(others)]! : undefined;
}

/** The wrong version of `choice` by worker `w`, counted in stats.conflicts by its expected status. */
export function conflictEvent(s: ZeuesSession, w: VirtualWorker, choice: Choice): TraceEvent {
  const { model, rng, stats, event } = s;
  let ev: TraceEvent;
  const plan = PLANS[choice];
  if (plan) {
    // Someone else's spool: FINALIZAR must answer 403 and change nothing.
    const spool = someoneElsesSpool(s, w.payroll.id);
    if (spool) {
      const body = finalizarBody(w, spool.tag, plan.operacion, spool.unions.slice(0, plan.limit).map((u) => u.id));
      ev = event(w, 'finalizar', choice, post(FINALIZAR_PATH, body), model.finalizar(body));
    } else {
      const body = finalizarBody(w, s.unknownTag(), plan.operacion, []);
      ev = event(w, 'finalizar', choice, post(FINALIZAR_PATH, body), model.finalizar(body));
    }
  } else if (choice === 'iniciar') {
    if (model.occupied.size > 0 && rng.chance(0.5)) {
      const spool = model.spools[model.occupied.at(rng.int(0, model.occupied.size - 1))]!;
      const body = iniciarBody(w, spool.tag, 'ARM');
      ev = event(w, 'iniciar', choice, post(INICIAR_PATH, body), model.iniciar(body));
    } else {
      const body = iniciarBody(w, s.unknownTag(), 'ARM');
      ev = event(w, 'iniciar', choice, post(INICIAR_PATH, body), model.iniciar(body));
    }
  } else {
    const tag = s.unknownTag();
    ev = choice === 'disponibles_arm'
      ? event(w, 'disponibles', choice, get(`/api/v4/uniones/${tag}/disponibles?operacion=ARM`), model.disponibles(tag, 'ARM'))
      : event(w, 'metricas', choice, get(`/api/v4/uniones/${tag}/metricas`), model.metricas(tag));
  }
  const key = String(ev.expect!.status);
  stats.conflicts[key] = (stats.conflicts[key] ?? 0) + 1;
  return ev;
}
