/**
 * A full garbage collection right before t0. What the replayer prepares before the run — the trace's first seconds
 * parsed into the read-ahead buffer (up to 32,768 events), the hot-path warm-up's garbage, 256 sockets — sits in
 * the young generation at t0, so the first scavenges of the run had to copy all of it while events were due: a
 * `--trace-gc-nvp` of a 3,000 events/s run showed 14–34 ms pauses (1.4–3.1 MB survived) in its first second against
 * 3–7 ms later. Collecting (twice: the first collection ages the survivors, the second promotes them) before t0
 * moves that work out of the measured run.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

/** Run a full GC twice, if this Node lets the process do it; returns whether it ran. */
export function collectBeforeT0(): boolean {
  if (collect === undefined) {
    try {
      // `gc` is exposed to contexts created after the flag is set; the process's own context stays as it is.
      setFlagsFromString('--expose-gc');
      const fn: unknown = runInNewContext('gc');
      collect = typeof fn === 'function' ? (fn as () => void) : null;
    } catch {
      collect = null;
    }
  }
  if (!collect) return false;
  collect();
  collect();
  return true;
}
