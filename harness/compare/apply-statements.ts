/**
 * Runs a migration file's statements on the migration connection, reading after each
 * statement, inside its transaction, the table locks the connection holds
 * (own-table-locks.ts, bounded by held-locks.ts).
 *
 * Statement by statement, each runs in a transaction of its own (BEGIN, the statement,
 * the read, COMMIT): the same commit point as autocommit, the lock kept one round trip
 * longer. A statement that cannot run in a transaction block (CREATE/DROP INDEX
 * CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, ...) refuses at once with SQLSTATE 25001,
 * having done nothing; it is rolled back and run again alone, in autocommit, where only
 * the sampler sees its locks. In one transaction, the read after each statement tells
 * which statement first took each lock; all of them are kept until COMMIT.
 */
import type pg from 'pg';
import { HeldLocks, type HeldLock } from './held-locks.ts';
import { ownTableLocks } from './own-table-locks.ts';

/** active_sql_transaction: "... cannot run inside a transaction block". */
const NO_TRANSACTION_BLOCK = '25001';
/** Commands whose row count is rows written (a SELECT's or CREATE TABLE AS's is not). */
const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

export interface AppliedStatements {
  /** Rows inserted, updated, deleted or merged. */
  rowsTouched: number;
  /** Per table, the strongest lock read before the end of a transaction, with the bound of its hold. */
  held: HeldLock[];
  /** Statements whose locks could not be read: run outside a transaction block, or failed (an aborted transaction answers no query). */
  unread: number;
  /** The failure that stopped the file, one line. */
  error?: string;
}

/** One line: the statement's place, its beginning, PostgreSQL's message and SQLSTATE. */
function failure(error: unknown, index: number, count: number, statement: string): string {
  const e = error as { message?: string; code?: string };
  const head = statement.replace(/\s+/g, ' ').trim();
  const shown = head.length > 80 ? `${head.slice(0, 77)}...` : head;
  return `statement ${index + 1} of ${count} (${shown}): ${e.message ?? String(error)}${e.code ? ` [${e.code}]` : ''}`;
}

/** Rows a query wrote. A piece without breakpoints may hold several statements: the simple query protocol returns one result each. */
function rowsWritten(result: pg.QueryResult | pg.QueryResult[]): number {
  return (Array.isArray(result) ? result : [result]).reduce((n, r) => n + (WRITES.has(r.command) ? (r.rowCount ?? 0) : 0), 0);
}

/** Apply `statements` on `client`; `tables` names the tables that existed before, by oid. */
export async function applyStatements(
  client: pg.Client,
  statements: string[],
  singleTransaction: boolean,
  tables: ReadonlyMap<number, string>,
): Promise<AppliedStatements> {
  const held = new HeldLocks();
  let rowsTouched = 0;
  let unread = 0;
  const done = (error?: string): AppliedStatements => ({ rowsTouched, held: held.locks, unread, ...(error === undefined ? {} : { error }) });
  // The transaction's locks are released by the time its COMMIT or ROLLBACK answers.
  const end = async (command: 'COMMIT' | 'ROLLBACK') => {
    try {
      await client.query(command);
    } finally {
      held.released(performance.now());
    }
  };
  const rollback = () => end('ROLLBACK').catch(() => undefined);
  const step = async (statement: string) => {
    const since = performance.now();
    rowsTouched += rowsWritten(await client.query(statement));
    held.seen(await ownTableLocks(client, tables), since);
  };

  if (singleTransaction) {
    await client.query('BEGIN');
    for (const [i, statement] of statements.entries()) {
      try {
        await step(statement);
      } catch (error) {
        await rollback();
        unread++;
        return done(failure(error, i, statements.length, statement));
      }
    }
    try {
      await end('COMMIT');
    } catch (error) {
      // Deferred constraints are checked at COMMIT.
      return done(`COMMIT: ${(error as Error).message}`);
    }
    return done();
  }

  for (const [i, statement] of statements.entries()) {
    await client.query('BEGIN');
    try {
      await step(statement);
      // A deferred constraint fails here, as it would at the end of an autocommitted statement.
      await end('COMMIT');
    } catch (error) {
      // After a failed COMMIT there is no transaction left: ROLLBACK only warns.
      await rollback();
      unread++;
      if ((error as { code?: string }).code !== NO_TRANSACTION_BLOCK) return done(failure(error, i, statements.length, statement));
      try {
        rowsTouched += rowsWritten(await client.query(statement));
      } catch (again) {
        return done(failure(again, i, statements.length, statement));
      }
    }
  }
  return done();
}
