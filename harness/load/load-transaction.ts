/** One type of transaction in a load mix: SQL with drawn parameters, or a function. */
import type pg from 'pg';
import type { RowRandom } from '../fixtures/row-random.ts';

export interface TransactionContext {
  /** This client's connection (one per client, kept for the whole run). */
  client: pg.Client;
  /** This client's seeded stream: draw parameters from it, so a run is reproducible. */
  random: RowRandom;
  /** 0 .. clients-1. */
  clientIndex: number;
  /** Transactions this client has started so far (0-based). */
  iteration: number;
}

export interface LoadTransaction {
  /** Name in the report; unique within the mix. */
  name: string;
  /** Relative frequency in the mix. @default 1 */
  weight?: number;
  /**
   * One statement, run in autocommit as a named prepared statement (parsed and planned
   * once per connection, like pgbench -M prepared). Give `sql` or `run`, not both.
   */
  sql?: string;
  /** Parameters of `sql` ($1, $2, ...), drawn per execution. @default none */
  params?: (ctx: TransactionContext) => unknown[];
  /**
   * The whole transaction, BEGIN to COMMIT, on `ctx.client`. When it throws, the driver
   * sends ROLLBACK, counts the SQLSTATE, and reruns it on 40001/40P01.
   */
  run?: (ctx: TransactionContext) => Promise<unknown>;
}
