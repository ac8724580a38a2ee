/** How a measurement is run. Every option is validated in resolveMeasureOptions. */
export interface MeasureOptions {
  /** Measured rounds; A and B alternate within each round (AB, BA, ...). @default 10 */
  rounds?: number;
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
  roundMs: 150,
  minIterations: 3,
  maxIterations: 200,
  warmupIterations: 3,
};

export function resolveMeasureOptions(options: MeasureOptions = {}): Required<MeasureOptions> {
  const resolved = { ...MEASURE_DEFAULTS, ...options };
  const positive = (key: keyof MeasureOptions, min: number) => {
    const v = resolved[key];
    if (!Number.isInteger(v) || v < min) throw new RangeError(`measure option ${key} must be an integer >= ${min} (got ${v})`);
  };
  positive('rounds', 2);
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
