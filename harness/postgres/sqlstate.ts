/** SQLSTATE of a failed statement or transaction, and which ones a client should retry. */

/**
 * serialization_failure (40001): a SERIALIZABLE or REPEATABLE READ transaction lost a
 * conflict; deadlock_detected (40P01): the deadlock detector chose this transaction as
 * the victim. In both the server has rolled the transaction back and the same
 * transaction, rerun from the start, can succeed: PostgreSQL's documentation (13.4,
 * "Serialization Failure Handling") tells applications to retry exactly these.
 */
export const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(['40001', '40P01']);

/** The error's SQLSTATE (node-postgres puts it in `code`), or 'client' for errors raised outside the server. */
export function sqlstateOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : 'client';
}
