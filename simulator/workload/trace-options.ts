/**
 * The options that decide a trace, their defaults and their check, and the header they make. Split from
 * profiles.ts so that what prints the defaults (`sheetsim generate --help`) does not load the generators.
 */
import { TRACE_FORMAT, TRACE_VERSION, type TraceHeader, type WorkloadProfile } from '../trace/types.ts';
import { parseIsoDate } from './calendar.ts';
import { DEFAULT_WORLD_PARAMS, validateWorldParams } from './world-params.ts';

/** Everything that decides a trace; same options, same bytes. */
export interface TraceOptions {
  seed: number;
  profile: WorkloadProfile;
  /** Concurrent virtual workers. */
  workers: number;
  durationMs: number;
  /** Spools in the world. */
  spools: number;
  /** Workers on payroll (Trabajadores rows). */
  payroll: number;
  /** Share of deliberately wrong choices (zeues; recorded but unused by locust). */
  conflicts: number;
  /** `YYYY-MM-DD`; never today's date, so the file does not depend on when it was made. */
  startDate: string;
  thinkMinMs: number;
  thinkMaxMs: number;
}

/** The defaults of `sheetsim generate` (the golden seed-42 trace). */
export const defaultTraceOptions: TraceOptions = {
  seed: 42,
  profile: 'zeues',
  workers: 40,
  durationMs: 300_000,
  spools: DEFAULT_WORLD_PARAMS.spools,
  payroll: DEFAULT_WORLD_PARAMS.workers,
  conflicts: 0.05,
  startDate: DEFAULT_WORLD_PARAMS.startDate,
  thinkMinMs: 5_000,
  thinkMaxMs: 15_000,
};

/** The profiles `--profile` accepts. */
export const PROFILES: readonly WorkloadProfile[] = ['zeues', 'locust'];

/** The header a trace made with these options carries (it is enough to regenerate the trace). */
export function traceHeader(o: TraceOptions): TraceHeader {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    seed: o.seed,
    profile: o.profile,
    params: { workers: o.workers, durationMs: o.durationMs, conflicts: o.conflicts, thinkMinMs: o.thinkMinMs, thinkMaxMs: o.thinkMaxMs, startDate: o.startDate },
    world: { seed: o.seed, spools: o.spools, workers: o.payroll, startDate: o.startDate },
  };
}

/** Check options before generating anything; the message names the option and what was expected. */
export function validateTraceOptions(o: TraceOptions): void {
  if (!PROFILES.includes(o.profile)) throw new Error(`profile must be one of ${PROFILES.join(', ')}, got '${o.profile}'`);
  const int = (name: keyof TraceOptions, min: number) => {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new Error(`${name} must be a whole number >= ${min}, got ${String(v)}`);
  };
  int('workers', 1);
  int('durationMs', 1);
  int('thinkMinMs', 0);
  int('thinkMaxMs', 0);
  if (o.thinkMaxMs < o.thinkMinMs) throw new Error(`thinkMaxMs (${o.thinkMaxMs}) must be >= thinkMinMs (${o.thinkMinMs})`);
  if (!(o.conflicts >= 0 && o.conflicts <= 1)) throw new Error(`conflicts must be between 0 and 1, got ${o.conflicts}`);
  parseIsoDate(o.startDate, 'startDate');
  validateWorldParams({ seed: o.seed, spools: o.spools, workers: o.payroll, startDate: o.startDate });
}
