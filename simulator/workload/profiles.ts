/** The events of each workload profile; the options that decide a trace are in trace-options.ts. */
import type { TraceEvent, TraceHeader } from '../trace/types.ts';
import { locustEvents } from './locust.ts';
import { seededRandom } from './random.ts';
import { type GeneratorStats } from './scenarios.ts';
import { type World, generateWorld } from './world.ts';
import { zeuesEvents } from './zeues.ts';

export { PROFILES, type TraceOptions, defaultTraceOptions, traceHeader, validateTraceOptions } from './trace-options.ts';

/** The events of a trace, lazily, in (t, seq) order; `stats` is filled as they are produced. */
export function profileEvents(header: TraceHeader, stats: GeneratorStats, world: World = generateWorld(header.world)): Generator<TraceEvent> {
  if (header.profile === 'import') throw new Error('an imported trace (profile import) has no generator: its events come from a Metadata export');
  // The workload stream is separate from the world's, so the world does not change with the profile.
  const rng = seededRandom(header.seed, header.profile);
  return header.profile === 'locust' ? locustEvents(header, world, rng, stats) : zeuesEvents(header, world, rng, stats);
}
