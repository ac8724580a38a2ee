/**
 * The read cases of index-strategies.bench.ts (seed 004's "Add indexes"): each reads its
 * own scratch copy of receipts holding only the indexes under test (index-strategies.ts).
 * In a module of their own so that the report finds their results by the case objects.
 */
import pg from 'pg';
import { defineCase, type BenchmarkCase } from 'schemabench';
import type { ReadTableName } from './index-strategies.ts';

const WEEK = ['2024-06-03', '2024-06-09'];
const MONTH = '2024-06-01';
/** McMaster-Carr, the smallest vendor (~2% of receipts): its latest 20 are far apart in date order. */
const SMALL_VENDOR = 14;
const NO_INDEX = { enable_indexscan: 'off', enable_indexonlyscan: 'off', enable_bitmapscan: 'off' };

/** A case reading `table` (built by the suite's setup) with `sql`, where $T is the table. */
function onTable(name: string, variant: string, table: ReadTableName, sql: string, values: unknown[], extra: Partial<BenchmarkCase> = {}): BenchmarkCase {
  return defineCase({
    name: `receipts/index-strategy/${name}`,
    variant,
    params: { table, ...(extra.params ?? {}) },
    ...extra,
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
export const brinRandom = onTable('week-random-order', 'brin', 'ix_brin', weekSum, WEEK, { settings: { enable_seqscan: 'off' } });
export const btreeRandom = onTable('week-random-order', 'btree', 'ix_btree', weekSum, WEEK);
export const seqDated = onTable('week-date-order', 'seq-scan', 'ix_dated_brin', weekSum, WEEK, { settings: NO_INDEX });
export const brinDated = onTable('week-date-order', 'brin', 'ix_dated_brin', weekSum, WEEK);
export const btreeDated = onTable('week-date-order', 'btree', 'ix_dated_btree', weekSum, WEEK);
export const twoSingles = onTable('vendor-latest', 'two-single-column', 'ix_btree', vendorLatest, [SMALL_VENDOR]);
export const composite = onTable('vendor-latest', 'composite', 'ix_composite', vendorLatest, [SMALL_VENDOR]);
export const plainWeek = onTable('week-sum', 'btree', 'ix_btree', weekSum, WEEK);
export const covering = onTable('week-sum', 'covering', 'ix_covering', weekSum, WEEK);
export const fullBulk = onTable('week-bulk', 'btree', 'ix_btree', weekBulk, WEEK);
export const partial = onTable('week-bulk', 'partial', 'ix_partial', weekBulk, WEEK);
export const plainMonth = onTable('month-by-category', 'btree', 'ix_btree', monthByCategory, [MONTH]);
export const expression = onTable('month-by-category', 'expression', 'ix_expression', monthByCategory, [MONTH]);
export const btreeNumber = onTable('receipt-by-number', 'btree', 'ix_btree', byNumber, [4242]);
export const hashNumber = onTable('receipt-by-number', 'hash', 'ix_hash', byNumber, [4242]);
