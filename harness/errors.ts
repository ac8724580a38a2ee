/**
 * A problem the user can fix (bad option, unreachable server, missing engine).
 * The CLI prints its message on one line and exits with code 2, no stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

export const ENVIRONMENT_EXIT_CODE = 3;

/**
 * The measuring environment failed (the server went away, the disk filled): nothing
 * measured can be judged, and it is not a regression either. The CLI prints one line and
 * exits with code 3, so CI can tell a broken environment from a regression (1).
 */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
  readonly exitCode = ENVIRONMENT_EXIT_CODE;
}

/** The one line for a server that went away while a command used it. */
export function lostServerLine(reason: string, where = 'the PostgreSQL server'): string {
  return `lost ${where} (${reason}): an environment failure, not a regression; nothing was judged`;
}
