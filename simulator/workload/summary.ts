import { readTrace } from '../trace/reader.ts';
import type { TraceEvent, TraceHeader } from '../trace/types.ts';
import { regenerate } from './generate.ts';
import { CHOICE_WEIGHTS, CHOICES, type Choice, type GeneratorStats } from './scenarios.ts';
import { worldSpreadsheetId } from './world.ts';

/** Everything `sheetsim inspect` reports about a trace (also its `--json` output). */
export interface TraceSummary {
  file: string;
  header: TraceHeader;
  spreadsheetId: string;
  events: number;
  /** Time of the last event (ms). */
  lastEventMs: number;
  /** Distinct virtual workers that sent at least one request. */
  workersSeen: number;
  sha256: string;
  sha256Valid: true;
  /** Requests per scenario label. */
  scenarios: Record<string, { count: number; share: number }>;
  /** Requests per operation (endpoint). */
  ops: Record<string, number>;
  /** What workers decided, reconstructed from the requests, against the 3:2:1:1:1:1 target. */
  choices: Record<Choice, { count: number; share: number; target: number }>;
  /** Choices begun but cut off by the trace's end: a worker's last event is the INICIAR a FINALIZAR would follow. */
  unfinishedChoices: number;
  /** Expected outcomes, `200 PAUSAR`, `403`, ... */
  expected: Record<string, number>;
  /** Requests in each simulated minute (index 0 = minute 1). */
  perMinute: number[];
  peakPerMinute: { minute: number; requests: number };
  /** Re-generation from the header: generator stats and whether it reproduces this file byte for byte. */
  generator?: { reproduces: boolean; sha256: string; stats: GeneratorStats };
}

/**
 * The choice an event closes, or undefined when the event is a step of a longer choice. zeues: the INICIAR a
 * FINALIZAR needs is a step (its choice is counted at the FINALIZAR), a standalone `iniciar` choice is counted at its
 * `finalizar_cancel`, a deliberately wrong INICIAR (not 200) is a choice by itself. locust: every request is a choice.
 */
export function choiceOf(profile: TraceHeader['profile'], e: TraceEvent): Choice | undefined {
  if (e.scenario === 'finalizar_cancel') return 'iniciar';
  if (opensChoice(profile, e)) return undefined;
  return (CHOICES as readonly string[]).includes(e.scenario) ? (e.scenario as Choice) : undefined;
}

/** True for the INICIAR step of a zeues choice: the choice is counted at the FINALIZAR that follows it. */
function opensChoice(profile: TraceHeader['profile'], e: TraceEvent): boolean {
  return profile === 'zeues' && e.scenario === 'iniciar' && e.expect?.status === 200;
}

const share = (n: number, total: number) => (total === 0 ? 0 : Math.round((n / total) * 10_000) / 100);

/** Read and validate a trace and summarise it; `regenerateCheck` also re-runs the generator from the header. */
export async function summarizeTrace(path: string, regenerateCheck = true): Promise<TraceSummary> {
  const reader = await readTrace(path);
  const { header } = reader;
  const scenarioCounts: Record<string, number> = {};
  const ops: Record<string, number> = {};
  const choiceCounts = Object.fromEntries(CHOICES.map((c) => [c, 0])) as Record<Choice, number>;
  const expected: Record<string, number> = {};
  const perMinute: number[] = [];
  const workers = new Set<number>();
  // Per worker: does its latest event open a choice (an INICIAR step) that a later FINALIZAR closes?
  const open = new Map<number, boolean>();
  let events = 0;
  let lastEventMs = 0;
  for await (const e of reader.events) {
    events += 1;
    lastEventMs = e.t;
    workers.add(e.worker);
    scenarioCounts[e.scenario] = (scenarioCounts[e.scenario] ?? 0) + 1;
    ops[e.op] = (ops[e.op] ?? 0) + 1;
    const c = choiceOf(header.profile, e);
    if (c) choiceCounts[c] += 1;
    open.set(e.worker, opensChoice(header.profile, e));
    const x = e.expect ? `${e.expect.status}${e.expect.action_taken ? ` ${e.expect.action_taken}` : ''}` : 'none';
    expected[x] = (expected[x] ?? 0) + 1;
    const minute = Math.floor(e.t / 60_000);
    while (perMinute.length <= minute) perMinute.push(0);
    perMinute[minute]! += 1;
  }
  const footer = await reader.footer;
  const minutes = Math.max(perMinute.length, Math.ceil(header.params.durationMs / 60_000));
  while (perMinute.length < minutes) perMinute.push(0);
  let peak = { minute: 1, requests: 0 };
  perMinute.forEach((n, i) => {
    if (n > peak.requests) peak = { minute: i + 1, requests: n };
  });
  const unfinishedChoices = [...open.values()].filter(Boolean).length;
  const totalChoices = Object.values(choiceCounts).reduce((a, b) => a + b, 0);
  const totalWeight = CHOICE_WEIGHTS.reduce((a, b) => a + b, 0);
  const choices = Object.fromEntries(CHOICES.map((c, i) => [c, {
    count: choiceCounts[c], share: share(choiceCounts[c], totalChoices), target: share(CHOICE_WEIGHTS[i]!, totalWeight),
  }])) as TraceSummary['choices'];
  const scenarios = Object.fromEntries(Object.entries(scenarioCounts).sort((a, b) => b[1] - a[1])
    .map(([k, n]) => [k, { count: n, share: share(n, events) }]));
  const summary: TraceSummary = {
    file: path, header, spreadsheetId: worldSpreadsheetId(header.world.seed), events, lastEventMs,
    workersSeen: workers.size, sha256: footer.sha256, sha256Valid: true, scenarios, ops, choices, unfinishedChoices, expected,
    perMinute, peakPerMinute: peak,
  };
  // An imported trace has no generator to re-run (its events come from a Metadata export).
  if (regenerateCheck && header.profile !== 'import') {
    const again = regenerate(header);
    summary.generator = { reproduces: again.sha256 === footer.sha256 && again.events === events, sha256: again.sha256, stats: again.stats };
  }
  return summary;
}
