/**
 * Composes the clock, latency model, quotas and faults into the Policy the routes consult.
 *
 * Admission order: outage → fault → quota. Outages and injected errors model failures in front of Sheets'
 * quota accounting, so a call they reject is not counted (Google does not bill requests it failed to serve);
 * only calls that proceed use quota, and a 429 itself does not count either.
 */
import seedrandom from 'seedrandom';
import type { SheetsMethod } from './admin-types.ts';
import type { Admission, CallInfo, Clock, Policy } from './policy.ts';
import { DEFAULT_VIRTUAL_START_MS, virtualClock, wallClock } from './clock.ts';
import { ConfigError, objectAt } from './config-fields.ts';
import { type FaultConfig, NO_FAULTS, activeOutage, decideFault, parseFaultConfig, serverError } from './faults.ts';
import { type LatencyConfig, LatencyModel, parseLatencyConfig } from './latency.ts';
import { type QuotaConfig, type QuotaUsage, QuotaTracker, parseQuotaConfig } from './quota.ts';

export type { FaultConfig } from './faults.ts';
export type { LatencyConfig } from './latency.ts';
export type { QuotaConfig } from './quota.ts';
export { ConfigError } from './config-fields.ts';

export interface PolicyOptions {
  /** Seeds the latency and fault streams (default 42). */
  seed: number;
  /** Default 'off'. An object overrides the realistic defaults field by field. */
  latency?: 'off' | 'realistic' | LatencyConfig;
  /** 'on' = Google's defaults (60/60 per user, 300/300 per project). Default 'off'. */
  quota?: 'off' | 'on' | QuotaConfig;
  faults?: FaultConfig;
  /** Default 'wall'. */
  clock?: 'wall' | 'virtual';
  /** Wall clock speed-up (default 1). */
  speed?: number;
  /** Mock time at start, epoch ms (wall default: now; virtual default: 2026-03-02T08:00:00-03:00). */
  startMs?: number;
  /** Injected real-time source for tests; default Date.now (the I/O edge). */
  wallNow?: () => number;
}

/** What `GET /__sheetsim/config` shows and `POST /__sheetsim/config` accepts (any subset of the fields). */
export interface RealismConfig {
  latency: 'off' | LatencyConfig;
  quota: 'off' | QuotaConfig;
  faults: FaultConfig;
}

/** The Policy with its realism-specific return types spelled out (for tests and the admin routes). */
export interface RealismPolicy extends Policy {
  config(): RealismConfig;
  quotaUsage(): QuotaUsage;
}

interface ParsedPatch {
  latency?: LatencyConfig | null;
  quota?: QuotaConfig | null;
  faults?: FaultConfig;
}

/** Validate a config patch (JSON) without applying it; errors name the field, e.g. `faults.rules[0].error503`. */
export function parseRealismPatch(patch: unknown): ParsedPatch {
  const obj = objectAt(patch, 'config', ['latency', 'quota', 'faults']);
  const out: ParsedPatch = {};
  if (obj.latency !== undefined) out.latency = parseLatencyConfig(obj.latency, 'latency');
  if (obj.quota !== undefined) out.quota = parseQuotaConfig(obj.quota, 'quota');
  if (obj.faults !== undefined) out.faults = parseFaultConfig(obj.faults, 'faults');
  return out;
}

function buildClock(options: PolicyOptions): Clock {
  if (options.clock === 'virtual') return virtualClock(options.startMs ?? DEFAULT_VIRTUAL_START_MS);
  if (options.clock !== undefined && options.clock !== 'wall') throw new ConfigError(`clock: expected "wall" or "virtual", got ${JSON.stringify(options.clock)}`);
  return wallClock({
    speed: options.speed ?? 1,
    ...(options.startMs !== undefined ? { startMs: options.startMs } : {}),
    ...(options.wallNow ? { wallNow: options.wallNow } : {}),
  });
}

/** Build the realism policy for a mock from its options; throws ConfigError naming a bad field. */
export function createPolicy(options: PolicyOptions): RealismPolicy {
  let seed = options.seed ?? 42;
  if (!Number.isInteger(seed)) throw new ConfigError(`seed: expected a whole number, got ${seed}`);
  const clock = buildClock(options);
  const latency = new LatencyModel(parseLatencyConfig(options.latency ?? 'off', 'latency'), seed);
  const quota = new QuotaTracker(parseQuotaConfig(options.quota ?? 'off', 'quota'));
  let faults: FaultConfig = options.faults ? parseFaultConfig(options.faults, 'faults') : structuredClone(NO_FAULTS);
  let faultRandom = seedrandom(`${seed}:faults`);
  // Outage windows are measured from here, on the mock clock.
  let originMs = clock.now();

  return {
    clock,
    admit(call: CallInfo): Admission {
      const atMs = call.atMs ?? clock.now();
      const outage = activeOutage(faults, call.method, atMs - originMs);
      if (outage) return { action: 'reject', error: serverError(outage.status, 'outage') };
      const fault = decideFault(faults, call.method, faultRandom);
      if (fault.kind === 'drop') return { action: 'drop' };
      if (fault.kind === 'error') return { action: 'reject', error: fault.error };
      const rejected = quota.admit(call.kind, call.quotaUser, atMs);
      if (rejected) return { action: 'reject', error: rejected };
      return { action: 'proceed', extraLatencyMs: fault.extraMs };
    },
    latency(method: SheetsMethod, cells: number): number {
      return latency.sample(method, cells);
    },
    rejectedLatency(): number {
      return latency.sampleRejected();
    },
    config(): RealismConfig {
      return structuredClone({ latency: latency.config ?? 'off', quota: quota.config ?? 'off', faults });
    },
    configure(patch: unknown): void {
      // Validate everything before applying anything, so a bad patch changes nothing.
      const parsed = parseRealismPatch(patch);
      if (parsed.latency !== undefined) latency.setConfig(parsed.latency);
      if (parsed.quota !== undefined) quota.setConfig(parsed.quota);
      if (parsed.faults !== undefined) faults = parsed.faults;
    },
    quotaUsage(): QuotaUsage {
      return quota.usage();
    },
    reset(newSeed: number): void {
      if (!Number.isInteger(newSeed)) throw new ConfigError(`seed: expected a whole number, got ${newSeed}`);
      seed = newSeed;
      latency.reseed(seed);
      faultRandom = seedrandom(`${seed}:faults`);
      quota.clear();
      originMs = clock.now();
    },
    setOrigin(nowMs: number): void {
      if (!Number.isFinite(nowMs)) throw new ConfigError(`origin.nowMs: expected epoch milliseconds, got ${nowMs}`);
      clock.rebase(nowMs);
      quota.restart(Math.floor(nowMs));
      originMs = Math.floor(nowMs);
    },
  };
}
