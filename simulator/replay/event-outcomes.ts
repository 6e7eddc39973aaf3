/**
 * The outcome of a realtime event from its clock times. Reports are in simulated time: at --speed k a wall
 * millisecond is k simulated ones. Response time counts from the intended start (coordinated-omission-correct),
 * service time from the actual send, lateness is the gap between the two.
 */
import type { TraceEvent } from '../trace/types.ts';
import type { EventOutcome } from '../outcome/outcome.ts';
import { actionTaken, normaliseBody } from '../outcome/outcome.ts';
import type { HttpResult } from './http.ts';

/** An answered event (or a transport error): clock times of its intended start, send and end, and of t0. */
export function answeredOutcome(event: TraceEvent, t0: number, intended: number, sent: number, end: number, k: number, res: HttpResult): EventOutcome {
  return {
    event,
    intendedMs: (intended - t0) * k,
    startMs: (sent - t0) * k,
    responseMs: (end - intended) * k,
    serviceMs: (end - sent) * k,
    latenessMs: (sent - intended) * k,
    waitMs: res.waitMs ?? null,
    sheetsMs: null,
    computeMs: null,
    status: res.status,
    error: res.error,
    body: res.status === null ? '' : normaliseBody(res.text, res.json),
    action_taken: actionTaken(res.json),
  };
}

/**
 * An event the run gave up on at `stopMs` (ms after t0): never sent (`sent` null: NOT_SENT) or still in flight
 * (ABANDONED). Its response time is a lower bound, from its intended start to the stop.
 */
export function givenUpOutcome(event: TraceEvent, t0: number, intended: number, sent: number | null, stopMs: number, k: number): EventOutcome {
  const intendedRel = intended - t0;
  return {
    event,
    intendedMs: intendedRel * k,
    startMs: (sent === null ? stopMs : sent - t0) * k,
    responseMs: Math.max(0, stopMs - intendedRel) * k,
    serviceMs: (sent === null ? 0 : Math.max(0, stopMs - (sent - t0))) * k,
    latenessMs: (sent === null ? Math.max(0, stopMs - intendedRel) : sent - intended) * k,
    waitMs: null,
    sheetsMs: null,
    computeMs: null,
    status: null,
    error: sent === null ? 'NOT_SENT' : 'ABANDONED',
    body: '',
    action_taken: null,
  };
}
