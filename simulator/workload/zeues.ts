/**
 * The zeues profile: stateful worker sessions against the world. The parts live beside it: zeues-session.ts (shared
 * vocabulary, event numbering), zeues-choices.ts (what a worker does when it acts), zeues-conflicts.ts (the
 * deliberately wrong requests).
 */
import type { TraceEvent, TraceHeader } from '../trace/types.ts';
import type { Random } from './random.ts';
import type { GeneratorStats } from './scenarios.ts';
import { WorkerQueue } from './worker-queue.ts';
import type { World } from './world.ts';
import { decide, finalizarStep } from './zeues-choices.ts';
import { type VirtualWorker, choiceOfPending, zeuesSession } from './zeues-session.ts';

/**
 * The zeues profile's events in (t, seq) order; memory is one record per virtual worker plus the world model,
 * whatever the trace length.
 */
export function* zeuesEvents(header: TraceHeader, world: World, rng: Random, stats: GeneratorStats): Generator<TraceEvent> {
  const { workers, durationMs, conflicts, thinkMinMs, thinkMaxMs } = header.params;
  const session = zeuesSession(world, rng, stats);
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
      yield finalizarStep(session, w, p);
    } else {
      yield decide(session, w, conflicts);
    }
    w.nextT += rng.int(thinkMinMs, thinkMaxMs);
    queue.updateTop();
  }
}
