/**
 * Seed 004, "Add indexes": the read side of each index strategy, for the questions the
 * seed's users ask (one week of purchases, one vendor's latest receipts, a month's
 * spend per category, one receipt by number), plus each index's size. Each side reads
 * its own scratch copy of receipts holding only the indexes under test (see
 * index-strategies.ts); the copies hold the same rows, so the answers are compared
 * before anything is timed. The write side (COPY, INSERT, WAL, HOT) is in
 * index-write-cost.bench.ts. What each result means: docs/index-strategies.md.
 */
import pg from 'pg';
import { benchmarkSuite, defineCase, withConnection, type BenchmarkCase, type CaseContext } from 'schemabench';
import { ensureReadTable, SIZED_INDEXES, type ReadTableName } from './index-strategies.ts';

const WEEK = ['2024-06-03', '2024-06-09'];
const MONTH = '2024-06-01';
/** McMaster-Carr, the smallest vendor (~2% of receipts): its latest 20 are far apart in date order. */
const SMALL_VENDOR = 14;
const NO_INDEX = { enable_indexscan: 'off', enable_indexonlyscan: 'off', enable_bitmapscan: 'off' };
const measure = { rounds: 8, roundMs: 80 };

/** A case reading `table` (built on first use) with `sql`, where $T is the table. */
function onTable(name: string, variant: string, table: ReadTableName, sql: string, values: unknown[], extra: Partial<BenchmarkCase> = {}): BenchmarkCase {
  return defineCase({
    name: `receipts/index-strategy/${name}`,
    workload: 'receipts',
    variant,
    params: { table, ...(extra.params ?? {}) },
    ...extra,
    setup: (ctx: CaseContext) => ensureReadTable(ctx.client, table),
    statement: { text: sql.replaceAll('$T', pg.escapeIdentifier(table)), values },
  });
}

const weekSum = 'SELECT count(*) AS receipts, sum(total_amount) AS total FROM $T WHERE purchase_date BETWEEN $1 AND $2';
const weekBulk = 'SELECT count(*) AS receipts, sum(total_amount) AS total FROM $T WHERE is_bulk AND purchase_date BETWEEN $1 AND $2';
const vendorLatest = 'SELECT id, purchase_date, total_amount FROM $T WHERE vendor_id = $1 ORDER BY purchase_date DESC, id DESC LIMIT 20';
const monthByCategory = `SELECT p.category_id, count(*) AS receipts, sum(r.total_amount) AS total
  FROM $T r JOIN products p ON p.id = r.product_id
  WHERE date_trunc('month', r.purchase_date::timestamp) = $1::timestamp GROUP BY p.category_id ORDER BY p.category_id`;
const byNumber = 'SELECT id, vendor_id, total_amount FROM $T WHERE receipt_number = (SELECT receipt_number FROM receipts WHERE id = $1)';

// BRIN in random order: forced (enable_seqscan off) to show what it does when the
// planner would rightly refuse it: every block range overlaps the week.
const brinRandom = onTable('week-random-order', 'brin', 'ix_brin', weekSum, WEEK, { settings: { enable_seqscan: 'off' } });
const btreeRandom = onTable('week-random-order', 'btree', 'ix_btree', weekSum, WEEK);
const seqDated = onTable('week-date-order', 'seq-scan', 'ix_dated_brin', weekSum, WEEK, { settings: NO_INDEX });
const brinDated = onTable('week-date-order', 'brin', 'ix_dated_brin', weekSum, WEEK);
const btreeDated = onTable('week-date-order', 'btree', 'ix_dated_btree', weekSum, WEEK);
const twoSingles = onTable('vendor-latest', 'two-single-column', 'ix_btree', vendorLatest, [SMALL_VENDOR]);
const composite = onTable('vendor-latest', 'composite', 'ix_composite', vendorLatest, [SMALL_VENDOR]);
const plainWeek = onTable('week-sum', 'btree', 'ix_btree', weekSum, WEEK);
const covering = onTable('week-sum', 'covering', 'ix_covering', weekSum, WEEK);
const fullBulk = onTable('week-bulk', 'btree', 'ix_btree', weekBulk, WEEK);
const partial = onTable('week-bulk', 'partial', 'ix_partial', weekBulk, WEEK);
const plainMonth = onTable('month-by-category', 'btree', 'ix_btree', monthByCategory, [MONTH]);
const expression = onTable('month-by-category', 'expression', 'ix_expression', monthByCategory, [MONTH]);
const btreeNumber = onTable('receipt-by-number', 'btree', 'ix_btree', byNumber, [4242]);
const hashNumber = onTable('receipt-by-number', 'hash', 'ix_hash', byNumber, [4242]);

