import { describe, expect, it } from 'vitest';
import type { EventOutcome } from '../../simulator/outcome/outcome.ts';
import { guardTarget } from '../../simulator/replay/target-guard.ts';
import { DEFAULT_VALIDITY_RULES, TargetWatch } from '../../simulator/replay/validity.ts';

const outcome = (t: number, status: number | null): EventOutcome => ({
  event: { seq: t, t, worker: 1, op: 'health', scenario: 'health', req: { method: 'GET', path: '/' } },
  intendedMs: t, startMs: t, responseMs: 1, serviceMs: 1, latenessMs: 0,
  status, error: status === null ? 'ECONNREFUSED' : null, body: '', action_taken: null,
});

describe('target guard (exact mode)', () => {
  it('aborts its signal on the 10th connection error in a row and passes every outcome on', () => {
    const watch = new TargetWatch(DEFAULT_VALIDITY_RULES);
    const guard = guardTarget(watch, () => null, () => 0);
    const seen: number[] = [];
    const sink = guard.watched((o) => seen.push(o.event.t));
    sink(outcome(0, 200), null);
    for (let i = 1; i <= 9; i++) sink(outcome(i * 1000, null), null);
    expect(guard.signal.aborted).toBe(false);
    sink(outcome(10_000, null), null);
    expect(guard.signal.aborted).toBe(true);
    expect(guard.stoppedUnreachable).toBe(true);
    expect(seen).toHaveLength(11);
    guard.close();
  });

  it('aborts when the target process exits, and follows the caller signal without claiming it', async () => {
    const watch = new TargetWatch(DEFAULT_VALIDITY_RULES);
    let gone: string | null = null;
    const guard = guardTarget(watch, () => gone, () => 42_000, undefined, 10);
    gone = 'embedded target exited (signal SIGKILL)';
    await new Promise<void>((r) => guard.signal.addEventListener('abort', () => r(), { once: true }));
    expect(watch.evaluate().reasons).toEqual(['target unreachable from s = 42: no answer (embedded target exited (signal SIGKILL))']);
    guard.close();

    const caller = new AbortController();
    const g2 = guardTarget(new TargetWatch(DEFAULT_VALIDITY_RULES), () => null, () => 0, caller.signal);
    caller.abort();
    expect(g2.signal.aborted).toBe(true);
    expect(g2.stoppedUnreachable).toBe(false);
    g2.close();
  });
});
