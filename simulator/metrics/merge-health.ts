/**
 * Validity, overload and replayer health of a merged run (`sheetsim merge`): the shards ran at the same time
 * against one target, so the merged run is invalid when any shard was, saturated when any shard was, and its
 * replayer a bottleneck when any shard's was. Pure; also how one run's replay threads make its replayer health.
 */
import type { ReplayerHealth, Report, RunOverload, RunValidity } from '../report/model.ts';

/** The run.validity, run.overload and run.replayer of the merged report (fields left out when no shard had them). */
export function mergeRunHealth(reports: { name: string; report: Report }[]): Pick<Report['run'], 'validity' | 'overload' | 'replayer'> {
  const out: Pick<Report['run'], 'validity' | 'overload' | 'replayer'> = {};
  const validities = reports.filter((r) => r.report.run.validity).map((r) => ({ name: r.name, v: r.report.run.validity! }));
  if (validities.length > 0) {
    const transportErrors: Record<string, number> = {};
    for (const { v } of validities) for (const [k, n] of Object.entries(v.transportErrors)) transportErrors[k] = (transportErrors[k] ?? 0) + n;
    const from = validities.map(({ v }) => v.unreachableFromS).filter((s): s is number => s !== null);
    const merged: RunValidity = {
      valid: validities.every(({ v }) => v.valid),
      reasons: validities.flatMap(({ name, v }) => v.reasons.map((r) => `${name}: ${r}`)),
      transportErrors: Object.fromEntries(Object.keys(transportErrors).sort().map((k) => [k, transportErrors[k]!])),
      unreachableFromS: from.length ? Math.min(...from) : null,
    };
    out.validity = merged;
  }
  const overloads = reports.map((r) => r.report.run.overload).filter((o): o is RunOverload => o !== undefined && o !== null);
  if (overloads.length > 0) {
    const from = overloads.map((o) => o.fromS).filter((s): s is number => s !== null);
    out.overload = {
      saturated: overloads.some((o) => o.saturated),
      fromS: from.length ? Math.min(...from) : null,
      // Shards ran at once against one target: their backlogs add up.
      maxInFlight: overloads.reduce((n, o) => n + o.maxInFlight, 0),
      maxLatenessMs: Math.max(...overloads.map((o) => o.maxLatenessMs)),
      notSent: overloads.reduce((n, o) => n + o.notSent, 0),
      deadlineMs: Math.max(...overloads.map((o) => o.deadlineMs)),
    };
  } else if (reports.some((r) => r.report.run.overload === null)) {
    out.overload = null;
  }
  const replayers = reports.map((r) => r.report.run.replayer).filter((h): h is ReplayerHealth => h !== undefined);
  if (replayers.length > 0) out.replayer = worstReplayerHealth(replayers);
  return out;
}

/**
 * The health of a replayer made of several event loops (a run's threads, a merged run's shards): each figure the
 * worst of them, and a bottleneck when any was one (the run's events went out late through it). Pure.
 */
export function worstReplayerHealth(healths: readonly ReplayerHealth[]): ReplayerHealth {
  const worst = (f: (h: ReplayerHealth) => number | undefined): number | undefined => {
    const xs = healths.map(f).filter((x): x is number => x !== undefined);
    return xs.length > 0 ? Math.max(...xs) : undefined;
  };
  const utilization = worst((h) => h.eventLoopUtilization);
  const saturated = worst((h) => h.saturatedShare);
  const lagP99 = worst((h) => h.sendLagP99Ms);
  const lagMax = worst((h) => h.sendLagMaxMs);
  const warmup = worst((h) => h.warmupMs);
  return {
    eventLoopDelayP99Ms: worst((h) => h.eventLoopDelayP99Ms) ?? 0,
    eventLoopDelayMaxMs: worst((h) => h.eventLoopDelayMaxMs) ?? 0,
    ...(utilization !== undefined ? { eventLoopUtilization: utilization } : {}),
    ...(saturated !== undefined ? { saturatedShare: saturated } : {}),
    ...(lagP99 !== undefined ? { sendLagP99Ms: lagP99 } : {}),
    ...(lagMax !== undefined ? { sendLagMaxMs: lagMax } : {}),
    ...(warmup !== undefined ? { warmupMs: warmup } : {}),
    bottleneck: healths.some((h) => h.bottleneck),
  };
}
