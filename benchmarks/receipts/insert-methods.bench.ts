/**
 * Seed 004, "Insert Performance": the same rows inserted five ways into an empty copy
 * of receipts (same columns, primary key, unique key and indexes as the real table):
 * single-row INSERTs in autocommit, single-row INSERTs in one transaction, one
 * multi-row INSERT ... VALUES, one INSERT ... SELECT FROM unnest(arrays), and COPY.
 * Each iteration starts from an empty table: TRUNCATE runs untimed before it.
 *
 * Thresholds are lower bounds of what was measured here at 2,000 rows per iteration
 * (see the issue note for the intervals); the order single < batch < COPY is the claim.
 * The server runs with synchronous_commit=off (benchmark profile): each autocommit
 * costs a round trip and a commit record, not a WAL flush, so "single" is faster
 * here than on a durable server and the gaps below are conservative.
 */
import { getTableConfig } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { finished } from 'node:stream/promises';
import { drizzle } from 'drizzle-orm/node-postgres';
import { defineCase, type BenchmarkCase, type CaseContext, benchmarkSuite, withConnection } from 'schemabench';
import { receipts } from '../../schema/receipts/normalized.ts';
import { ROWS_PER_ITERATION } from './insert-methods-config.ts';

const TARGET = 'insert_target';
// The receipts table's columns and SQL types, read from its Drizzle definition.
const COLUMNS = getTableConfig(receipts).columns.map((c) => c.name);
const TYPES = getTableConfig(receipts).columns.map((c) => c.getSQLType());
const columnList = COLUMNS.map((c) => pg.escapeIdentifier(c)).join(', ');

/** Rows per case session, as text values (what an application would send). */
const rowsByClient = new WeakMap<pg.Client, string[][]>();
const rows = (ctx: CaseContext) => rowsByClient.get(ctx.client)!;

async function setup(ctx: CaseContext): Promise<void> {
  // A private empty twin of receipts per case (LIKE ... INCLUDING ALL copies keys and indexes).
  await ctx.client.query(`CREATE TABLE IF NOT EXISTS ${TARGET} (LIKE receipts INCLUDING ALL)`);
  const { rows: source } = await ctx.client.query({
    text: `SELECT ${COLUMNS.map((c) => `${pg.escapeIdentifier(c)}::text`).join(', ')} FROM receipts ORDER BY id LIMIT $1`,
    values: [ROWS_PER_ITERATION],
    rowMode: 'array',
  });
  rowsByClient.set(ctx.client, source as string[][]);
}

const truncate = (ctx: CaseContext) => ctx.client.query(`TRUNCATE ${TARGET}`).then(() => undefined);

