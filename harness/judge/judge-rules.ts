/**
 * The one rules table of both judges (docs/ci.md, "What is a regression"). Plans,
 * buffers, rows, metrics, removed and added subjects are judged by the same rules in
 * `gate` (cross-run) and `compare` (paired); each mode adds what only it can measure.
 * Every threshold is validated in `judgeRules`; a field not given takes its default.
 */
import { UsageError } from '../errors.ts';

export interface JudgeRules {
  /**
   * Shared buffers (hit + read) above the reference's times this are a regression.
   * Buffers are deterministic on the same data and plan; hint bits and a visibility map
   * written by the first reads move them by a few. @default 1.1
   */
  bufferTolerance: number;
  /** ... and only when they grew by at least this many buffers (8 KiB each): tiny plans move by a few. @default 16 */
  minBufferDelta: number;
  /**
   * A sequential scan gained on a table with at least this many rows is a regression: a
   * scan of a small lookup table is the planner's right choice. @default 1000
   */
  seqScanMinRows: number;
  /** Relative change of a `bytes` metric tolerated (sizes move with page fill); other deterministic units are exact. @default 0.05 */
  metricTolerance: number;
  /**
   * Paired (compare): a latency ratio head / base is a regression when its interval's low
   * end is above this (the interval of the run's family: latency-family.ts). Calibrated by A/A runs (`bash scripts/compare/proofs.sh 20`). @default 1.15
   */
  latencyThreshold: number;
  /**
   * Paired: the least spread (sd of ln head/base) assumed between the sides over a whole
   * run, on top of each case's own error: each side is its own database copy and client
   * process, which pairing rounds cannot cancel. A run with enough cases measures its own
   * and uses the larger (latency-family.ts). Calibrated by A/A runs. @default 0.05
   */
  latencySideSpread: number;
  /**
   * Paired: a case whose reference median is under this many ms is mostly client round
   * trips, whose time the scheduler decides (A/A runs saw a 0.09 ms insert read 1.98x). @default 1
   */
  roundTripMs: number;
  /** Paired: ... such a case regresses only when its interval lies wholly above this. @default 2 */
  roundTripThreshold: number;
  /**
   * Cross-run (gate), same server: a speedup is a regression when the new interval lies
   * wholly below the reference's AND the estimate lost more than this share. One run's
   * interval is narrower than run-to-run spread (one comparison read 2.33x, 3.81x and 2.81x
   * in three CI runs); half a speedup lost is what a dropped index does, and more. @default 0.5
   */
  minSpeedupDrop: number;
  /**
   * Cross-run, same machine: a median latency above the reference's times this (and by
   * `latencySlackMs`) is a regression. Medians of two runs on a shared 2-core machine move
   * 1.7x with the neighbours. @default 2
   */
  maxLatencyRatio: number;
  /** Cross-run: absolute growth of a median always tolerated, ms. @default 0.5 */
  latencySlackMs: number;
  /** Migrations (compare): tables with fewer rows before the migration are never flagged. @default 1000 */
  migrationMinRows: number;
  /** Migrations: a mode of SHARE or stronger held at least this long is flagged, ms. @default 100 */
  migrationLockMs: number;
}

export const DEFAULT_RULES: Readonly<JudgeRules> = Object.freeze({
  bufferTolerance: 1.1,
  minBufferDelta: 16,
  seqScanMinRows: 1000,
  metricTolerance: 0.05,
  latencyThreshold: 1.15,
  latencySideSpread: 0.05,
  roundTripMs: 1,
  roundTripThreshold: 2,
  minSpeedupDrop: 0.5,
  maxLatencyRatio: 2,
  latencySlackMs: 0.5,
  migrationMinRows: 1000,
  migrationLockMs: 100,
});

/** Lowest value each rule accepts (a ratio bar below 1 would call every run a regression). */
const MINIMUM: Record<keyof JudgeRules, number> = {
  bufferTolerance: 1,
  minBufferDelta: 0,
  seqScanMinRows: 0,
  metricTolerance: 0,
  latencyThreshold: 1,
  latencySideSpread: 0,
  roundTripMs: 0,
  roundTripThreshold: 1,
  minSpeedupDrop: 0,
  maxLatencyRatio: 1,
  latencySlackMs: 0,
  migrationMinRows: 0,
  migrationLockMs: 0,
};

/** The rules with `overrides` applied; a value that is not a number at or above its minimum is bad input naming the rule. */
export function judgeRules(overrides: Partial<Record<keyof JudgeRules, unknown>> = {}): JudgeRules {
  const rules: JudgeRules = { ...DEFAULT_RULES };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!(name in MINIMUM)) throw new UsageError(`unknown rule ${JSON.stringify(name)}; rules: ${Object.keys(MINIMUM).join(', ')}`);
    const min = MINIMUM[name as keyof JudgeRules];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) throw new UsageError(`rule ${name} must be a number >= ${min} (got ${JSON.stringify(value)})`);
    rules[name as keyof JudgeRules] = value;
  }
  return rules;
}
