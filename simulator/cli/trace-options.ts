/** The flags that generate a trace when `--trace` is not given, shared by `sheetsim run` and `sheetsim compare`. */
import { type CommandContext, type OptionSpec, durationOpt, enumOpt, intOpt, numberOpt } from './command.ts';
import type { WorkloadProfile } from '../trace/types.ts';
import { PROFILES, type TraceOptions, defaultTraceOptions } from '../workload/profiles.ts';

/** Option specs to spread into a command's `options`. */
export const TRACE_OPTIONS: Record<string, OptionSpec> = {
  trace: { type: 'string', valueName: 'FILE', description: 'Trace to replay.', defaultText: 'generated into traces/ from the flags below' },
  seed: { type: 'string', valueName: 'N', description: 'Seed of the generated trace and its world.', defaultText: '42' },
  profile: { type: 'string', valueName: 'NAME', description: 'Workload profile of the generated trace: zeues or locust.', defaultText: 'zeues' },
  workers: { type: 'string', valueName: 'N', description: 'Concurrent virtual workers of the generated trace.', defaultText: '40' },
  duration: { type: 'string', valueName: 'DUR', description: 'Duration of the generated trace (90s, 5m, 1h).', defaultText: '5m' },
  spools: { type: 'string', valueName: 'N', description: 'Spools in the generated world.', defaultText: String(defaultTraceOptions.spools) },
  conflicts: { type: 'string', valueName: 'X', description: 'Share of deliberate conflicts in the generated trace (0..1).', defaultText: '0.05' },
};

/** The generator options the flags ask for (used when `--trace` is not given). */
export function traceOptionsFromFlags(ctx: CommandContext): TraceOptions {
  return {
    ...defaultTraceOptions,
    seed: intOpt(ctx, 'seed', defaultTraceOptions.seed, 0),
    profile: enumOpt(ctx, 'profile', PROFILES, defaultTraceOptions.profile) as WorkloadProfile,
    workers: intOpt(ctx, 'workers', defaultTraceOptions.workers, 1, 100_000),
    durationMs: durationOpt(ctx, 'duration', defaultTraceOptions.durationMs),
    spools: intOpt(ctx, 'spools', defaultTraceOptions.spools, 1),
    conflicts: numberOpt(ctx, 'conflicts', defaultTraceOptions.conflicts, 0, 1),
  };
}
