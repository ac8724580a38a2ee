/**
 * Errors that say the server itself is gone or cannot serve, as opposed to a statement it
 * refused: the measuring environment failed, and nothing measured can be judged (the CLI
 * exits 3, not 1: see harness/errors.ts). PostgreSQL reports its own end to every session:
 * 57P01 admin_shutdown (a fast shutdown, `pg_ctl -m fast stop`), 57P02 crash_shutdown
 * (another backend crashed), 57P03 cannot_connect_now (starting or shutting down); class 08
 * is a connection exception, class 53 insufficient resources (disk full, out of memory,
 * too many connections), class 58 a system error (I/O). Without a server to answer, the
 * client sees the socket fail (ECONNREFUSED, ECONNRESET, ...) or node-postgres's
 * "Connection terminated unexpectedly".
 */
import { sqlstateOf } from './sqlstate.ts';

const LOST_SQLSTATES = /^(57P0[123]|08...|53...|58...)$/;
const LOST_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** What says the server was lost, or undefined when `error` is something else. */
export function serverLostReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const state = sqlstateOf(error);
  if (LOST_SQLSTATES.test(state)) return `PostgreSQL error ${state}: ${error.message}`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && LOST_SOCKET.has(code)) return error.message || code;
  if (/^Connection terminated( unexpectedly)?$/.test(error.message)) return error.message;
  return undefined;
}
