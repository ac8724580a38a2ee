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
import { afterFix, beforeFix, ENDPOINTS } from './endpoints.ts';

/**
 * The bar of each fix as a function of scale: the scanned tables grow with the scale, the
 * index probe does not, so the speedup shrinks with the data (at scale 0.3: 50x fewer buffers
 * for /catalog/recs where scale 1 has 134x). Below scale 0.3 it is reported, not asserted
 * (the plans still are): the scans are a few hundred pages and the round trip dominates.
 */
const THRESHOLDS: Record<string, (scale: number) => number | undefined> = {
  // categories: 100k catalog lines, one type is ~2.5% of them, spread over most pages
  // (842 vs 791 buffers): the index saves filtering rows, not reading pages. Measured
  // 3.76x [3.30, 4.28] (embedded) and 2.33x [1.92, 2.83] (testcontainers) at scale 1;
  // with a CPU hog (scripts/noise/under-load.sh, issue 16) 3.95x [3.27, 4.78], 3.85x [2.78, 5.32]:
  // the bar is the seed's own gain, 1873 -> 1489 ms = 1.26x, rounded up to 1.3x. Scale 0.3
  // with a CPU hog: 2.63x [1.82, 3.81], 2.51x [2.15, 2.94], 2.43x [2.17, 2.73].
  '/catalog/': (scale) => (scale >= 0.3 ? 1.3 : undefined),
  // carts: 200k rows scanned for one user's carts, vs an index probe (1,479 vs 11 buffers).
  // Measured 27.1x [23.3, 31.5] (embedded), 16.8x [15.3, 18.4] (testcontainers); with a CPU
  // hog 24.4x [10.7, 55.2] and 21.3x [14.0, 32.3] (issue 16: the bar was 10x, a hair below
  // the lowest lower bound, so it is 8x now); the seed saw ~7x on its whole endpoint.
  // Scale 0.3 with a CPU hog, three runs: 8.65x [7.18, 10.41], 7.57x [5.91, 9.68], 5.85x
  // [3.90, 8.78] (all three failed the 10x bar), so 3x there. testcontainers on an Intel Xeon
  // (its port proxy adds to every round trip) at scale 1: 9.91x [8.28, 11.86], 10.30x [9.11,
  // 11.64], so 6x from scale 1.
  '/catalog/recs': (scale) => (scale >= 1 ? 6 : scale >= 0.3 ? 3 : undefined),
  // stock_ledger: 213k rows scanned for one trans_id inside the checkout transaction
  // (1,600 vs 5 buffers). Measured 10.9x [9.5, 12.6] (embedded), 6.1x [5.6, 6.7]
  // (testcontainers) for the whole transaction; with a CPU hog 19.7x [7.0, 54.9], 13.2x [9.6, 18.2].
  // Scale 0.3 with a CPU hog: 7.02x [4.51, 10.93], 6.74x [4.89, 9.28], 5.05x [4.37, 5.83], so 3x there.
  // testcontainers on an Intel Xeon at scale 1: 4.82x [4.26, 5.47], 4.64x [4.25, 5.08], so 3x
  // at every scale from 0.3.
  '/carts/{cart_id}/checkout': (scale) => (scale >= 0.3 ? 3 : undefined),
};

benchmarkSuite('store', ({ compare, scale }) => {
  for (const e of ENDPOINTS.filter((x) => x.fix)) {
    const atLeast = THRESHOLDS[e.path]!(scale);
    if (atLeast === undefined) console.warn(`store/index-fix${e.path}: speedup reported, not asserted, at scale ${scale} (meaningful from scale 0.3; the plans are still checked)`);
    compare({
      name: `store/index-fix${e.path}: ${e.fix!.index}`,
      baseline: beforeFix(e),
      candidate: afterFix(e),
      atLeast,
      baselinePlan: { seqScanOn: e.fix!.table },
      candidatePlan: { mode: 'chosen', usesIndex: e.fix!.index, noSeqScanOn: e.fix!.table },
      measure: { roundMs: 150 }, // rounds: sequential, until the verdict is decisive (4 to 20)
    });
  }
});
