import { describe, expect, it } from 'vitest';
import { DEFAULT_VALIDITY_RULES, TargetWatch, evaluateValidity, parseShare, type ObservedEvent } from '../../simulator/replay/validity.ts';

/** A fabricated stream: one event every `everyMs` of trace time for `seconds`, answered by `answer(t)`. */
function stream(seconds: number, everyMs: number, answer: (t: number) => Pick<ObservedEvent, 'status' | 'error'>): ObservedEvent[] {
  const out: ObservedEvent[] = [];
  for (let t = 0; t < seconds * 1000; t += everyMs) out.push({ t, ...answer(t) });
  return out;
}
const ok = { status: 200, error: null };
const refused = { status: null, error: 'ECONNREFUSED' };

/** Feed a stream; returns the watch and the index of the event that made the target unreachable (or -1). */
function feed(events: ObservedEvent[], rules = DEFAULT_VALIDITY_RULES): { watch: TargetWatch; stopAt: number } {
  const watch = new TargetWatch(rules);
  let stopAt = -1;
  events.forEach((e, i) => {
    if (watch.observe(e) && stopAt < 0) stopAt = i;
  });
  return { watch, stopAt };
}

describe('validity rules on fabricated event streams', () => {
  it('a healthy run (a few 4xx and a 5xx, one reset) is valid', () => {
    const events = stream(60, 100, (t) => (t % 5000 === 0 ? { status: 409, error: null } : t === 20_100 ? { status: null, error: 'ECONNRESET' } : t === 30_100 ? { status: 503, error: null } : ok));
    const { watch, stopAt } = feed(events);
    expect(stopAt).toBe(-1);
    const v = watch.evaluate();
    expect(v).toEqual({ valid: true, reasons: [], transportErrors: { ECONNRESET: 1 }, unreachableFromS: null });
  });

  it('a target dead from s = 30 is unreachable from s = 30, detected on the 10th refusal, and the run is invalid', () => {
    const events = stream(60, 100, (t) => (t < 30_000 ? ok : refused));
    const { watch, stopAt } = feed(events);
    expect(events[stopAt]!.t).toBe(30_000 + 9 * 100);
    const v = watch.evaluate();
    expect(v.valid).toBe(false);
    expect(v.unreachableFromS).toBe(30);
    expect(v.transportErrors).toEqual({ ECONNREFUSED: 300 });
    expect(v.reasons[0]).toBe('target unreachable from s = 30: ECONNREFUSED ×300');
    // Half of the events were refused: the transport-error share is broken too, and said so.
    expect(v.reasons.some((r) => r.includes('--max-transport-errors'))).toBe(true);
  });

  it('a target refusing from the start is unreachable from s = 0 and invalid; success floor broken too', () => {
    const { watch, stopAt } = feed(stream(10, 100, () => refused));
    expect(stopAt).toBe(9);
    const v = watch.evaluate();
    expect(v.valid).toBe(false);
    expect(v.unreachableFromS).toBe(0);
    expect(v.reasons.join('\n')).toMatch(/success 0% of 100 events sent, below the 1% floor/);
  });

  it('a saturated target (slow, timing out, answering 503) is not "unreachable": timeouts are slow answers', () => {
    const events = stream(60, 100, (t) => (t < 20_000 ? ok : t % 300 === 0 ? { status: null, error: 'TIMEOUT' } : { status: 503, error: null }));
    const { watch, stopAt } = feed(events);
    expect(stopAt).toBe(-1);
    const v = watch.evaluate();
    expect(v.unreachableFromS).toBeNull();
    expect(v.transportErrors.TIMEOUT).toBeGreaterThan(100);
    // 2xx on a third of the events: above the 1 % floor, so the run keeps its verdict (the gates judge it).
    expect(v.valid).toBe(true);
  });

  it('connection errors spread out (never 10 in a row) break the share rule but not reachability', () => {
    const events = stream(60, 100, (t) => (t % 1000 === 0 ? refused : ok));
    const { watch, stopAt } = feed(events);
    expect(stopAt).toBe(-1);
    const v = watch.evaluate();
    expect(v.unreachableFromS).toBeNull();
    expect(v.valid).toBe(false);
    expect(v.reasons).toEqual(['connection errors on 10% of 600 events sent, more than the 5% allowed (--max-transport-errors)']);
    // The same run passes with a looser rule.
    expect(evaluateValidity({ sent: watch.sent, ok: watch.ok, transportErrors: watch.transportErrors, unreachable: null }, { ...DEFAULT_VALIDITY_RULES, maxTransportErrorShare: 0.1 }).valid).toBe(true);
  });

  it('an answer between refusals resets the streak', () => {
    const events = stream(10, 100, (t) => (t % 900 === 0 ? ok : refused));
    expect(feed(events, { ...DEFAULT_VALIDITY_RULES, maxTransportErrorShare: 1, minSuccessShare: 0 }).stopAt).toBe(-1);
  });

  it('a target process that exited is unreachable from when it exited, and the reason says how', () => {
    const watch = new TargetWatch(DEFAULT_VALIDITY_RULES);
    for (const e of stream(30, 100, () => ok)) watch.observe(e);
    watch.targetExited(30_400, 'target command exited (signal SIGKILL)');
    watch.observe({ t: 30_500, ...refused });
    const v = watch.evaluate();
    expect(v.valid).toBe(false);
    expect(v.unreachableFromS).toBe(30);
    expect(v.reasons).toEqual(['target unreachable from s = 30: ECONNREFUSED ×1 (target command exited (signal SIGKILL))']);
  });

  it('a failed probe during a streak makes the target unreachable from the streak start; without a streak it does nothing', () => {
    const watch = new TargetWatch(DEFAULT_VALIDITY_RULES);
    watch.observe({ t: 4_000, ...ok });
    expect(watch.probeFailed()).toBe(false);
    watch.observe({ t: 5_200, ...refused });
    expect(watch.failing).toBe(true);
    expect(watch.probeFailed()).toBe(true);
    expect(watch.evaluate().unreachableFromS).toBe(5);
  });

  it('a run with no finished event (all cut off by the deadline) breaks no share rule: overload, not a broken target', () => {
    expect(new TargetWatch(DEFAULT_VALIDITY_RULES).evaluate()).toEqual({ valid: true, reasons: [], transportErrors: {}, unreachableFromS: null });
  });

  it('--min-success 0 turns the success floor off', () => {
    const counts = { sent: 100, ok: 0, transportErrors: {}, unreachable: null };
    expect(evaluateValidity(counts, DEFAULT_VALIDITY_RULES).valid).toBe(false);
    expect(evaluateValidity(counts, { ...DEFAULT_VALIDITY_RULES, minSuccessShare: 0 }).valid).toBe(true);
  });

  it('parses shares as percent or fraction', () => {
    expect(parseShare('5%')).toBe(0.05);
    expect(parseShare('0.05')).toBe(0.05);
    expect(parseShare('0')).toBe(0);
    expect(parseShare('150%')).toBeNull();
    expect(parseShare('abc')).toBeNull();
  });
});
