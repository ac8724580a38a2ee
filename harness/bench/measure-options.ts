/**
 * How a measurement is run. Every option is validated in resolveMeasureOptions.
 *
 * A comparison with a bar (`atLeast`) measures sequentially (sequential-test.ts): it looks
 * after `minRounds` rounds, then at about x1.5 more each time, and stops as soon as its
 * interval is decisive, or at `maxRounds` rounds, or once `maxMs` of measuring have
 * passed. Cases measured without a bar (a single case, a reported comparison) run
 * exactly `rounds` rounds. The caps can be overridden for a whole run (the run
 * descriptor's `measure`, from SCHEMABENCH_MIN_ROUNDS, SCHEMABENCH_MAX_ROUNDS and
 * SCHEMABENCH_MAX_MS; config.ts validates them): a case's own option wins. `schemabench
 * compare` raises the first look to 6 rounds, so that every case has enough base/head
 * pairs for its latency ratio.
 */
import type { MeasureCaps } from '../config.ts';
import { currentRun } from '../run-descriptor.ts';

export interface MeasureOptions {
  /** Rounds when there is no bar to decide against; A and B alternate within each round (AB, BA, ...). @default 10 (at least SCHEMABENCH_MIN_ROUNDS) */
  rounds?: number;
  /** Rounds before the first look of a sequential comparison. @default 4 (SCHEMABENCH_MIN_ROUNDS) */
  minRounds?: number;
  /** Round cap of a sequential comparison: the last look; still undecided there is inconclusive. @default 20 (SCHEMABENCH_MAX_ROUNDS) */
  maxRounds?: number;
  /** Time cap of a sequential comparison, ms of measured rounds; a look is forced when it passes. @default 60000 (SCHEMABENCH_MAX_MS) */
  maxMs?: number;
  /** Target time per case per round, ms; sets the iterations per round. @default 150 */
  roundMs?: number;
  /** Fewest iterations per round. @default 3 */
  minIterations?: number;
  /** Most iterations per round. @default 200 */
  maxIterations?: number;
  /** Untimed runs per case before measuring (warm cache, warm plan cache). @default 3 */
  warmupIterations?: number;
}

export const MEASURE_DEFAULTS: Required<MeasureOptions> = {
  rounds: 10,
  minRounds: 4,
  maxRounds: 20,
  maxMs: 60_000,
  roundMs: 150,
  minIterations: 3,
  maxIterations: 200,
  warmupIterations: 3,
};

export function resolveMeasureOptions(options: MeasureOptions = {}, caps: MeasureCaps = currentRun().measure): Required<MeasureOptions> {
  const resolved = { ...MEASURE_DEFAULTS, ...caps, ...options };
  // The run's minRounds is a floor for fixed-round measurements too (compare pairs their rounds).
  const floor = caps.minRounds ?? 0;
  if (floor > resolved.rounds) resolved.rounds = floor;
  // A case that raises minRounds above the default cap means "at least that many".
  if (options.maxRounds === undefined && resolved.maxRounds < resolved.minRounds) resolved.maxRounds = resolved.minRounds;
  // An environment's first look above a case's own cap waits for the cap.
  if (options.maxRounds !== undefined && options.minRounds === undefined && resolved.minRounds > resolved.maxRounds) resolved.minRounds = resolved.maxRounds;
  const positive = (key: keyof MeasureOptions, min: number) => {
    const v = resolved[key];
    if (!Number.isInteger(v) || v < min) throw new RangeError(`measure option ${key} must be an integer >= ${min} (got ${v})`);
  };
  positive('rounds', 2);
  positive('minRounds', 2);
  positive('maxRounds', resolved.minRounds);
  positive('maxMs', 1);
  positive('roundMs', 1);
  positive('minIterations', 1);
  positive('maxIterations', resolved.minIterations);
  positive('warmupIterations', 0);
  return resolved;
}

/** Iterations per round so that one round of this case takes about roundMs. */
export function iterationsFor(singleMs: number, options: Required<MeasureOptions>): number {
  const k = Math.ceil(options.roundMs / Math.max(singleMs, 0.01));
  return Math.min(options.maxIterations, Math.max(options.minIterations, k));
}
