/**
 * A problem the user can fix (bad option, unreachable server, missing engine).
 * The CLI prints its message on one line and exits with code 2, no stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/** Wraps a failed SQL statement with the statement and its parameters. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(
    message: string,
    readonly sql: string,
    readonly params: readonly unknown[] = [],
    options?: { cause?: unknown },
  ) {
    super(`${message}\n  sql: ${sql}${params.length ? `\n  params: ${JSON.stringify(params)}` : ''}`, options);
  }
}
