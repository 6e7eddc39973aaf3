/**
 * Starting the embedded target's process before the CLI knows its settings. The child spends ~0.5 s loading its
 * modules (Fastify, better-sqlite3, the backend) before it reads its settings line, and the CLI spends about as
 * long loading its own and reading the trace's header before it can write that line: started at the CLI's entry,
 * the two overlap. `spawnEmbedded` takes the waiting child when there is one; a child nobody takes is let go when
 * the CLI ends (its stdin closes and it exits without a word, see commands/embedded-target.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { packagePath } from '../package-root.ts';

const BIN = packagePath('bin', 'sheetsim.js');

let waiting: ChildProcess | null = null;

/** Spawn `sheetsim __embedded-target` with no settings yet (stdin open, stdout/stderr piped). */
export function spawnEmbeddedProcess(): ChildProcess {
  // detached: a Ctrl-C on the terminal reaches the replayer only, which then stops the child when its report is done.
  const child = spawn(process.execPath, [BIN, '__embedded-target'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  // stdin is the child's lifeline after the settings line. Ignore EPIPE once it is gone.
  child.stdin!.on('error', () => undefined);
  return child;
}

/**
 * Whether a `sheetsim run` command line will start the embedded target: no --target / --target-cmd, and not
 * --reproduce (its target comes from a report) or --help. A wrong guess only costs a child that is let go.
 */
export function runWantsEmbedded(argv: readonly string[]): boolean {
  if (argv[0] !== 'run') return false;
  const end = argv.indexOf('--');
  const flags = end === -1 ? argv.slice(1) : argv.slice(1, end);
  return !flags.some((a) => /^(--target|--target-cmd|--reproduce|--help|-h)(=|$)/.test(a));
}

/**
 * Start the embedded child now, for a later `takePrespawned`; it does not keep the CLI's event loop alive.
 * Returns the waiting child (tests watch it).
 */
export function prespawnEmbedded(): ChildProcess {
  if (waiting) return waiting;
  const child = spawnEmbeddedProcess();
  setHeld(child, false);
  waiting = child;
  return child;
}

/** The waiting child if it is still alive (then it is the caller's), else null. */
export function takePrespawned(): ChildProcess | null {
  const child = waiting;
  waiting = null;
  if (!child) return null;
  if (child.exitCode !== null || child.signalCode !== null) return null;
  setHeld(child, true);
  return child;
}

/** Let a child nobody took go: closing its stdin ends it. */
export function releasePrespawned(): void {
  const child = waiting;
  waiting = null;
  child?.stdin?.end();
}

// ref/unref the process and its pipes: an untaken child must not hold the CLI open; a taken one must.
function setHeld(child: ChildProcess, held: boolean): void {
  for (const h of [child, child.stdin, child.stdout, child.stderr] as Array<{ ref?(): void; unref?(): void } | null>) {
    if (held) h?.ref?.();
    else h?.unref?.();
  }
}
