/**
 * Seed 004, "Migration Performance" and "Migrations Need Testing": adding tax_amount to
 * every receipt, step by step, on a fresh copy of receipts for every iteration (made
 * untimed): add the nullable column, backfill it (one UPDATE vs batches), make it
 * NOT NULL (plain vs CHECK ... NOT VALID + VALIDATE), and the seed's "bad approach".
 */
import pg from 'pg';
import { defineCase, type CaseContext, benchmarkSuite, withConnection } from 'schemabench';

const T = 'mig_receipts';
export const BATCH_ROWS = 10_000;

/** A fresh copy of receipts (with its primary key) in the state a step starts from. */
const freshTable = (state: 'bare' | 'column' | 'backfilled') => async ({ client }: CaseContext) => {
  await client.query(`DROP TABLE IF EXISTS ${T}`);
  await client.query(`CREATE TABLE ${T} AS SELECT * FROM receipts`);
  await client.query(`ALTER TABLE ${T} ADD PRIMARY KEY (id)`);
  if (state !== 'bare') await client.query(`ALTER TABLE ${T} ADD COLUMN tax_amount numeric(10,2)`);
  if (state === 'backfilled') await client.query(`UPDATE ${T} SET tax_amount = round(total_amount * 0.08, 2)`);
  await client.query(`VACUUM ANALYZE ${T}`);
};

const drop = ({ client }: CaseContext) => client.query(`DROP TABLE IF EXISTS ${T}`).then(() => undefined);
const base = { workload: 'receipts', teardown: drop } as const;
const measure = { rounds: 4, roundMs: 1, minIterations: 1, maxIterations: 1, warmupIterations: 0 };

const addColumn = defineCase({
  ...base,
  name: 'receipts/migration/add-column',
  variant: 'nullable',
  beforeEach: freshTable('bare'),
  run: ({ client }) => client.query(`ALTER TABLE ${T} ADD COLUMN tax_amount numeric(10,2)`).then(() => 0),
});

const backfillOne = defineCase({
  ...base,
  name: 'receipts/migration/backfill',
  variant: 'one-update',
  beforeEach: freshTable('column'),
  run: async ({ client }) => (await client.query(`UPDATE ${T} SET tax_amount = round(total_amount * 0.08, 2)`)).rowCount,
});

const backfillBatches = defineCase({
  ...backfillOne,
  variant: `batches-of-${BATCH_ROWS}`,
  params: { batchRows: BATCH_ROWS },
  // Each batch commits on its own: row locks are held for one batch, not the whole table.
  run: async ({ client }) => {
    const { rows } = await client.query<{ lo: string; hi: string }>(`SELECT min(id)::text AS lo, max(id)::text AS hi FROM ${T}`);
    let updated = 0;
    for (let lo = Number(rows[0]!.lo); lo <= Number(rows[0]!.hi); lo += BATCH_ROWS) {
      const r = await client.query(`UPDATE ${T} SET tax_amount = round(total_amount * 0.08, 2) WHERE id >= $1 AND id < $2 AND tax_amount IS NULL`, [lo, lo + BATCH_ROWS]);
      updated += r.rowCount ?? 0;
    }
    return updated;
  },
});

const notNullPlain = defineCase({
  ...base,
  name: 'receipts/migration/not-null',
  variant: 'set-not-null',
  beforeEach: freshTable('backfilled'),
  // Scans the whole table under ACCESS EXCLUSIVE: no reads or writes meanwhile.
  run: ({ client }) => client.query(`ALTER TABLE ${T} ALTER COLUMN tax_amount SET NOT NULL`).then(() => 0),
});

const notNullCheck = defineCase({
  ...notNullPlain,
  variant: 'check-not-valid-validate',
  // NOT VALID: instant; VALIDATE scans under SHARE UPDATE EXCLUSIVE (reads and writes go on);
  // SET NOT NULL then skips its scan because a valid CHECK proves it (PostgreSQL 12+).
  run: async ({ client }) => {
    await client.query(`ALTER TABLE ${T} ADD CONSTRAINT tax_amount_not_null CHECK (tax_amount IS NOT NULL) NOT VALID`);
    await client.query(`ALTER TABLE ${T} VALIDATE CONSTRAINT tax_amount_not_null`);
    await client.query(`ALTER TABLE ${T} ALTER COLUMN tax_amount SET NOT NULL`);
    await client.query(`ALTER TABLE ${T} DROP CONSTRAINT tax_amount_not_null`);
    return 0;
  },
});

