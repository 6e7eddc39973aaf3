/**
 * Errors any layer may raise, kept below all of them so that trace/, metrics/, report/, diff/ and replay/ never
 * import the CLI to report bad input. The CLI maps both to exit code 2 with a one-line message.
 */

/** Wrong flags or arguments: the CLI prints the message and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Bad input data (a malformed trace, a report of another schema...): the CLI prints it and exits 2. */
export class InputError extends Error {
  override name = 'InputError';
}

/**
 * The environment cannot be used as asked: a target that does not start or answer, a mock whose clock cannot serve
 * the chosen mode. The CLI prints the message (which names the URL, command or port) and exits 2.
 */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}
