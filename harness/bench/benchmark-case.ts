/**
 * A benchmark case is a plain typed object. A developer writes the statement (or a
 * run function) and what to expect; the harness provides the database, the
 * connection, the timing and the evidence (plan, buffers, rows).
 */
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { caseId } from '../results/results-schema.ts';

/** A SQL statement with parameters ($1, $2, ...). */
export interface SqlStatement {
  text: string;
  values?: unknown[];
}

/** Anything drizzle can render: `db.select()...` has toSQL(). */
export interface DrizzleQuery {
  toSQL(): { sql: string; params: unknown[] };
}

export type Statement = SqlStatement | DrizzleQuery;

export interface CaseContext {
  /** This case's own connection, with the case's settings applied. */
  client: pg.Client;
  /** Drizzle over the same connection. */
  db: NodePgDatabase;
  /** URI of the suite's database (a private copy of the dataset). */
  uri: string;
  scale: number;
  seed: number;
}

export interface BenchmarkCase {
  /** Stable id without the variant, e.g. 'receipts/index/purchase-date-week'. */
  name: string;
  /** The workload whose dataset it runs on. @default the suite's (a case naming another workload is an error) */
  workload?: string;
  /** Which side of the decision, e.g. 'btree' or 'seq-scan', 'normalized' or 'denormalized'. */
  variant: string;
  /** Parameters shown with the result (scale is added by the harness). */
  params?: Record<string, string | number | boolean>;
  /** Session settings for this case's connection (SET name = value), e.g. { enable_indexscan: 'off' }. */
  settings?: Record<string, string>;
  /** The measured statement: run() defaults to executing it, and EXPLAIN captures it. */
  statement?: Statement | ((ctx: CaseContext) => Statement);
  /** Once, before anything is measured (create a scratch table, ...). */
  setup?: (ctx: CaseContext) => Promise<void>;
  /** Untimed, before every iteration: reset state that run() mutates. */
  beforeEach?: (ctx: CaseContext) => Promise<void>;
  /** The timed work; its result is consumed. @default executes `statement` */
  run?: (ctx: CaseContext) => Promise<unknown>;
  /** After setup, before timing: throw if the case does not do what it claims. */
  verify?: (ctx: CaseContext) => Promise<void>;
  /**
   * Buffer cache state for the measurement. `warm` (default): the statement runs
   * untimed first, so its pages are in shared buffers. `cold`: before every
   * iteration (untimed) the relations in the case's plan are evicted from shared
   * buffers (pg_buffercache_evict, PostgreSQL 17); the OS page cache stays warm.
   * @default 'warm'
   */
  cache?: 'warm' | 'cold';
  /**
   * Run on a private copy of the dataset instead of the suite's database: for a setup
   * that changes the schema (e.g. drops an index to measure "before") while the other
   * side of the comparison keeps it. The copy is dropped when the case closes.
   * @default false
   */
  ownDatabase?: boolean;
  /** Last step of a run, whatever happened (drop scratch tables, ...). */
  teardown?: (ctx: CaseContext) => Promise<void>;
}

export { caseId };

export function defineCase<C extends BenchmarkCase>(c: C): C {
  if (!c.statement && !c.run) throw new Error(`benchmark case ${caseId(c)}: give a statement or a run function`);
  if (!/^[a-z0-9][a-z0-9/_.-]*$/.test(c.name)) throw new Error(`benchmark case name ${JSON.stringify(c.name)}: use lowercase letters, digits and / _ . -`);
  return c;
}

export function toSqlStatement(statement: Statement): SqlStatement {
  if ('toSQL' in statement) {
    const { sql, params } = statement.toSQL();
    return { text: sql, values: params };
  }
  return statement;
}