const relfilenode = async (c: pg.Client) => (await c.query<{ n: string }>(`SELECT pg_relation_filenode('${T}')::text AS n`)).rows[0]!.n;
const columns = async (c: pg.Client) =>
  (await c.query<{ a: string }>(`SELECT string_agg(attname, ',' ORDER BY attnum) AS a FROM pg_attribute WHERE attrelid = '${T}'::regclass AND attnum > 0 AND NOT attisdropped`)).rows[0]!.a;

benchmarkSuite('receipts', ({ compare, inspect }) => {
  // A nullable column without a default is a catalog change: measured ~1 ms vs ~250 ms
  // for the backfill at scale 1. "Instant" = at least 10x faster than the backfill. With a
  // CPU hog (issue 16): 559x [201, 1560] and 377x [205, 694]; busy, 293x [40.7, 2116].
  compare({ baseline: backfillOne, candidate: addColumn, atLeast: 10, measure });
  // Reported: batches cost more in total (one statement and commit each) but hold row locks for one batch.
  compare({ baseline: backfillBatches, candidate: backfillOne, measure });
  // Reported: both scan once; what differs is the lock held while scanning (issue: safe migrations).
  compare({ baseline: notNullCheck, candidate: notNullPlain, measure });

  inspect('receipts/migration/rewrites', async ({ uri }, record) => {
    await withConnection(uri, async (c) => {
      const ctx = { client: c } as CaseContext;
      await freshTable('bare')(ctx);
      const before = await relfilenode(c);
      await c.query(`ALTER TABLE ${T} ADD COLUMN tax_amount numeric(10,2)`);
      const afterNullable = await relfilenode(c);
      // A constant default is stored in the catalog (PostgreSQL 11+): no rewrite either.
      await c.query(`ALTER TABLE ${T} ADD COLUMN currency text NOT NULL DEFAULT 'USD'`);
      const afterConstant = await relfilenode(c);
      // A volatile default must be computed per row: the table is rewritten.
      await c.query(`ALTER TABLE ${T} ADD COLUMN audit_id double precision DEFAULT random()`);
      const afterVolatile = await relfilenode(c);
      await drop(ctx);
      record({ name: 'receipts/migration/rewrites[add-nullable-column]', value: Number(afterNullable !== before), unit: 'bool' });
      record({ name: 'receipts/migration/rewrites[add-constant-default]', value: Number(afterConstant !== afterNullable), unit: 'bool' });
      record({ name: 'receipts/migration/rewrites[add-volatile-default]', value: Number(afterVolatile !== afterConstant), unit: 'bool' });
      if (afterNullable !== before) throw new Error('ADD COLUMN (nullable, no default) rewrote the table');
      if (afterConstant !== afterNullable) throw new Error('ADD COLUMN ... DEFAULT constant rewrote the table');
      if (afterVolatile === afterConstant) throw new Error('ADD COLUMN ... DEFAULT random() did not rewrite the table');
    });
  });

  inspect('receipts/migration/bad-approach', async ({ uri }, record) => {
    await withConnection(uri, async (c) => {
      const ctx = { client: c } as CaseContext;
      await freshTable('bare')(ctx);
      const [node, cols] = [await relfilenode(c), await columns(c)];
      // The seed's bad approach: NOT NULL without a default on a non-empty table.
      const error = await c.query(`ALTER TABLE ${T} ADD COLUMN tax_amount numeric(10,2) NOT NULL`).then(
        () => undefined,
        (e: { code?: string }) => e,
      );
      const unchanged = (await relfilenode(c)) === node && (await columns(c)) === cols;
      await drop(ctx);
      record({ name: 'receipts/migration/bad-approach[sqlstate-23502]', value: Number(error?.code === '23502'), unit: 'bool' });
      if (error?.code !== '23502') throw new Error(`expected SQLSTATE 23502 (not_null_violation), got ${error ? error.code : 'success'}`);
      if (!unchanged) throw new Error('the failed ALTER TABLE changed the table');
    });
  });
});
