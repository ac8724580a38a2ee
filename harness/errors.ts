/**
 * A problem the user can fix (bad option, unreachable server, missing engine).
 * The CLI prints its message on one line and exits with code 2, no stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}
