/**
 * Seed 004, "Indexes Are Critical": a one-week purchase_date range on receipts, with
 * the btree index on purchase_date vs a sequential scan of the whole table; once on
 * receipts as generated (rows in random date order) and once on a copy CLUSTERed on
 * the index (rows in date order), because physical order changes the answer.
 *
 * The seq-scan side runs on the same table with index and bitmap scans disabled for
 * its connection: both sides read the same heap, only the access path differs.
 */
import { benchmarkSuite, calibrated, withConnection, type CaseContext } from 'schemabench';
import { INDEX_IMPACT } from './index-impact-cases.ts';

const { seqScan, btree } = INDEX_IMPACT.random;
const { seqScan: clusteredSeqScan, btree: clusteredBtree } = INDEX_IMPACT.clustered;

/** receipts, rewritten in purchase_date order by CLUSTER: the suite's setup, once per database. */
async function clusteredCopy({ client }: CaseContext): Promise<void> {
  await client.query('CREATE TABLE receipts_clustered (LIKE receipts INCLUDING DEFAULTS)');
  await client.query('INSERT INTO receipts_clustered SELECT * FROM receipts');
  await client.query('CREATE INDEX receipts_clustered_purchase_date_idx ON receipts_clustered (purchase_date)');
  // CLUSTER rewrites the heap in index order: the week's rows become contiguous pages.
  await client.query('CLUSTER receipts_clustered USING receipts_clustered_purchase_date_idx');
  await client.query('VACUUM ANALYZE receipts_clustered');
}

benchmarkSuite('receipts', { setup: clusteredCopy }, ({ compare, inspect, scale }) => {
  compare({
    baseline: seqScan,
    candidate: btree,
    // The bar follows the data (calibration.json): with rows in random date order the
    // week's rows are spread over most pages, so the index saves examining rows more than
    // reading pages, and at small scales both sides are mostly the client round trip.
    atLeast: calibrated(),
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
    // In date order the week is ~1% of the pages. Below scale 0.3 the index side is a
    // fraction of a millisecond, mostly the round trip and planning, so the ratio follows
    // the client path rather than the index: the calibrated bar says where it holds.
    atLeast: calibrated(),
    candidatePlan: { usesIndex: 'receipts_clustered_purchase_date_idx', noSeqScanOn: 'receipts_clustered' },
    // Deterministic: 1,356 vs 23 shared buffers at scale 1 (59x): the week's rows fill a
    // few contiguous heap pages, plus the index pages that point to them. At scale 0.1 it
    // is 27.2x: the index's root and inner pages are a fixed cost that the smaller heap no
    // longer dwarfs, so the bar is 20x below scale 1.
    fewerBuffers: scale >= 1 ? 30 : 20,
  });

  inspect('receipts/index/purchase-date-size', ({ uri }, record, check) =>
    withConnection(uri, async (client) => {
      const { rows } = await client.query<{ index: string; table: string }>(
        "SELECT pg_relation_size('receipts_purchase_date_idx')::text AS index, pg_relation_size('receipts')::text AS table",
      );
      const index = Number(rows[0]!.index);
      // The seed's "Cost: 6 MB additional storage for index"; ours is the real size at this
      // scale (704 KB at scale 1: btree deduplication stores each of the ~731 dates once per leaf).
      record({ name: 'receipts/index/purchase-date-size[btree]', value: index, unit: 'bytes' });
      record({ name: 'receipts/index/purchase-date-size[table]', value: Number(rows[0]!.table), unit: 'bytes' });
      check(index > 0, 'receipts_purchase_date_idx has no size');
    }),
  );
});
