/**
 * Stops a run whose target went away, for modes that drive the target one event at a time (exact): every answer
 * goes through the TargetWatch, and the target's process is polled for an exit. Realtime does the same inside
 * its own loop (simulator/replay/realtime.ts), where the answers arrive before the call log attributes them.
 */
import type { ObservedEvent, TargetWatch } from './validity.ts';

export interface TargetGuard {
  /** Aborted on the caller's signal or once the target is unreachable. */
  signal: AbortSignal;
  /** Watch one answer (exact mode's `onAnswer`): the signal aborts once the target counts as unreachable. */
  observe(answer: ObservedEvent): void;
  /** True when the guard (not the caller) stopped the run. */
  readonly stoppedUnreachable: boolean;
  /** Stop polling; call when the run is over. */
  close(): void;
}

/** Guard a run: `died()` is the target's exit message (or null), `nowT()` the trace time reached, in ms. */
export function guardTarget(watch: TargetWatch, died: () => string | null, nowT: () => number, signal?: AbortSignal, pollMs = 250): TargetGuard {
  const stop = new AbortController();
  let stopped = false;
  const onAbort = (): void => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) stop.abort();
  const giveUp = (): void => {
    stopped = true;
    stop.abort();
  };
  const poll = setInterval(() => {
    const gone = died();
    if (gone && !stopped) {
      watch.targetExited(nowT(), gone);
      giveUp();
    }
  }, pollMs);
  return {
    signal: stop.signal,
    observe(answer) {
      if (watch.observe(answer)) giveUp();
    },
    get stoppedUnreachable() {
      return stopped;
    },
    close() {
      clearInterval(poll);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}
