/**
 * A load benchmark as a benchmark file declares it: variants of one decision, each a
 * transaction mix on the suite's database (or a private copy), run interleaved in
 * short intervals; ratios between variants asserted.
 */
import type pg from 'pg';
import type { Bar } from '../results/calibration-file.ts';
import type { LoadTransaction } from './load-transaction.ts';
import type { LoadMode } from './run-load.ts';

/** What a variant's hooks get: the database it runs on, and the run's scale and seed. */
export interface LoadEnvironment {
  uri: string;
  scale: number;
  seed: number;
}

export interface LoadVariant {
  /** Name in results and ratios; unique within the spec. */
  name: string;
  /** The mix this variant runs. */
  transactions: LoadTransaction[];
  /**
   * Run on a private copy of the suite's dataset (for variants that drop an index or
   * change schema). A string names a copy shared by the variants that give the same
   * string (the same schema at several client counts: one copy, not one per variant). @default false
   */
  ownDatabase?: boolean | string;
  /** Once, before any interval, on a connection to the variant's database (twin tables, indexes, pools of ids). */
  setup?: (client: pg.Client, env: LoadEnvironment) => Promise<void>;
  /** Once, at the end, whatever happened. */
  teardown?: (client: pg.Client, env: LoadEnvironment) => Promise<void>;
  /** Repeated on its own connection during every interval of this variant (a REFRESH, a batch job). @default [] */
  background?: ((client: pg.Client) => Promise<unknown>)[];
  /** Client connections for this variant. @default the spec's clients */
  clients?: number;
}

/** Metrics a ratio can be taken of. */
export const LOAD_METRICS = ['throughput', 'p50', 'p95', 'p99', 'p999', 'max', 'lockWaits'] as const;
export type LoadMetric = (typeof LOAD_METRICS)[number];

/** A ratio between two variants; `B` is its bar's type (a resolved bar is a number). */
export interface LoadRatio<B extends Bar = Bar> {
  /**
   * 'throughput': numerator's completed tx/s over denominator's (> 1: numerator faster),
   * estimated over the paired intervals. A latency quantile ('p99', ...) or 'lockWaits':
   * numerator's over denominator's (> 1: numerator slower / more waiting), per interval
   * (sampled waits for lockWaits), estimated over the paired intervals like throughput.
   * With atLeast, intervals are added until the per-interval confidence interval is
   * decisive against it (the sequential test of comparisons): pass when its low end
   * reaches atLeast, fail when its high end is below; still straddling at maxIntervals,
   * the verdict is inconclusive and fails only when the estimate is below atLeast.
   */
  metric: LoadMetric;
  numerator: string;
  denominator: string;
  /** The transaction type the ratio is about. @default 'all' (every type of the mix together) */
  transaction?: string;
  /** Required ratio, or `calibrated()` (from `schemabench calibrate`'s data); omitted: reported only. */
  atLeast?: B;
}

/** A ratio's stable name, its key in calibration data: `store/load/checkout: p99 of read a/b`. */
export function loadRatioName(load: string, ratio: { metric: string; transaction?: string; numerator: string; denominator: string }): string {
  const of = ratio.transaction === undefined || ratio.transaction === 'all' ? '' : ` of ${ratio.transaction}`;
  return `${load}: ${ratio.metric}${of} ${ratio.numerator}/${ratio.denominator}`;
}

export interface LoadSpec<B extends Bar = Bar> {
  /** Stable id, e.g. 'receipts/load/write-amplification'. */
  name: string;
  variants: LoadVariant[];
  ratios: LoadRatio<B>[];
  /** @default 4 */
  clients?: number;
  /** @default 'closed' */
  mode?: LoadMode;
  /** Open loop: target rate, tx/s. */
  rate?: number;
  /** Open loop: skip/late threshold, ms. */
  latencyLimitMs?: number;
  /** One measured interval of one variant, ms. @default 1000 */
  intervalMs?: number;
  /** Measured intervals per variant before the first look (variants alternate: AB, BA, AB, ...). @default 4 */
  intervals?: number;
  /**
   * The cap: intervals per variant at the last look, when a ratio with atLeast is still
   * undecided. A transaction that takes ids from a pool must size it for this many.
   * @default 3 * intervals
   */
  maxIntervals?: number;
  /** An unrecorded run per variant before the first interval, ms. @default 300 */
  warmupMs?: number;
  /** Bound on transactions per interval (all clients), e.g. when a pool of ids must not run out. @default Infinity */
  maxTransactionsPerInterval?: number;
  /** Sample the sessions waiting on locks (needed for 'lockWaits' ratios). @default false */
  sampleLockWaits?: boolean;
  /** `SET` for every client connection. @default {} */
  settings?: Record<string, string>;
}