async function verify(ctx: CaseContext): Promise<void> {
  await truncate(ctx);
  await method(ctx);
  const { rows: counted } = await ctx.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${TARGET}`);
  if (counted[0]!.n !== rows(ctx).length) throw new Error(`inserted ${counted[0]!.n} rows, expected ${rows(ctx).length}`);
}
let method: (ctx: CaseContext) => Promise<unknown>;

const singleInsert = { name: 'insert-one-row', text: `INSERT INTO ${TARGET} (${columnList}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})` };

const METHODS: Record<string, (ctx: CaseContext) => Promise<unknown>> = {
  async 'single-autocommit'(ctx) {
    // A prepared statement (named): parse and plan once, then one round trip and one commit per row.
    for (const row of rows(ctx)) await ctx.client.query({ ...singleInsert, values: row });
    return rows(ctx).length;
  },
  async 'single-transaction'(ctx) {
    await ctx.client.query('BEGIN');
    for (const row of rows(ctx)) await ctx.client.query({ ...singleInsert, values: row });
    await ctx.client.query('COMMIT');
    return rows(ctx).length;
  },
  async 'multi-row-values'(ctx) {
    // 2,000 rows x 12 columns = 24,000 parameters (the protocol allows 65,535).
    const values = rows(ctx).flat();
    const tuples = rows(ctx).map((_, r) => `(${COLUMNS.map((__, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`);
    return (await ctx.client.query(`INSERT INTO ${TARGET} (${columnList}) VALUES ${tuples.join(', ')}`, values)).rowCount;
  },
  async 'unnest-arrays'(ctx) {
    // 12 array parameters whatever the row count: one short statement, parsed once.
    const arrays = COLUMNS.map((_, c) => rows(ctx).map((row) => row[c]));
    const unnest = TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
    return (await ctx.client.query(`INSERT INTO ${TARGET} (${columnList}) SELECT * FROM unnest(${unnest})`, arrays)).rowCount;
  },
  async copy(ctx) {
    const stream = ctx.client.query(copyFrom(`COPY ${TARGET} (${columnList}) FROM STDIN`));
    stream.end(rows(ctx).map((row) => row.join('\t')).join('\n') + '\n');
    await finished(stream);
    return rows(ctx).length;
  },
};

export const INSERT_CASES: BenchmarkCase[] = Object.entries(METHODS).map(([variant, run]) =>
  defineCase({
    name: 'receipts/insert/methods',
    workload: 'receipts',
    variant,
    params: { rows: ROWS_PER_ITERATION },
    setup,
    beforeEach: truncate,
    run,
    verify: (ctx) => ((method = run), verify(ctx)),
    teardown: (ctx) => ctx.client.query(`DROP TABLE IF EXISTS ${TARGET}`).then(() => undefined),
  }),
);

const byVariant = (v: string) => INSERT_CASES.find((c) => c.variant === v)!;
const measure = { rounds: 6, roundMs: 300, minIterations: 2, warmupIterations: 1 };
/**
 * Durable profile, autocommit vs one transaction, 2,000 rows: measured here 16.6x
 * [9.1-30.1] (autocommit 8.3 s per iteration: ~4 ms per WAL flush on this machine's
 * shared disk; one transaction 143 ms). The bar is far below: a faster disk flushes faster.
 */
const DURABLE_COMMIT_BAR = 4;

/**
 * What does not depend on the machine: per iteration of each method, the statements the
 * client sends (each one a round trip: pg's query() waits for ReadyForQuery) and the
 * transactions the server starts (xids consumed: the cluster's next xid, read from
 * pg_current_snapshot(), before and after; reading it assigns none). WAL bytes (the
 * difference of pg_current_wal_insert_lsn: with synchronous_commit=off the write position,
 * pg_current_wal_lsn, lags behind) are reported, not asserted: a checkpoint in between adds
 * full-page images.
 */
async function invariants(uri: string, variant: string, run: (ctx: CaseContext) => Promise<unknown>) {
  return withConnection(uri, async (client) => {
    const ctx: CaseContext = { client, db: drizzle({ client }), uri, scale: 0, seed: 0 };
    await setup(ctx);
    try {
      await truncate(ctx);
      const xid = async () => Number((await client.query<{ x: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x')).rows[0]!.x);
      const lsn = async () => (await client.query<{ l: string }>('SELECT pg_current_wal_insert_lsn()::text AS l')).rows[0]!.l;
      const [xid0, lsn0] = [await xid(), await lsn()];
      let statements = 0;
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: unknown }).query = (...args: unknown[]) => (statements++, query(...args));
      try {
        await run(ctx);
      } finally {
        (client as unknown as { query: unknown }).query = query;
      }
      const [xid1, lsn1] = [await xid(), await lsn()];
      const wal = Number((await client.query<{ b: string }>('SELECT pg_wal_lsn_diff($1, $2)::text AS b', [lsn1, lsn0])).rows[0]!.b);
      return { variant, statements, transactions: xid1 - xid0, walBytes: wal };
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${TARGET}`);
    }
  });
}

