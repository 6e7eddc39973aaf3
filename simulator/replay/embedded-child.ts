/**
 * Runs the embedded servers (simulator/replay/embedded-servers.ts) in a child process: `node bin/sheetsim.js
 * __embedded-target` with the settings as one JSON line on its stdin. The child prints its URLs as one JSON line
 * and lives as long as its stdin is open, so it goes away with the parent even after a `kill -9` of the parent.
 */
import { EnvironmentError } from '../errors.ts';
import { processTreeRssMb } from '../metrics/memory.ts';
import { watchChild } from './child-watch.ts';
import { spawnEmbeddedProcess, takePrespawned } from './embedded-prespawn.ts';
import { type ExactChannel, type FromChild, readLines } from './embedded-exact.ts';
import type { EmbeddedSettings } from './embedded-servers.ts';
import type { Warmup } from './warmup.ts';

export interface EmbeddedChild {
  url: string | null;
  sheetsUrl: string;
  spreadsheetId: string;
  auditSpreadsheetId: string;
  /** The warm-up it ran before its ready line, when its settings asked for one (`warmupTimeoutMs`). */
  warmup: Warmup | null;
  pid: number;
  /** RSS of the child (MB), 0 once it exited. */
  rssMb(): number;
  /** Set when the child exited before stop(): the message says how. */
  died(): string | null;
  /** Exact mode's messages with the child (embedded-exact.ts): JSON lines on its stdin and stdout. */
  channel: ExactChannel;
  stop(): Promise<void>;
}

/** Start the embedded servers in their own process; resolves once they listen. */
export async function spawnEmbedded(settings: EmbeddedSettings, readyTimeoutMs: number): Promise<EmbeddedChild> {
  // The child the CLI started at its entry (embedded-prespawn.ts) has loaded its modules meanwhile.
  const child = takePrespawned() ?? spawnEmbeddedProcess();
  // On stdin, not argv: an imported trace's world snapshot can pass Linux's 128 KB limit for one argument.
  child.stdin!.write(`${JSON.stringify(settings)}\n`);
  const watch = watchChild(child, 'embedded target');
  const { stderrTail, exited } = watch;
  const tail = (): string => (stderrTail.length ? `\nlast stderr lines of the embedded target:\n  ${stderrTail.join('\n  ')}` : '');

  const kill = async (): Promise<void> => {
    watch.markStopping();
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin!.end();
    const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000).unref())]);
    if (!gone) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  // Stdout is JSON lines, read (and so drained) to the end: the ready line with the servers' URLs, then exact mode's
  // messages (embedded-exact.ts).
  let onLine: (line: string) => void = () => undefined;
  readLines(child.stdout!, (line) => onLine(line));
  let listener: { onMessage(m: FromChild): void; onClose(why: string): void } | null = null;
  const message = (line: string): void => {
    let m: FromChild;
    try {
      m = JSON.parse(line) as FromChild;
    } catch {
      return; // not a message (something in the child printed to stdout)
    }
    if (typeof m === 'object' && m !== null) listener?.onMessage(m);
  };

  let ready: { url: string | null; sheetsUrl: string; spreadsheetId: string; auditSpreadsheetId: string; warmup?: Warmup | null };
  try {
    ready = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new EnvironmentError(`the embedded target did not start within ${readyTimeoutMs} ms${tail()}`)), readyTimeoutMs);
      onLine = (line) => {
        clearTimeout(timer);
        onLine = message;
        try {
          resolve(JSON.parse(line));
        } catch {
          reject(new EnvironmentError(`the embedded target printed ${JSON.stringify(line.slice(0, 200))} instead of its URLs${tail()}`));
        }
      };
      void exited.then(() => {
        clearTimeout(timer);
        reject(new EnvironmentError(`${watch.exitInfo() ?? 'embedded target exited'} before it listened${tail()}`));
      });
    });
  } catch (err) {
    await kill();
    throw err;
  }
  // After the last message it sent: its stdout's end, then its exit.
  const drained = new Promise<void>((resolve) => child.stdout!.once('close', resolve));
  void Promise.all([drained, exited]).then(() => listener?.onClose(`the embedded target exited mid-run (${watch.exitInfo() ?? 'stopped'})`));
  const channel: ExactChannel = {
    send: (m) => void child.stdin!.write(`${JSON.stringify(m)}\n`),
    listen(onMessage, onClose) {
      listener = { onMessage, onClose };
    },
  };
  const pid = child.pid!;
  return {
    ...ready,
    warmup: ready.warmup ?? null,
    pid,
    rssMb: () => (watch.exitInfo() === null && !watch.stopping() ? processTreeRssMb(pid) : 0),
    died: watch.exitInfo,
    channel,
    stop: kill,
  };
}