benchmarkSuite('receipts', ({ compare, inspect, scale }) => {
  // Time bars hold from scale 1 up (measured at 1 and 10). Below, these queries take a
  // fraction of a millisecond and the client round trip is most of it: time is reported,
  // plans and buffers (deterministic) are still asserted.
  const timeBar = (x: number) => (scale >= 1 ? x : undefined);
  if (scale < 1) console.log(`receipts/index-strategy: at scale ${scale} < 1 read speedups are reported, not asserted (sub-millisecond queries: the round trip dominates)`);
  // BRIN needs rows in column order. In random order each 128-page range spans the two
  // years, so the bitmap is lossy over the whole table: 1,416 vs 881 buffers at scale 1.
  compare({
    baseline: brinRandom,
    candidate: btreeRandom,
    // Measured at scale 1: 12.2x [7.9, 18.9], 8.8x [8.4, 9.2], 9.4x [9.2, 9.6]; 7.9x [6.4, 9.9] at
    // 0.3, 5.6x [4.0, 7.8] at 0.1; 6.0x [4.9, 7.3] at scale 10. Buffers 1.48x-1.60x at every scale.
    atLeast: timeBar(3),
    baselinePlan: { usesIndex: 'ix_brin_idx' },
    candidatePlan: { usesIndex: 'ix_btree_purchase_date' },
    fewerBuffers: 1.4,
    measure,
  });
  // In date order the week is one or two block ranges: 130 buffers instead of 1,408 at
  // scale 1. At scale 0.1 the whole copy (136 pages) is about one 128-page range, so BRIN
  // cannot skip anything: skipped there, with this reason printed.
  if (scale >= 0.3) {
    compare({
      baseline: seqDated,
      candidate: brinDated,
      // Measured at scale 1: 7.3x [5.2, 10.2], 6.1x [5.5, 6.8], 8.4x [6.0, 11.6]; 25.7x [18.3, 36.0]
      // at scale 10; 2.6x [2.0, 3.4] at 0.3 (reported there). With a CPU hog, 5 runs: lowest
      // 5.98x [5.55, ...]. testcontainers on an Intel Xeon (its port proxy adds to every round
      // trip): 4.18x [3.87, 4.52], 3.94x [3.71, 4.19]: the bar is 2.5x.
      atLeast: timeBar(2.5),
      baselinePlan: { seqScanOn: 'ix_dated_brin' },
      candidatePlan: { usesIndex: 'ix_dated_brin_idx', noSeqScanOn: 'ix_dated_brin' },
      // Buffers 1,408 -> 130 (10.8x) at scale 1: the ratio grows with the pages (~11 per unit of scale).
      fewerBuffers: Math.min(5, 5 * scale),
      measure,
    });
  } else {
    console.log(`receipts/index-strategy/week-date-order (brin vs seq-scan) skipped at scale ${scale}: the copy is about one 128-page block range, BRIN cannot skip any`);
  }
  // btree still reads fewer pages (23: exactly the week's rows) than BRIN's whole ranges
  // (130); reported, not asserted: the choice is a trade against a ~30x larger index.
  if (scale >= 0.3) compare({ baseline: brinDated, candidate: btreeDated, candidatePlan: { usesIndex: 'ix_dated_btree_idx' }, measure });

  // The latest 20 of one vendor: the composite index returns them in order, 20 entries,
  // no Sort; two single-column indexes filter a date-ordered scan or sort the vendor's rows.
  compare({
    baseline: twoSingles,
    candidate: composite,
    // Measured at scale 1: 6.8x [3.0, 15.2], 3.1x [2.5, 3.8], 4.6x [3.6, 5.8]; 24.0x [14.3, 40.2] at
    // scale 10; 4.1x [3.2, 5.2] at 0.3, 3.2x [2.1, 5.0] at 0.1. Buffers 1,052 -> 23 (46x). The
    // vendor has 2% of the rows, so the date-ordered scan examines ~1,000 rows for 20 at every scale.
    // With a CPU hog, 5 runs: lowest 4.33x [2.36, ...]. testcontainers on an Intel Xeon: 2.17x
    // [1.55, 3.04], 1.92x [1.53, 2.42]: the bar is 1.25x (the 46x fewer buffers are the proof).
    atLeast: timeBar(1.25),
    candidatePlan: { usesIndex: 'ix_composite_idx', noNode: ['Sort', 'Incremental Sort'], noSeqScanOn: 'ix_composite' },
    // 267 -> 22 (12x) at scale 0.1.
    fewerBuffers: 8,
    measure,
  });
  // The week's sum from the index alone: INCLUDE (total_amount) makes it an Index Only Scan,
  // and after VACUUM the visibility map answers "visible?" with no heap fetch.
  compare({
    baseline: plainWeek,
    candidate: covering,
    // Measured at scale 1: 3.9x [3.4, 4.5], 4.7x [4.5, 5.0]; 15.6x [9.9, 24.4] at scale 10; 4.2x
    // [2.8, 6.4] at 0.3, 1.8x [1.6, 1.9] at 0.1. Buffers 881 -> 9 (98x): the index pages alone.
    // With a CPU hog, 5 runs: lowest 5.05x [4.28, ...]. testcontainers on an Intel Xeon: 2.17x
    // [1.97, 2.38] (CI, inconclusive at the cap against the old 2x bar), 2.20x [2.04, 2.37],
    // 2.14x [2.00, 2.29]: the bar is 1.5x.
    atLeast: timeBar(1.5),
    candidatePlan: { usesIndex: 'ix_covering_idx', maxHeapFetches: 0 },
    // 93 -> 4 (23x) at scale 0.1.
    fewerBuffers: 15,
    measure,
  });
  // Bulk orders are 23% of receipts: the partial index holds only them.
  compare({
    baseline: fullBulk,
    candidate: partial,
    // Measured at scale 1: 4.5x [3.3, 6.0], 2.2x [1.95, 2.48], 2.5x [2.3, 2.8]; 3.2x [2.4, 4.2] at
    // scale 10; 2.2x [1.6, 3.0] at 0.3, 1.7x [1.6, 1.8] at 0.1. Buffers 881 -> 285 (3.1x).
    // With a CPU hog, 5 runs: lowest 3.46x [3.20, ...]. testcontainers on an Intel Xeon: 1.75x
    // [1.61, 1.91], 1.78x [1.56, 2.05]: the bar is 1.25x.
    atLeast: timeBar(1.25),
    candidatePlan: { usesIndex: 'ix_partial_idx' },
    // 93 -> 22 (4.2x) at scale 0.1.
    fewerBuffers: 2,
    measure,
  });
  // date_trunc() on the column hides it from the plain index (a Seq Scan evaluates it per
  // row); the expression index matches the expression as written.
  compare({
    baseline: plainMonth,
    candidate: expression,
    // Measured at scale 1: 3.9x [2.9, 5.2], 4.8x [4.5, 5.1], 5.1x [4.5, 5.8]; 3.05x [2.66, 3.51] at
    // scale 10; 6.0x [4.6, 7.9] at 0.3, 2.8x [2.0, 4.0] at 0.1. Buffers barely change (1,474 -> 1,350: a month
    // in random order is on most pages): the gain is not evaluating date_trunc() on every row.
    atLeast: timeBar(1.5),
    baselinePlan: { seqScanOn: 'ix_btree' },
    candidatePlan: { usesIndex: 'ix_expression_idx', noSeqScanOn: 'ix_expression' },
    measure,
  });
  // Hash vs btree for one equality lookup: reported (both are a few pages deep).
  compare({ baseline: btreeNumber, candidate: hashNumber, candidatePlan: { usesIndex: 'ix_hash_idx' }, measure });

  inspect('receipts/index-strategy/sizes', ({ uri }, record) =>
    withConnection(uri, async (client) => {
      for (const t of ['ix_btree', 'ix_brin', 'ix_composite', 'ix_covering', 'ix_partial', 'ix_expression', 'ix_hash'] as const) await ensureReadTable(client, t);
      const size: Record<string, number> = {};
      for (const { variant, index, label } of SIZED_INDEXES) {
        const { rows } = await client.query<{ bytes: string }>('SELECT pg_relation_size($1::regclass)::text AS bytes', [index]);
        size[variant] = Number(rows[0]!.bytes);
        record({ name: `receipts/index-strategy/size[${variant}]`, value: size[variant], unit: 'bytes', params: { index: label } });
      }
      const table = await client.query<{ bytes: string }>("SELECT pg_relation_size('ix_btree')::text AS bytes");
      record({ name: 'receipts/index-strategy/size[table]', value: Number(table.rows[0]!.bytes), unit: 'bytes', params: { index: 'heap of the copy' } });
      const problems: string[] = [];
      // Deterministic for a dataset. A BRIN index is a few pages whatever the rows (one
      // summary per 128 heap pages); a btree grows with them. Measured: 24 KB vs 704 KB
      // at scale 1 (29x); the bar grows with scale and is 2x at scale 0.1 (24 KB vs 104 KB).
      const brinBar = Math.max(2, 10 * scale);
      if (!(size.brin! * brinBar <= size.btree!)) problems.push(`BRIN ${size.brin} bytes should be >= ${brinBar}x smaller than the btree's ${size.btree}`);
      // 23% of receipts are bulk: measured 184 KB vs 704 KB (0.26) at scale 1; at scale 0.1
      // a btree's fixed pages weigh more: 48 KB vs 104 KB (0.46).
      const partialBar = scale >= 1 ? 0.4 : 0.6;
      if (!(size.partial! <= partialBar * size.btree!)) problems.push(`the partial index (${size.partial} bytes) should be <= ${partialBar * 100}% of the full btree (${size.btree})`);
      // INCLUDE stores total_amount in every leaf entry: measured 3.0 MB vs 704 KB (the
      // full btree deduplicates equal dates; a covering index cannot, its tuples differ).
      if (!(size.covering! > 2 * size.btree!)) problems.push(`the covering index (${size.covering} bytes) should be > 2x the plain btree (${size.btree})`);
      if (problems.length) throw new Error(problems.join('\n'));
    }),
  );
});