// Measured here (embedded, scale 1, 2,000 rows): autocommit 366 ms, one transaction
// 326 ms, multi-row VALUES 41.7 ms, unnest 23.5 ms, COPY 18.0 ms per iteration.
// Under the durable profile every method pays at least one commit flush per iteration
// (~4 ms here), which compresses the ratios between the fast ones (measured durable:
// multi-row vs one transaction 2.61x [1.87-3.64], COPY vs unnest 1.19x [1.05-1.34]):
// their bars were measured under the benchmark profile and apply there only.
benchmarkSuite('receipts', ({ compare, inspect, profile }) => {
  const benchmarkOnly = (bar: number) => (profile === 'benchmark' ? bar : undefined);
  // Benchmark profile (synchronous_commit=off): a commit is cheap, reported only
  // (1.12x [1.02, 1.22]). Durable profile (`--profile durable`): every autocommit waits
  // for its WAL flush (fsync of pg_wal), which one transaction pays once: asserted there only.
  compare({ baseline: byVariant('single-autocommit'), candidate: byVariant('single-transaction'), measure, atLeast: profile === 'durable' ? DURABLE_COMMIT_BAR : undefined });
  // Reported only (issue 16): 2,000 round trips against one, so the ratio follows the
  // scheduler, not the code: 7.5x [6.6, 8.6] and 5.02x quiet, 2.62x [1.93, 3.54] and
  // 2.47x [2.45, 2.49] with other jobs on the 2 cores. What is invariant, round trips per
  // row, is asserted in receipts/insert/invariants below.
  compare({ baseline: byVariant('single-transaction'), candidate: byVariant('multi-row-values'), measure });
  // 1.88x [1.78, 1.99] (embedded), 1.73x [1.42, 2.1] (testcontainers); with a CPU hog
  // 2.06x [1.54, 2.76], 2.08x [1.82, 2.36]: 12 array parameters instead of 24,000 scalar ones to bind.
  // Durable: 1.80x [1.55-2.09].
  compare({ baseline: byVariant('multi-row-values'), candidate: byVariant('unnest-arrays'), atLeast: benchmarkOnly(1.15), measure });
  // 1.56x [1.42, 1.72] quiet; 1.39x [1.19, 1.61] busy (issue 16); with a CPU hog
  // 1.33x [1.13, 1.57], 1.44x [1.18, 1.76]; 1.34x [1.19, 1.50] at scale 0.1; at scale 0.3 with
  // a CPU hog 1.46x [1.15, 1.84] and 1.25x [1.09, 1.43] (inconclusive against 1.1x after 20
  // rounds), so 1.05x: no statement, no parameters; rows parsed straight from the stream.
  compare({ baseline: byVariant('unnest-arrays'), candidate: byVariant('copy'), atLeast: benchmarkOnly(1.05), measure });
  // Reported only (issue 16): the two ends of the seed's table, 20.9x [17.2, 25.5] and
  // 15.04x quiet, 8.16x [6.67, 9.98] and 7.44x [7.28, 7.60] busy: round trips again.
  // Asserted instead: transactions (commits) per row, below.
  compare({ baseline: byVariant('single-autocommit'), candidate: byVariant('copy'), measure });

  inspect('receipts/insert/invariants', async (env, record) => {
    const counted: Awaited<ReturnType<typeof invariants>>[] = [];
    for (const c of INSERT_CASES) counted.push(await invariants(env.uri, c.variant, c.run!));
    const problems: string[] = [];
    const of = (v: string) => counted.find((c) => c.variant === v)!;
    for (const c of counted) {
      const params = { rows: ROWS_PER_ITERATION };
      record({ name: `receipts/insert/statements-per-iteration[${c.variant}]`, value: c.statements, unit: 'statements', params });
      record({ name: `receipts/insert/transactions-per-iteration[${c.variant}]`, value: c.transactions, unit: 'transactions', params });
      record({ name: `receipts/insert/wal-bytes-per-row[${c.variant}]`, value: Math.round(c.walBytes / ROWS_PER_ITERATION), unit: 'bytes/row', params });
    }
    // Deterministic: one statement per row (plus BEGIN and COMMIT) against one per 2,000 rows.
    const single = of('single-transaction');
    if (single.statements < ROWS_PER_ITERATION) problems.push(`single-transaction sent ${single.statements} statements for ${ROWS_PER_ITERATION} rows`);
    for (const v of ['multi-row-values', 'unnest-arrays', 'copy']) {
      if (of(v).statements !== 1) problems.push(`${v} sent ${of(v).statements} statements for ${ROWS_PER_ITERATION} rows; one is its point`);
    }
    // One transaction per row in autocommit; one for the batch methods (an autovacuum
    // ANALYZE of the target in between may take one or two more).
    const auto = of('single-autocommit');
    if (auto.transactions < ROWS_PER_ITERATION) problems.push(`single-autocommit started ${auto.transactions} transactions for ${ROWS_PER_ITERATION} rows, expected one per row`);
    for (const v of ['single-transaction', 'multi-row-values', 'unnest-arrays', 'copy']) {
      if (of(v).transactions > 3) problems.push(`${v} started ${of(v).transactions} transactions for one batch of ${ROWS_PER_ITERATION} rows`);
    }
    console.log(
      `receipts/insert/invariants: ${counted.map((c) => `${c.variant} ${c.statements} statements, ${c.transactions} transactions, ${Math.round(c.walBytes / ROWS_PER_ITERATION)} WAL bytes/row`).join('; ')}`,
    );
    if (problems.length) throw new Error(problems.join('\n'));
  });
});
