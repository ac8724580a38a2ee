/**
 * When a difference between base and head is a regression (docs/ci.md, "What compare
 * calls a regression"). Plans, buffers and rows are deterministic on the same data, so
 * their tolerances are small; a latency ratio needs an interval wholly above a bar that
 * A/A runs (the same commit on both sides) never reach.
 */
export interface CompareRules {
  /**
   * A latency ratio (head / base) is a regression when its interval's low end is above this.
   * Calibrated by A/A runs: scripts/compare/a-a.sh (figures in docs/ci.md). @default 1.15
   */
  latencyThreshold: number;
  /**
   * A case whose base median is under this many ms is mostly round trips between client and
   * server, whose time the scheduler decides (issue 16 measured them move 2x with the load of
   * the machine; A/A runs here saw one insert of 0.09 ms read 1.98x [1.67, 2.35]). @default 1
   */
  roundTripMs: number;
  /** ... such a case regresses only when its interval lies wholly above this. @default 2 */
  roundTripThreshold: number;
  /** Shared buffers of head above base times this are a regression. @default 1.1 */
  bufferTolerance: number;
  /** ... and only when they grew by at least this many buffers (8 KiB each). @default 16 */
  minBufferDelta: number;
  /**
   * A sequential scan gained on a table with at least this many rows is a regression (a
   * scan of a small lookup table is the planner's right choice). @default 1000
   */
  seqScanMinRows: number;
}

export const COMPARE_RULES: CompareRules = {
  latencyThreshold: 1.15,
  roundTripMs: 1,
  roundTripThreshold: 2,
  bufferTolerance: 1.1,
  minBufferDelta: 16,
  seqScanMinRows: 1000,
};
