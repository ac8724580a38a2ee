/**
 * Seed 004's "Try partitioning" as cases: receipts partitioned by year next to the plain
 * table, on the same rows (partitioning.bench.ts measures them). In a module of their own
 * so that the report finds their results by the case objects.
 *
 * receipts_by_year is a documented setup step (the suite's setup), built inside the
 * suite's private database by INSERT ... SELECT from receipts, not a migration: a
 * migration in migrations/receipts would change the dataset's key (its schema hash) and
 * so every stored baseline; and drizzle-kit cannot express PARTITION BY (docs/partitioning.md).
 */
import pg from 'pg';
import { defineCase, explainPlan, type CaseContext, type SqlStatement } from 'schemabench';
import { copyBatch, insertBatch, readBatch } from './receipt-batch.ts';

export const YEARS = [2023, 2024];
export const PARENT = 'receipts_by_year';
export const partition = (year: number) => `${PARENT}_${year}`;

/**
 * Builds `name` as a copy of receipts partitioned by year (one partition per year of
 * the fixtures: 2023 and 2024 at every scale), with a partitioned index on
 * purchase_date like the plain table's. No primary key: on a partitioned table it
 * must include the partition key.
 */
export async function createPartitioned(client: pg.Client, name = PARENT, withRows = true): Promise<void> {
  const parent = pg.escapeIdentifier(name);
  await client.query(`CREATE TABLE ${parent} (LIKE receipts INCLUDING DEFAULTS) PARTITION BY RANGE (purchase_date)`);
  for (const year of YEARS) {
    await client.query(`CREATE TABLE ${pg.escapeIdentifier(`${name}_${year}`)} PARTITION OF ${parent} FOR VALUES FROM ('${year}-01-01') TO ('${year + 1}-01-01')`);
  }
  // Committed synchronously, so that VACUUM can mark the pages all-visible (see index-strategies.ts).
  if (withRows) await client.query(`BEGIN; SET LOCAL synchronous_commit = on; INSERT INTO ${parent} SELECT * FROM receipts ORDER BY id; COMMIT`);
  await client.query(`CREATE INDEX ON ${parent} (purchase_date)`);
  for (const year of YEARS) await client.query(`VACUUM (ANALYZE) ${pg.escapeIdentifier(`${name}_${year}`)}`);
  await client.query(`ANALYZE ${parent}`);
}

export const weekSql = (t: string): SqlStatement => ({ text: `SELECT count(*) AS receipts, sum(total_amount) AS total FROM ${pg.escapeIdentifier(t)} WHERE purchase_date BETWEEN $1 AND $2`, values: ['2024-06-03', '2024-06-09'] });
const yearSql = (t: string): SqlStatement => ({ text: `SELECT count(*) AS receipts, sum(total_amount) AS total FROM ${pg.escapeIdentifier(t)} WHERE purchase_date >= $1 AND purchase_date < $2`, values: ['2024-01-01', '2025-01-01'] });
export const vendorsSql = (t: string): SqlStatement => ({ text: `SELECT vendor_id, count(*) AS receipts, sum(total_amount) AS total FROM ${pg.escapeIdentifier(t)} GROUP BY vendor_id ORDER BY vendor_id` });

const onPlain = (name: string, statement: SqlStatement) =>
  defineCase({ name: `receipts/partition/${name}`, variant: 'plain', params: { table: 'receipts' }, statement });
const onPartitioned = (name: string, statement: SqlStatement, extra: { variant?: string; settings?: Record<string, string>; verify?: (ctx: CaseContext) => Promise<void> } = {}) =>
  defineCase({
    name: `receipts/partition/${name}`,
    variant: extra.variant ?? 'by-year',
    params: { table: PARENT, partitions: YEARS.length },
    settings: extra.settings,
    verify: extra.verify,
    statement,
  });

/** Aggregate nodes in the chosen plan: 1 without partition-wise aggregation, 1 + one per partition with it. */
async function aggregates(ctx: CaseContext, expected: number): Promise<void> {
  const plan = await explainPlan(ctx.client, vendorsSql(PARENT));
  const n = plan.nodes.filter((node) => node === 'Aggregate').length;
  if (n !== expected) throw new Error(`expected ${expected} Aggregate nodes, the plan has ${n}: ${plan.nodes.join(' > ')}`);
}

// Insert rate: the same 5,000 rows (both years) into an empty plain table and an empty
// partitioned one, each with an index on purchase_date; emptied untimed before each run.
const INSERT_ROWS = 5_000;
const batchRows = new WeakMap<pg.Client, string[][]>();

async function insertTarget(ctx: CaseContext, partitioned: boolean): Promise<void> {
  const name = partitioned ? 'insert_by_year' : 'insert_plain';
  // The COPY and the INSERT comparisons write into the same two tables: the first case to open makes them.
  const exists = (await ctx.client.query('SELECT 1 FROM pg_class WHERE relname = $1', [name])).rowCount;
  if (!exists && partitioned) await createPartitioned(ctx.client, name, false);
  else if (!exists) {
    await ctx.client.query('CREATE TABLE insert_plain (LIKE receipts INCLUDING DEFAULTS)');
    await ctx.client.query('CREATE INDEX ON insert_plain (purchase_date)');
  }
  batchRows.set(ctx.client, await readBatch(ctx.client, INSERT_ROWS));
}

function insertCase(method: 'copy' | 'insert', partitioned: boolean) {
  const table = partitioned ? 'insert_by_year' : 'insert_plain';
  return defineCase({
    name: `receipts/partition/insert-${method}`,
    variant: partitioned ? 'by-year' : 'plain',
    params: { rows: INSERT_ROWS },
    setup: (ctx) => insertTarget(ctx, partitioned),
    beforeEach: (ctx) => ctx.client.query(`TRUNCATE ${table}`).then(() => undefined),
    async verify(ctx) {
      await ctx.client.query(`TRUNCATE ${table}`);
      await this.run!(ctx);
      const { rows } = await ctx.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      if (rows[0]!.n !== INSERT_ROWS) throw new Error(`${table} holds ${rows[0]!.n} rows after the batch, expected ${INSERT_ROWS}`);
    },
    async run(ctx) {
      const rows = batchRows.get(ctx.client)!;
      if (method === 'copy') await copyBatch(ctx.client, table, rows);
      else await insertBatch(ctx.client, table, rows);
      return rows.length;
    },
  });
}

/** The cases by question, each side of its comparison: what the report shows and partitioning.bench.ts measures. */
export const PARTITION = {
  week: { plain: onPlain('week', weekSql('receipts')), byYear: onPartitioned('week', weekSql(PARENT)) },
  year: { plain: onPlain('year', yearSql('receipts')), byYear: onPartitioned('year', yearSql(PARENT)) },
  allYears: {
    off: onPartitioned('all-years-by-vendor', vendorsSql(PARENT), { variant: 'partitionwise-off', verify: (ctx) => aggregates(ctx, 1) }),
    on: onPartitioned('all-years-by-vendor', vendorsSql(PARENT), {
      variant: 'partitionwise-on',
      settings: { enable_partitionwise_aggregate: 'on' },
      verify: (ctx) => aggregates(ctx, 1 + YEARS.length),
    }),
  },
  insert: {
    copy: { byYear: insertCase('copy', true), plain: insertCase('copy', false) },
    insert: { byYear: insertCase('insert', true), plain: insertCase('insert', false) },
  },
};
