/**
 * Seed 000, "Slowest endpoints": the three indexes that fixed them, each measured
 * before (a private copy of the dataset without the index) and after, with the
 * plan evidence the seed describes: a Seq Scan before, the index after, both as the
 * planner chooses them at this scale ("chosen" mode).
 *
 * Thresholds are lower bounds below what was measured here at scale 1 (the note on
 * the issue gives the intervals); the seed's own figures are in the report.
 */
import { benchmarkSuite } from 'schemabench';
import { beforeFix, ENDPOINTS } from './endpoints.ts';

const THRESHOLDS: Record<string, number> = {
  // categories: 100k catalog lines, one type is ~2.5% of them, spread over most pages
  // (842 vs 791 buffers): the index saves filtering rows, not reading pages. Measured
  // 3.76x [3.30, 4.28] (embedded) and 2.33x [1.92, 2.83] (testcontainers) at scale 1;
  // with a CPU hog (scripts/noise/under-load.sh, issue 16) 3.95x [3.27, 4.78], 3.85x [2.78, 5.32]:
  // the bar is the seed's own gain, 1873 -> 1489 ms = 1.26x, rounded up to 1.3x.
  '/catalog/': 1.3,
  // carts: 200k rows scanned for one user's carts, vs an index probe (1,479 vs 11 buffers).
  // Measured 27.1x [23.3, 31.5] (embedded), 16.8x [15.3, 18.4] (testcontainers); with a CPU
  // hog 24.4x [10.7, 55.2] and 21.3x [14.0, 32.3] (issue 16: the bar was 10x, a hair below
  // the lowest lower bound, so it is 8x now); the seed saw ~7x on its whole endpoint.
  '/catalog/recs': 8,
  // stock_ledger: 213k rows scanned for one trans_id inside the checkout transaction
  // (1,600 vs 5 buffers). Measured 10.9x [9.5, 12.6] (embedded), 6.1x [5.6, 6.7]
  // (testcontainers) for the whole transaction; with a CPU hog 19.7x [7.0, 54.9], 13.2x [9.6, 18.2].
  '/carts/{cart_id}/checkout': 4,
};

benchmarkSuite('store', ({ compare }) => {
  for (const e of ENDPOINTS.filter((x) => x.fix)) {
    compare({
      name: `store/index-fix${e.path}: ${e.fix!.index}`,
      baseline: beforeFix(e),
      candidate: e.case,
      atLeast: THRESHOLDS[e.path],
      baselinePlan: { seqScanOn: e.fix!.table },
      candidatePlan: { mode: 'chosen', usesIndex: e.fix!.index, noSeqScanOn: e.fix!.table },
      measure: { roundMs: 150 }, // rounds: sequential, until the verdict is decisive (4 to 20)
    });
  }
});
