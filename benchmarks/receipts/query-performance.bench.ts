/**
 * Seed 004, "Query Performance": its three query types asked of the normalized schema
 * (live joins), the denormalized wide table and the materialized views. Every pair's
 * answers are checked equal before anything is timed.
 *
 * Thresholds (measured here at scale 1, embedded and testcontainers, warm cache): the
 * views answer from a few hundred pre-aggregated rows, so their speedup over the
 * live query is two orders of magnitude, far above the seed's 3x; we assert the
 * seed's figure as the lower bound. Normalized vs denormalized is reported, not
 * asserted: it is close (the wide table saves the joins but reads ~1.9x the pages).
 */
import { defineCase, type BenchmarkCase, benchmarkSuite } from 'schemabench';
import { monthlySpend, spendByCategorySiteVendor, spendByVendor } from '../../schema/receipts/read-model.ts';

import { QUERY_TYPE_LABELS } from './seed-report-keys.ts';

type ReadModel = typeof spendByVendor | typeof spendByCategorySiteVendor | typeof monthlySpend;

const QUERIES: ReadModel[] = [spendByVendor, spendByCategorySiteVendor, monthlySpend];
const QUERY_TYPES = QUERY_TYPE_LABELS.map(({ name }, i) => ({ name, query: QUERIES[i]! }));

function variants(name: string, query: ReadModel): Record<'normalized' | 'denormalized' | 'materialized', BenchmarkCase> {
  const make = (variant: 'normalized' | 'denormalized' | 'materialized') =>
    defineCase({ name, workload: 'receipts', variant, statement: ({ db }) => query[variant](db) });
  return { normalized: make('normalized'), denormalized: make('denormalized'), materialized: make('materialized') };
}

benchmarkSuite('receipts', ({ compare }) => {
  for (const { name, query } of QUERY_TYPES) {
    const v = variants(name, query);
    // Measured with a CPU hog at scale 1 (scripts/noise/under-load.sh, issue 16), lowest lower
    // bounds: simple-aggregation 55.1x, complex-join-5-tables 42.8x, date-analysis 149.8x; the
    // first look (4 rounds) decides. 3x is the seed's claim, far below all of them.
    compare({ baseline: v.normalized, candidate: v.materialized, atLeast: 3, candidatePlan: { noSeqScanOn: 'receipts' } });
    compare({ baseline: v.normalized, candidate: v.denormalized });
  }
});
