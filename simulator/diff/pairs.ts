/**
 * Pairs the events of two runs of one trace by seq, streaming each events.jsonl: per event it keeps a few numbers
 * (typed arrays sized by the trace), so large runs do not load into memory; the first divergent event is found in
 * a second and a third pass.
 */
import type { EventRecord } from '../report/model.ts';
import { readEvents } from '../report/read.ts';

/** Latencies of the events present in both runs, in seq (trace) order, per scenario. */
export interface PairedLatencies {
  base: Float64Array;
  head: Float64Array;
}

export interface EventSide {
  status: number | null;
  error: string | null;
  action_taken: string | null;
  bodyHash: string | null;
  body: string | null;
}

export interface FirstDivergence {
  seq: number;
  scenario: string;
  op: string;
  worker: number;
  t: number;
  base: EventSide | null;
  head: EventSide | null;
}

export interface PairingResult {
  paired: number;
  onlyBase: number;
  onlyHead: number;
  /** Events whose status, action_taken or body hash differ. */
  divergent: number;
  /** Divergent events answered worse in head (see outcomeRank), and better. */
  worse: number;
  better: number;
  first: FirstDivergence | null;
  byScenario: Map<string, PairedLatencies>;
}

const outcomeKey = (e: EventRecord): string => `${e.status ?? e.error}|${e.action_taken ?? ''}|${e.bodyHash ?? ''}`;
/**
 * How good an answer is, lower is better: by the trace's expect when there was one (met 0, missed 2), else by
 * status class (2xx 0, 4xx 1, 5xx or transport error 2).
 */
export function outcomeRank(e: Pick<EventRecord, 'status' | 'expectOk'>): number {
  if (e.expectOk !== null) return e.expectOk ? 0 : 2;
  if (e.status === null || e.status >= 500) return 2;
  return e.status >= 400 ? 1 : 0;
}

const side = (e: EventRecord): EventSide => ({ status: e.status, error: e.error, action_taken: e.action_taken, bodyHash: e.bodyHash, body: e.body });

/** Pair BASE/events.jsonl with HEAD/events.jsonl; `events` is the trace's event count. */
export async function pairEvents(baseDir: string, headDir: string, events: number): Promise<PairingResult> {
  const baseMs = new Float64Array(events).fill(NaN);
  const baseKey: (string | undefined)[] = new Array(events);
  const baseRank = new Int8Array(events);
  const scenarioOf: (string | undefined)[] = new Array(events);
  for await (const e of readEvents(baseDir)) {
    if (e.seq >= events) continue;
    baseMs[e.seq] = e.responseMs;
    baseKey[e.seq] = outcomeKey(e);
    baseRank[e.seq] = outcomeRank(e);
    scenarioOf[e.seq] = e.scenario;
  }
  const headMs = new Float64Array(events).fill(NaN);
  let first: FirstDivergence | null = null;
  let divergent = 0;
  let worse = 0;
  let better = 0;
  let onlyHead = 0;
  for await (const e of readEvents(headDir)) {
    if (e.seq >= events) continue;
    headMs[e.seq] = e.responseMs;
    if (baseKey[e.seq] === undefined) onlyHead++;
    else if (baseKey[e.seq] !== outcomeKey(e)) {
      divergent++;
      const rank = outcomeRank(e);
      if (rank > baseRank[e.seq]!) worse++;
      else if (rank < baseRank[e.seq]!) better++;
    } else continue;
    if (!first || e.seq < first.seq) first = { seq: e.seq, scenario: e.scenario, op: e.op, worker: e.worker, t: e.t, base: null, head: side(e) };
  }
  if (first) {
    for await (const e of readEvents(baseDir)) {
      if (e.seq === first.seq) {
        first.base = side(e);
        break;
      }
    }
  }
  const byScenarioIdx = new Map<string, number[]>();
  let paired = 0;
  let onlyBase = 0;
  for (let seq = 0; seq < events; seq++) {
    const hasBase = !Number.isNaN(baseMs[seq]!);
    const hasHead = !Number.isNaN(headMs[seq]!);
    if (hasBase && !hasHead) onlyBase++;
    if (!hasBase || !hasHead) continue;
    paired++;
    const name = scenarioOf[seq]!;
    (byScenarioIdx.get(name) ?? byScenarioIdx.set(name, []).get(name)!).push(seq);
  }
  // An event only the base sent is a divergence too; it is found here, in seq order.
  if (onlyBase > 0) {
    for (let seq = 0; seq < events && (!first || seq < first.seq); seq++) {
      if (!Number.isNaN(baseMs[seq]!) && Number.isNaN(headMs[seq]!)) {
        for await (const e of readEvents(baseDir)) {
          if (e.seq === seq) {
            first = { seq, scenario: e.scenario, op: e.op, worker: e.worker, t: e.t, base: side(e), head: null };
            break;
          }
        }
        break;
      }
    }
  }
  const byScenario = new Map<string, PairedLatencies>();
  for (const [name, seqs] of byScenarioIdx) {
    byScenario.set(name, { base: Float64Array.from(seqs, (s) => baseMs[s]!), head: Float64Array.from(seqs, (s) => headMs[s]!) });
  }
  return { paired, onlyBase, onlyHead, divergent: divergent + onlyBase, worse, better, first, byScenario };
}
