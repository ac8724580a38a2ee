/**
 * The five insert methods of seed 004's "Insert Performance" as cases: the same rows into
 * an empty twin of receipts, in a module of their own so that the report finds their
 * results by the case objects (insert-methods.bench.ts measures them).
 */
import { getTableConfig } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { finished } from 'node:stream/promises';
import { defineCase, type BenchmarkCase, type CaseContext } from 'schemabench';
import { receipts } from '../../schema/receipts/normalized.ts';

/** Rows inserted per measured iteration by every insert method. */
export const ROWS_PER_ITERATION = 2_000;

export const TARGET = 'insert_target';
// The receipts table's columns and SQL types, read from its Drizzle definition.
const COLUMNS = getTableConfig(receipts).columns.map((c) => c.name);
const TYPES = getTableConfig(receipts).columns.map((c) => c.getSQLType());
const columnList = COLUMNS.map((c) => pg.escapeIdentifier(c)).join(', ');

/** Rows per case session, as text values (what an application would send). */
const rowsByClient = new WeakMap<pg.Client, string[][]>();
const rows = (ctx: CaseContext) => rowsByClient.get(ctx.client)!;

export async function setup(ctx: CaseContext): Promise<void> {
  // A private empty twin of receipts per case (LIKE ... INCLUDING ALL copies keys and indexes).
  await ctx.client.query(`CREATE TABLE IF NOT EXISTS ${TARGET} (LIKE receipts INCLUDING ALL)`);
  const { rows: source } = await ctx.client.query({
    text: `SELECT ${COLUMNS.map((c) => `${pg.escapeIdentifier(c)}::text`).join(', ')} FROM receipts ORDER BY id LIMIT $1`,
    values: [ROWS_PER_ITERATION],
    rowMode: 'array',
  });
  rowsByClient.set(ctx.client, source as string[][]);
}

export const truncate = (ctx: CaseContext) => ctx.client.query(`TRUNCATE ${TARGET}`).then(() => undefined);

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
    variant,
    params: { rows: ROWS_PER_ITERATION },
    setup,
    beforeEach: truncate,
    run,
    verify: (ctx) => ((method = run), verify(ctx)),
    teardown: (ctx) => ctx.client.query(`DROP TABLE IF EXISTS ${TARGET}`).then(() => undefined),
  }),
);

export const byVariant = (v: string) => INSERT_CASES.find((c) => c.variant === v)!;

/** The report's rows: each method's case, label and the seed's figures (rows/s, time for 100k). */
export const INSERT_ROWS = [
  { case: byVariant('single-autocommit'), label: 'Single INSERT (autocommit)', seed: '500, 200 s' },
  { case: byVariant('single-transaction'), label: 'Single INSERTs, one transaction', seed: '-' },
  { case: byVariant('multi-row-values'), label: 'Batch INSERT (multi-row VALUES)', seed: '5,000, 20 s' },
  { case: byVariant('unnest-arrays'), label: 'Batch INSERT (unnest arrays)', seed: '-' },
  { case: byVariant('copy'), label: 'COPY command', seed: '50,000, 2 s' },
];
