/**
 * How an error that reached the top of a command becomes an exit code and one line on stderr, so every command
 * keeps the same contract: 2 for bad usage, bad input or an unusable environment (a busy port, an unreachable URL,
 * a file that cannot be read or written), 1 for anything else (a bug). Never a stack trace unless `--debug`.
 */
import { EnvironmentError, InputError, UsageError } from '../errors.ts';
import { TraceError } from '../trace/error.ts';

/**
 * System error codes that mean the environment cannot be used as asked (not a bug in sheetsim). Node's messages
 * for these name the path, address or port (`listen EADDRINUSE: address already in use 127.0.0.1:8000`).
 */
const ENVIRONMENT_CODES = new Set([
  'EADDRINUSE', 'EADDRNOTAVAIL', 'EACCES', 'EPERM', 'ENOENT', 'ENOTDIR', 'EISDIR', 'EEXIST', 'EROFS', 'ENOSPC', 'EMFILE',
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ERR_INVALID_URL',
]);

export interface Failure {
  exitCode: 1 | 2;
  /** One line, without the `sheetsim <command>: ` prefix. */
  message: string;
}

/** The error itself or, for wrappers such as undici's `TypeError: fetch failed`, the cause that says what failed. */
function environmentError(err: unknown): (Error & { code?: string }) | null {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && ENVIRONMENT_CODES.has(code)) return e as Error & { code: string };
  }
  return null;
}

/** The first line of a message: a one-line contract, whatever a library put after it. */
function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}

/** Our own messages on one line: a line break and its indentation become one space, nothing is dropped. */
function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

/** Classify an error thrown by a command. */
export function describeFailure(err: unknown): Failure {
  if (err instanceof UsageError || err instanceof InputError || err instanceof EnvironmentError || err instanceof TraceError) return { exitCode: 2, message: oneLine(err.message) };
  const env = environmentError(err);
  if (env) {
    const outer = err instanceof Error && err !== env ? `${firstLine(err.message)}: ` : '';
    return { exitCode: 2, message: `${outer}${firstLine(env.message)}` };
  }
  const text = err instanceof Error ? `${err.name}: ${firstLine(err.message)}` : firstLine(String(err));
  return { exitCode: 1, message: `internal error: ${text} (run again with --debug for the stack trace)` };
}
