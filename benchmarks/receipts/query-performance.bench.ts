/**
 * Seed 004, "Query Performance": its three query types asked of the normalized schema
 * (live joins), the denormalized wide table and the materialized views. Every pair's
 * answers are checked equal before anything is timed.
 *
 * The views answer from a few hundred pre-aggregated rows, so their speedup over the
 * live query is far above the seed's 3x: the bar is calibrated (calibration.json), so a
 * view that stops answering from its aggregates is caught. Normalized vs denormalized is
 * reported, not asserted: it is close (the wide table saves the joins but reads ~1.9x the pages).
 */
import { benchmarkSuite, calibrated } from 'schemabench';
import { QUERY_TYPES } from './query-performance-cases.ts';

benchmarkSuite('receipts', ({ compare }) => {
  for (const { cases: v } of QUERY_TYPES) {
    compare({ baseline: v.normalized, candidate: v.materialized, atLeast: calibrated(), candidatePlan: { noSeqScanOn: 'receipts' } });
    compare({ baseline: v.normalized, candidate: v.denormalized });
  }
});
