/**
 * The index strategies of seed 004's "Add indexes", as data: which index, on which
 * scratch copy of receipts, in which physical order. Read cases each get a table that
 * holds only the indexes under test, so the planner cannot pick a neighbour's index;
 * write cases add one index at a time to an empty twin of receipts.
 *
 * Scratch tables are built inside the suite's private database (never in the cached
 * dataset): the dataset key, and the CI baseline that depends on it, stay unchanged.
 */
import pg from 'pg';

export interface ReadTable {
  /** Physical order of the copy: as generated (random dates) or sorted by purchase_date. */
  order: 'random' | 'date';
  /** CREATE INDEX statements for the table ($T is replaced by the quoted table name). */
  indexes: string[];
}

/** Scratch copies of receipts for the read comparisons, each with only its indexes. */
export const READ_TABLES = {
  // The "plain btree" side: one single-column btree per column the seed's queries filter on.
  ix_btree: {
    order: 'random',
    indexes: [
      'CREATE INDEX ix_btree_purchase_date ON $T (purchase_date)',
      'CREATE INDEX ix_btree_vendor_id ON $T (vendor_id)',
      'CREATE INDEX ix_btree_receipt_number ON $T (receipt_number)',
    ],
  },
  ix_brin: { order: 'random', indexes: ['CREATE INDEX ix_brin_idx ON $T USING brin (purchase_date)'] },
  ix_dated_brin: { order: 'date', indexes: ['CREATE INDEX ix_dated_brin_idx ON $T USING brin (purchase_date)'] },
  ix_dated_btree: { order: 'date', indexes: ['CREATE INDEX ix_dated_btree_idx ON $T (purchase_date)'] },
  // id is the tie-breaker of "latest 20" (several receipts share a date): in the index,
  // ORDER BY purchase_date DESC, id DESC is a backward scan of one vendor's entries.
  ix_composite: { order: 'random', indexes: ['CREATE INDEX ix_composite_idx ON $T (vendor_id, purchase_date, id)'] },
  ix_covering: { order: 'random', indexes: ['CREATE INDEX ix_covering_idx ON $T (purchase_date) INCLUDE (total_amount)'] },
  ix_partial: { order: 'random', indexes: ['CREATE INDEX ix_partial_idx ON $T (purchase_date) WHERE is_bulk'] },
  // date_trunc(text, date) resolves to the timestamptz variant, which is only STABLE
  // (it depends on TimeZone) and cannot be indexed; the timestamp variant is IMMUTABLE.
  ix_expression: { order: 'random', indexes: ["CREATE INDEX ix_expression_idx ON $T (date_trunc('month', purchase_date::timestamp))"] },
  ix_hash: { order: 'random', indexes: ['CREATE INDEX ix_hash_idx ON $T USING hash (receipt_number)'] },
} as const satisfies Record<string, ReadTable>;

export type ReadTableName = keyof typeof READ_TABLES;

/**
 * Builds a scratch copy (the suite's setup builds each once per database). VACUUM sets
 * the visibility map, which an Index Only Scan needs to skip the heap; ANALYZE gives the
 * planner the copy's statistics and correlation.
 */
export async function buildReadTable(client: pg.Client, name: ReadTableName): Promise<void> {
  const table = pg.escapeIdentifier(name);
  const spec: ReadTable = READ_TABLES[name];
  const order = spec.order === 'date' ? 'purchase_date, id' : 'id';
  // The copy commits with synchronous_commit on: VACUUM marks a page all-visible only
  // when its tuples carry the "inserter committed" hint, and PostgreSQL does not set that
  // hint before an asynchronous commit's WAL is flushed (the benchmark profile runs with
  // synchronous_commit=off). Measured: an async CREATE TABLE AS then VACUUM left 0 of
  // 1,408 pages all-visible; committed synchronously, 1,355.
  await client.query('BEGIN');
  await client.query('SET LOCAL synchronous_commit = on');
  await client.query(`CREATE TABLE ${table} AS SELECT * FROM receipts ORDER BY ${order}`);
  await client.query('COMMIT');
  for (const ddl of spec.indexes) await client.query(ddl.replaceAll('$T', table));
  await client.query(`VACUUM (ANALYZE) ${table}`);
  const { rows } = await client.query<{ pages: number; visible: number }>('SELECT relpages AS pages, relallvisible AS visible FROM pg_class WHERE oid = $1::regclass', [name]);
  if (!(rows[0]!.visible >= 0.9 * rows[0]!.pages)) throw new Error(`${name}: VACUUM left ${rows[0]!.visible} of ${rows[0]!.pages} pages all-visible`);
}

/** Index names of the read tables whose size the report shows, by strategy. */
export const SIZED_INDEXES: { variant: string; index: string; label: string }[] = [
  { variant: 'btree', index: 'ix_btree_purchase_date', label: 'btree (purchase_date)' },
  { variant: 'brin', index: 'ix_brin_idx', label: 'BRIN (purchase_date)' },
  { variant: 'composite', index: 'ix_composite_idx', label: 'btree (vendor_id, purchase_date, id)' },
  { variant: 'covering', index: 'ix_covering_idx', label: 'btree (purchase_date) INCLUDE (total_amount)' },
  { variant: 'partial', index: 'ix_partial_idx', label: 'btree (purchase_date) WHERE is_bulk' },
  { variant: 'expression', index: 'ix_expression_idx', label: "btree (date_trunc('month', purchase_date))" },
  { variant: 'hash', index: 'ix_hash_idx', label: 'hash (receipt_number)' },
  { variant: 'btree-receipt-number', index: 'ix_btree_receipt_number', label: 'btree (receipt_number)' },
];

/**
 * One index at a time on an empty twin of receipts (write cost): 'none' is the twin
 * with its primary key only. $T is the quoted table name.
 */
export const WRITE_INDEXES: { variant: string; ddl: string | null; indexed: string }[] = [
  { variant: 'none', ddl: null, indexed: '' },
  { variant: 'btree', ddl: 'CREATE INDEX ON $T (purchase_date)', indexed: 'purchase_date' },
  { variant: 'brin', ddl: 'CREATE INDEX ON $T USING brin (purchase_date)', indexed: 'purchase_date' },
  { variant: 'composite', ddl: 'CREATE INDEX ON $T (vendor_id, purchase_date, id)', indexed: 'purchase_date' },
  { variant: 'covering', ddl: 'CREATE INDEX ON $T (purchase_date) INCLUDE (total_amount)', indexed: 'purchase_date' },
  { variant: 'partial', ddl: 'CREATE INDEX ON $T (purchase_date) WHERE is_bulk', indexed: 'purchase_date' },
  { variant: 'expression', ddl: "CREATE INDEX ON $T (date_trunc('month', purchase_date::timestamp))", indexed: 'purchase_date' },
  { variant: 'hash', ddl: 'CREATE INDEX ON $T USING hash (receipt_number)', indexed: 'receipt_number' },
];
