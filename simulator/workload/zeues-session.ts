/**
 * What the zeues profile's parts share: a virtual worker and the FINALIZAR it still owes, what each choice INICIARs,
 * and the session (world model, random stream, stats) with the one place events are numbered and requests built.
 */
import type { TraceEvent, TraceRequest } from '../trace/types.ts';
import { WorldModel, type Outcome, type SpoolState } from './model.ts';
import type { Random } from './random.ts';
import type { Choice, GeneratorStats, Scenario } from './scenarios.ts';
import { STRESS_UNIONS, type World, type WorldWorker } from './world.ts';

export const INICIAR_PATH = '/api/v4/occupation/iniciar';
export const FINALIZAR_PATH = '/api/v4/occupation/finalizar';

/** The FINALIZAR a worker owes after its INICIAR: which spool, which operation, how many unions at most. */
export interface Pending {
  scenario: Scenario;
  spool: SpoolState;
  operacion: 'ARM' | 'SOLD';
  limit: number;
}

/** One of the trace's concurrent workers: its number, its next action time and the payroll worker it acts as. */
export interface VirtualWorker {
  k: number;
  nextT: number;
  payroll: WorldWorker;
  pending: Pending | undefined;
}

// What a choice INICIARs before its FINALIZAR, and how many unions that FINALIZAR may select. The original suite's
// FINALIZAR ARM 50 cannot happen in the real model (N_UNION is 1..20): it completes a whole stress spool, 20 unions,
// the largest FINALIZAR production can see (docs/contract.md).
export const PLANS: Partial<Record<Choice, { operacion: 'ARM' | 'SOLD'; limit: number }>> = {
  finalizar_arm_10: { operacion: 'ARM', limit: 10 },
  finalizar_sold_5: { operacion: 'SOLD', limit: 5 },
  finalizar_arm_50: { operacion: 'ARM', limit: STRESS_UNIONS },
};

/** The choice a pending FINALIZAR closes: a standalone INICIAR ends with finalizar_cancel. */
export const choiceOfPending = (p: Pending): Choice => (p.scenario === 'finalizar_cancel' ? 'iniciar' : p.scenario as Choice);

/** The body of an INICIAR by worker `w`. */
export const iniciarBody = (w: VirtualWorker, tag: string, operacion: string) => ({
  tag_spool: tag, worker_id: w.payroll.id, worker_nombre: w.payroll.token, operacion,
});

/** The body of a FINALIZAR by worker `w`. */
export const finalizarBody = (w: VirtualWorker, tag: string, operacion: string, selected: string[]) => ({
  tag_spool: tag, worker_id: w.payroll.id, operacion, selected_unions: selected,
});

/** A GET request. */
export const get = (path: string): TraceRequest => ({ method: 'GET', path });
/** A POST request with a JSON body. */
export const post = (path: string, body: unknown): TraceRequest => ({ method: 'POST', path, body });

/** One zeues trace in the making: the world model the requests change, the random stream, the stats. */
export interface ZeuesSession {
  model: WorldModel;
  rng: Random;
  stats: GeneratorStats;
  /** The event of worker `w`'s request at its current time, numbered in the order events are made. */
  event(w: VirtualWorker, op: TraceEvent['op'], scenario: Scenario, req: TraceRequest, expect: Outcome): TraceEvent;
  /** A tag no spool of the world has (OT-<past the last spool>), drawn from the random stream. */
  unknownTag(): string;
}

/** Start a session over `world`; draws nothing from `rng` until it is asked to. */
export function zeuesSession(world: World, rng: Random, stats: GeneratorStats): ZeuesSession {
  const model = new WorldModel(world);
  const unknownBase = Math.max(900, world.spools.length + 1);
  let seq = 0;
  return {
    model,
    rng,
    stats,
    event: (w, op, scenario, req, expect) => ({
      seq: seq++, t: w.nextT, worker: w.k, op, scenario, req,
      expect: expect.action_taken === undefined ? { status: expect.status } : { status: expect.status, action_taken: expect.action_taken },
    }),
    unknownTag: () => `OT-${unknownBase + rng.int(0, 99)}`,
  };
}
