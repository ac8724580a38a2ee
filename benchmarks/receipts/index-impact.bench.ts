/**
 * Seed 004, "Indexes Are Critical": a one-week purchase_date range on receipts, with
 * the btree index on purchase_date vs a sequential scan of the whole table; once on
 * receipts as generated (rows in random date order) and once on a copy CLUSTERed on
 * the index (rows in date order), because physical order changes the answer.
 *
 * The seq-scan side runs on the same table with index and bitmap scans disabled for
 * its connection: both sides read the same heap, only the access path differs.
 */
import pg from 'pg';
import { defineCase, type CaseContext, benchmarkSuite, withConnection } from 'schemabench';

const WEEK = ['2024-06-03', '2024-06-09'];
const NO_INDEX = { enable_indexscan: 'off', enable_indexonlyscan: 'off', enable_bitmapscan: 'off' };
const weekOf = (table: string) => ({
  text: `SELECT count(*) AS receipts, sum(total_amount) AS total FROM ${pg.escapeIdentifier(table)} WHERE purchase_date BETWEEN $1 AND $2`,
  values: WEEK,
});

const seqScan = defineCase({
  name: 'receipts/index/purchase-date-week',
  workload: 'receipts',
  variant: 'seq-scan',
  params: { from: WEEK[0]!, to: WEEK[1]!, order: 'random' },
  settings: NO_INDEX,
  statement: weekOf('receipts'),
});
const btree = defineCase({ ...seqScan, variant: 'btree', settings: {} });

/** receipts, rewritten in purchase_date order by CLUSTER (idempotent: both cases call it). */
async function clusteredCopy({ client }: CaseContext): Promise<void> {
  await client.query('SELECT pg_advisory_lock(42)');
  try {
    const exists = await client.query("SELECT 1 FROM pg_class WHERE relname = 'receipts_clustered'");
    if (exists.rowCount) return;
    await client.query('CREATE TABLE receipts_clustered (LIKE receipts INCLUDING DEFAULTS)');
    await client.query('INSERT INTO receipts_clustered SELECT * FROM receipts');
    await client.query('CREATE INDEX receipts_clustered_purchase_date_idx ON receipts_clustered (purchase_date)');
    // CLUSTER rewrites the heap in index order: the week's rows become contiguous pages.
    await client.query('CLUSTER receipts_clustered USING receipts_clustered_purchase_date_idx');
    await client.query('VACUUM ANALYZE receipts_clustered');
  } finally {
    await client.query('SELECT pg_advisory_unlock(42)');
  }
}

const clusteredSeqScan = defineCase({
  ...seqScan,
  name: 'receipts/index/purchase-date-week-clustered',
  params: { ...seqScan.params, order: 'date (CLUSTER)' },
  setup: clusteredCopy,
  statement: weekOf('receipts_clustered'),
});
const clusteredBtree = defineCase({ ...clusteredSeqScan, variant: 'btree', settings: {} });

/** Below scale 0.3 a timing ratio here is round trips, not the index: reported, with the reason printed. */
function reportedBelow(scale: number, name: string): undefined {
  console.warn(`${name}: speedup reported, not asserted, at scale ${scale} (meaningful from 0.3; buffers and plans are still asserted)`);
  return undefined;
}

/** The random-order bar by scale (measurements next to the comparison); undefined: reported only. */
function randomOrderBar(scale: number): number | undefined {
  if (scale >= 0.5) return 3;
  if (scale >= 0.3) return 2;
  return reportedBelow(scale, 'receipts/index/purchase-date-week');
}

