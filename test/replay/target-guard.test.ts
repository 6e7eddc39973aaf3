import { describe, expect, it } from 'vitest';
import { guardTarget } from '../../simulator/replay/target-guard.ts';
import { DEFAULT_VALIDITY_RULES, type ObservedEvent, TargetWatch } from '../../simulator/replay/validity.ts';

const answer = (t: number, status: number | null): ObservedEvent => ({ t, status, error: status === null ? 'ECONNREFUSED' : null });

describe('target guard (exact mode)', () => {
  it('aborts its signal on the 10th connection error in a row', () => {
    const watch = new TargetWatch(DEFAULT_VALIDITY_RULES);
    const guard = guardTarget(watch, () => null, () => 0);
    guard.observe(answer(0, 200));
    for (let i = 1; i <= 9; i++) guard.observe(answer(i * 1000, null));
    expect(guard.signal.aborted).toBe(false);
    guard.observe(answer(10_000, null));
    expect(guard.signal.aborted).toBe(true);
    expect(guard.stoppedUnreachable).toBe(true);
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
