/** What sheetsim keeps of a child process it started (a target command, the embedded target): its last stderr lines and how it exited. */
import type { ChildProcess } from 'node:child_process';

const STDERR_LINES = 20;

export interface ChildWatch {
  /** The last non-empty stderr lines (at most 20), for messages about a child that failed. */
  stderrTail: string[];
  /** Resolves when the child has exited, however. */
  exited: Promise<void>;
  /** `<name> exited (code 3)` when it exited on its own, null while it runs or once it was being stopped. */
  exitInfo(): string | null;
  /** Call before stopping it: an exit after this is not a death. */
  markStopping(): void;
  stopping(): boolean;
}

/** Start watching `child`, named `name` in the exit message. */
export function watchChild(child: ChildProcess, name: string): ChildWatch {
  const stderrTail: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail.push(...chunk.split('\n').filter((l) => l.trim() !== ''));
    if (stderrTail.length > STDERR_LINES) stderrTail.splice(0, stderrTail.length - STDERR_LINES);
  });
  let exitInfo: string | null = null;
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      if (!stopping) exitInfo = `${name} exited (${signal ? `signal ${signal}` : `code ${code}`})`;
      resolve();
    });
  });
  return {
    stderrTail,
    exited,
    exitInfo: () => exitInfo,
    markStopping: () => {
      stopping = true;
    },
    stopping: () => stopping,
  };
}
