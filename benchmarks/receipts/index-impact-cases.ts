/**
 * The cases of index-impact.bench.ts, in a module of their own so that the workload's
 * report (report.ts) finds their results by the case objects, not by names retyped.
 */
import pg from 'pg';
import { defineCase } from 'schemabench';

const WEEK = ['2024-06-03', '2024-06-09'];
const NO_INDEX = { enable_indexscan: 'off', enable_indexonlyscan: 'off', enable_bitmapscan: 'off' };
const weekOf = (table: string) => ({
  text: `SELECT count(*) AS receipts, sum(total_amount) AS total FROM ${pg.escapeIdentifier(table)} WHERE purchase_date BETWEEN $1 AND $2`,
  values: WEEK,
});

const seqScan = defineCase({
  name: 'receipts/index/purchase-date-week',
  variant: 'seq-scan',
  params: { from: WEEK[0]!, to: WEEK[1]!, order: 'random' },
  settings: NO_INDEX,
  statement: weekOf('receipts'),
});
const btree = defineCase({ ...seqScan, variant: 'btree', settings: {} });

const clusteredSeqScan = defineCase({
  ...seqScan,
  name: 'receipts/index/purchase-date-week-clustered',
  params: { ...seqScan.params, order: 'date (CLUSTER)' },
  statement: weekOf('receipts_clustered'),
});
const clusteredBtree = defineCase({ ...clusteredSeqScan, variant: 'btree', settings: {} });

/** The cases by row order of the table, each side of the comparison. */
export const INDEX_IMPACT = { random: { seqScan, btree }, clustered: { seqScan: clusteredSeqScan, btree: clusteredBtree } };
