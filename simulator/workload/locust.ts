import type { TraceEvent, TraceHeader, TraceRequest } from '../trace/types.ts';
import { WorldModel, type Outcome } from './model.ts';
import type { Random } from './random.ts';
import { CHOICE_WEIGHTS, CHOICES, type GeneratorStats } from './scenarios.ts';
import { WorkerQueue } from './worker-queue.ts';
import type { World } from './world.ts';

interface LocustUser {
  k: number;
  nextT: number;
  workerId: number;
}

// The locustfile's `union_ids`: `TAG+1`…`TAG+n`. Its tags are few, so each tag's ids are built once and sliced.
const MAX_UNION_IDS = 50;
const unionIdCache = new Map<string, string[]>();
function unionIds(tag: string, n: number): string[] {
  if (n > MAX_UNION_IDS) return Array.from({ length: n }, (_, i) => `${tag}+${i + 1}`);
  let ids = unionIdCache.get(tag);
  if (ids === undefined) {
    ids = [];
    for (let i = 1; i <= MAX_UNION_IDS; i++) ids.push(`${tag}+${i}`);
    if (unionIdCache.size < 1000) unionIdCache.set(tag, ids);
  }
  return ids.slice(0, n);
}

/**
 * The locust profile: the original locustfile as written (spec §6.1) — independent tasks weighted 3:2:1:1:1:1 on
 * random tags OT-001…OT-100, a worker id 1–100 per user, its exact JSON bodies (`union_ids`, which the API ignores).
 * `expect` is what the contract answers to those bodies against the world.
 */
export function* locustEvents(header: TraceHeader, world: World, rng: Random, stats: GeneratorStats): Generator<TraceEvent> {
  const { workers, durationMs, thinkMinMs, thinkMaxMs, startDate } = header.params;
  const model = new WorldModel(world);
  const queue = new WorkerQueue<LocustUser>();
  for (let k = 1; k <= workers; k++) queue.push({ k, nextT: rng.int(0, thinkMinMs), workerId: rng.int(1, 100) });
  // Locust stamps datetime.now(); the trace uses its start date so the file stays reproducible.
  const fecha = startDate;
  let seq = 0;
  const expectOf = (o: Outcome) => (o.action_taken === undefined ? { status: o.status } : { status: o.status, action_taken: o.action_taken });

  for (;;) {
    // The earliest user acts, then moves to its next time; it never leaves the queue.
    const u = queue.peek()!;
    if (u.nextT >= durationMs) return;
    const choice = CHOICES[rng.weighted(CHOICE_WEIGHTS)]!;
    stats.drawn[choice] += 1;
    stats.realised[choice] += 1;
    const tag = `OT-${String(rng.int(1, 100)).padStart(3, '0')}`;
    const nombre = `WORKER${u.workerId}`;
    let op: TraceEvent['op'];
    let req: TraceRequest;
    let outcome: Outcome;
    if (choice === 'finalizar_arm_10' || choice === 'finalizar_sold_5' || choice === 'finalizar_arm_50') {
      const [n, operacion] = choice === 'finalizar_arm_10' ? [10, 'ARM'] : choice === 'finalizar_sold_5' ? [5, 'SOLD'] : [50, 'ARM'];
      const body = { tag_spool: tag, union_ids: unionIds(tag, n), worker_id: u.workerId, worker_nombre: nombre, operacion, fecha_operacion: fecha };
      op = 'finalizar';
      req = { method: 'POST', path: '/api/v4/occupation/finalizar', body };
      outcome = model.finalizar(body);
    } else if (choice === 'iniciar') {
      const body = { tag_spool: tag, worker_id: u.workerId, worker_nombre: nombre, operacion: rng.chance(0.5) ? 'ARM' : 'SOLD' };
      op = 'iniciar';
      req = { method: 'POST', path: '/api/v4/occupation/iniciar', body };
      outcome = model.iniciar(body);
    } else if (choice === 'disponibles_arm') {
      op = 'disponibles';
      req = { method: 'GET', path: `/api/v4/uniones/${tag}/disponibles?operacion=ARM` };
      outcome = model.disponibles(tag, 'ARM');
    } else {
      op = 'metricas';
      req = { method: 'GET', path: `/api/v4/uniones/${tag}/metricas` };
      outcome = model.metricas(tag);
    }
    yield { seq: seq++, t: u.nextT, worker: u.k, op, scenario: choice, req, expect: expectOf(outcome) };
    u.nextT += rng.int(thinkMinMs, thinkMaxMs);
    queue.updateTop();
  }
}
