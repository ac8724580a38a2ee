/**
 * Seed 004, "Migration Performance" and "Migrations Need Testing": adding tax_amount to
 * every receipt, step by step, on a fresh copy of receipts for every iteration (made
 * untimed): add the nullable column, backfill it (one UPDATE vs batches), make it
 * NOT NULL (plain vs CHECK ... NOT VALID + VALIDATE), and the seed's "bad approach".
 */
import pg from 'pg';
import { type CaseContext, benchmarkSuite, withConnection } from 'schemabench';
import { drop, freshTable, MIGRATION, T } from './migration-cases.ts';

const { addColumn, backfillOne, backfillBatches, notNullPlain, notNullCheck } = MIGRATION;
const measure = { rounds: 4, roundMs: 1, minIterations: 1, maxIterations: 1, warmupIterations: 0 };

const relfilenode = async (c: pg.Client) => (await c.query<{ n: string }>(`SELECT pg_relation_filenode('${T}')::text AS n`)).rows[0]!.n;
const columns = async (c: pg.Client) =>
  (await c.query<{ a: string }>(`SELECT string_agg(attname, ',' ORDER BY attnum) AS a FROM pg_attribute WHERE attrelid = '${T}'::regclass AND attnum > 0 AND NOT attisdropped`)).rows[0]!.a;

benchmarkSuite('receipts', ({ compare, inspect }) => {
  // A nullable column without a default is a catalog change, the backfill rewrites every
  // row: "instant" is the claim, and 10x faster than the backfill is what it must at least be.
  compare({ baseline: backfillOne, candidate: addColumn, atLeast: 10, measure });
  // Reported: batches cost more in total (one statement and commit each) but hold row locks for one batch.
  compare({ baseline: backfillBatches, candidate: backfillOne, measure });
  // Reported: both scan once; what differs is the lock held while scanning (issue: safe migrations).
  compare({ baseline: notNullCheck, candidate: notNullPlain, measure });

  inspect('receipts/migration/rewrites', async ({ uri }, record, check) => {
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
      check(afterNullable === before, 'ADD COLUMN (nullable, no default) rewrote the table');
      check(afterConstant === afterNullable, 'ADD COLUMN ... DEFAULT constant rewrote the table');
      check(afterVolatile !== afterConstant, 'ADD COLUMN ... DEFAULT random() did not rewrite the table');
    });
  });

  inspect('receipts/migration/bad-approach', async ({ uri }, record, check) => {
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
      check(error?.code === '23502', `expected SQLSTATE 23502 (not_null_violation), got ${error ? error.code : 'success'}`);
      check(unchanged, 'the failed ALTER TABLE changed the table');
    });
  });
});