benchmarkSuite('receipts', ({ compare, inspect, scale }) => {
  compare({
    baseline: seqScan,
    candidate: btree,
    // Measured here at scale 1: 9.3x [8.7, 9.9] (embedded), 8.0x [6.9, 9.1] (testcontainers).
    // At scale 10 (1M rows, random order) the bitmap heap scan reads 8,682 of 13,600
    // pages: measured 5.2x [4.7, 5.8] on a loaded machine, so the bar is 3x there.
    // At scale 0.1 (10k rows) the whole table is 138 pages and both sides are dominated by
    // the round trip: about 4.5x (issue 16), 5.42x [3.40, 8.64] on a busy machine, so the bar
    // is lower there. With a CPU hog (scripts/noise/under-load.sh): scale 1, 6.03x [5.16, 7.06]
    // and 8.76x [5.57, 13.77], five more runs lowest 6.91x [6.22, ...]. testcontainers on an
    // Intel Xeon (its port proxy adds to both sides' round trip) at scale 1: 4.26x [4.03, 4.50],
    // 4.42x [4.06, 4.80], so 3x from scale 0.5; scale 0.3, 8.00x [3.05, 20.98], so 2x; scale 0.1, 1.97x
    // [1.37, 2.84]: both sides are a ~1-2 ms round trip, so below 0.3 the ratio is reported
    // (printed) and the buffers and plans are what is asserted.
    atLeast: randomOrderBar(scale),
    baselinePlan: { seqScanOn: 'receipts' },
    candidatePlan: { mode: 'chosen', usesIndex: 'receipts_purchase_date_idx', noSeqScanOn: 'receipts' },
    // Deterministic: 1,376 vs 881 shared buffers at scale 1 (1.56x). Rows are in random
    // date order, so the week's ~960 rows sit on ~64% of the table's pages: the index
    // saves examining every row, not reading most pages.
    fewerBuffers: 1.5,
  });
  compare({
    baseline: clusteredSeqScan,
    candidate: clusteredBtree,
    // In date order the week is ~1% of the pages: measured 18.6x [17.1, 20.2] (embedded),
    // 12.7-13.3x [12.1, ...] (testcontainers) at scale 1; with a CPU hog 16.2x [11.8, 22.2],
    // 21.5x [20.2, 22.8]; scale 0.3 with a CPU hog 17.5x [11.7, 26.2]; scale 0.1, 11.4x [9.0,
    // 14.3] busy and 6.78x [5.31, 8.67] with a CPU hog, and 3.31x [2.95, 3.72] with a CPU hog in
    // CI's short under-load check. Below 0.3 the index side is ~0.25 ms, mostly the round trip
    // and planning, so the ratio follows the client path, not the index: reported there, and
    // the deterministic buffers (27.2x fewer at 0.1) are asserted instead. With a CPU hog, 5 runs
    // at scale 1: lowest 19.9x [15.6, ...]. testcontainers on an Intel Xeon at scale 1: 8.89x
    // [8.10, 9.77] and 8.31x [7.65, 9.03] (both at the 20-round cap against the old 8x bar), so 6x.
    atLeast: scale >= 0.3 ? 6 : reportedBelow(scale, 'receipts/index/purchase-date-week-clustered'),
    candidatePlan: { usesIndex: 'receipts_clustered_purchase_date_idx', noSeqScanOn: 'receipts_clustered' },
    // Deterministic: 1,356 vs 23 shared buffers at scale 1 (59x): the week's rows fill a
    // few contiguous heap pages, plus the index pages that point to them. At scale 0.1 it
    // is 27.2x (issue 16): the index's root and inner pages are a fixed cost that the
    // smaller heap no longer dwarfs, so the bar is 20x below scale 1.
    fewerBuffers: scale >= 1 ? 30 : 20,
  });

  inspect('receipts/index/purchase-date-size', ({ uri }, record) =>
    withConnection(uri, async (client) => {
      const { rows } = await client.query<{ index: string; table: string }>(
        "SELECT pg_relation_size('receipts_purchase_date_idx')::text AS index, pg_relation_size('receipts')::text AS table",
      );
      const index = Number(rows[0]!.index);
      // The seed's "Cost: 6 MB additional storage for index"; ours is the real size at this
      // scale (704 KB at scale 1: btree deduplication stores each of the ~731 dates once per leaf).
      record({ name: 'receipts/index/purchase-date-size[btree]', value: index, unit: 'bytes' });
      record({ name: 'receipts/index/purchase-date-size[table]', value: Number(rows[0]!.table), unit: 'bytes' });
      if (!(index > 0)) throw new Error('receipts_purchase_date_idx has no size');
    }),
  );
});
