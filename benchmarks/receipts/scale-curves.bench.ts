/**
 * How cost grows with data: a lookup through an index touches about the same pages at
 * any size, a sequential scan touches all of them. Asserted on shared buffers (exact
 * for a dataset), over three dataset sizes; latency exponents are reported.
 * Measured here: index range lookup with LIMIT, buffers exponent ~0; seq scan ~1.
 */
import { defineCase, benchmarkSuite } from 'schemabench';

const SCALES = [0.1, 0.3, 1];

const indexRange = defineCase({
  name: 'receipts/scaling/date-range-first-100',
  variant: 'btree',
  statement: { text: 'SELECT id, total_amount FROM receipts WHERE purchase_date >= $1 ORDER BY purchase_date LIMIT 100', values: ['2024-06-03'] },
});
const seqScan = defineCase({
  name: 'receipts/scaling/spend-total',
  variant: 'seq-scan',
  statement: { text: 'SELECT count(*), sum(total_amount) FROM receipts' },
});

benchmarkSuite('receipts', ({ scaling }) => {
  scaling({ case: indexRange, scales: SCALES, buffersExponent: { max: 0.5 } });
  scaling({ case: seqScan, scales: SCALES, buffersExponent: { min: 0.8, max: 1.2 } });
});
