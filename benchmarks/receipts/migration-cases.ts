/**
 * The steps of adding tax_amount to every receipt (seed 004, "Migration Performance") as
 * cases, each on a fresh copy of receipts made untimed before every iteration; in a
 * module of their own so that the report finds their results by the case objects.
 */
import { defineCase, type CaseContext } from 'schemabench';

export const T = 'mig_receipts';
export const BATCH_ROWS = 10_000;

/** A fresh copy of receipts (with its primary key) in the state a step starts from. */
export const freshTable = (state: 'bare' | 'column' | 'backfilled') => async ({ client }: CaseContext) => {
  await client.query(`DROP TABLE IF EXISTS ${T}`);
  await client.query(`CREATE TABLE ${T} AS SELECT * FROM receipts`);
  await client.query(`ALTER TABLE ${T} ADD PRIMARY KEY (id)`);
  if (state !== 'bare') await client.query(`ALTER TABLE ${T} ADD COLUMN tax_amount numeric(10,2)`);
  if (state === 'backfilled') await client.query(`UPDATE ${T} SET tax_amount = round(total_amount * 0.08, 2)`);
  await client.query(`VACUUM ANALYZE ${T}`);
};

export const drop = ({ client }: CaseContext) => client.query(`DROP TABLE IF EXISTS ${T}`).then(() => undefined);
const base = { teardown: drop } as const;

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

/** The cases by step: what the report shows and migrations.bench.ts measures. */
export const MIGRATION = { addColumn, backfillOne, backfillBatches, notNullPlain, notNullCheck };
