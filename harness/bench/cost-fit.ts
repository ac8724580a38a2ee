/**
 * A cost measured at a few table sizes, fitted and extrapolated to a bigger one, with a
 * prediction interval: what compare's migration forecast uses (docs/safe-migrations.md,
 * "Migration cost at production size").
 *
 * The model is a fixed part plus a part proportional to the rows n:
 *   cost = fixed + perRow * n,   fixed >= 0, perRow >= 0.
 * A migration's time is a fixed part (round trips, the catalog update, waiting for and
 * taking the lock) plus work on every row: a rewrite copies each row and rebuilds each
 * index of the table, CREATE INDEX reads and sorts every row, a batched UPDATE scans the
 * table once per batch and writes a new version of each row into the heap and every
 * index. A sort's log factor grows about 20% per tenfold of rows at these sizes, less than
 * the spread of two runs on a shared machine; a power law fitted on log-log axes reads the
 * fixed part, which dominates small tables, as slower growth and under-predicts a rewrite
 * ten times bigger. Both were measured against this model (docs/safe-migrations.md).
 *
 * A cost that does not grow (a brief lock's few milliseconds) gets a slope from its noise
 * when the noise slopes up, and is over-predicted far away, with an interval as wide as
 * that slope is uncertain: its low end stays near the measured values. Keeping the growth
 * only when a t test finds it significant was tried and dropped: it fitted a real, modest
 * growth under a large fixed part as a constant so often that the interval far away
 * missed the truth most of the time (specs/cost-fit.test.ts simulates that case).
 *
 * Noise is relative: a run on a busy machine is slower by a share, not by milliseconds.
 * So the fit is weighted least squares with weights 1/fitted² (iterated: each fit
 * reweights the next), `spread` is the residuals' relative standard deviation, and the
 * interval is multiplicative: the prediction times exp(± t(df) * spread * sqrt(leverage
 * + 1)), where leverage is the fitted value's own relative variance at the new size (it
 * grows far outside the measured sizes) and 1 is one more run's noise. t has (points -
 * parameters) degrees of freedom: several runs per size make an interval worth reading.
 */
import { studentTQuantile } from './statistics.ts';

export interface CostPoint {
  /** Rows of the table(s) the cost is about. */
  rows: number;
  /** The cost measured there (ms, rows, ...), >= 0. */
  value: number;
}

export interface CostFit {
  /** Cost at no rows. */
  fixed: number;
  /** Cost per row. */
  perRow: number;
  /** Relative spread of the points around the fit (sd of the relative residuals); NaN with no degree of freedom. */
  spread: number;
  /** Degrees of freedom of `spread`: points minus parameters. */
  df: number;
  /** 2, or 1 when a bound held (no fixed part, or no growth). */
  parameters: number;
  /** Inverse of the weighted normal matrix, fixed first, for the leverage at a new size. */
  inverse: [[number, number], [number, number]];
}

export interface CostPrediction {
  rows: number;
  estimate: number;
  low: number;
  high: number;
  confidence: number;
}

export interface CostFitOptions {
  /** Smallest value a weight is computed from: a cost below it is as precise as it (the measure's resolution). @default 1 */
  floor?: number;
}

/** A relative spread below this is floating-point rounding, not noise. */
const EXACT = 1e-9;

interface Solved {
  fixed: number;
  perRow: number;
  parameters: number;
  inverse: CostFit['inverse'];
}

/** Weighted least squares of value on [1, n]: a negative slope means no growth, a negative intercept no fixed part. */
function solve(xs: number[], ys: number[], ws: number[]): Solved {
  let s0 = 0, s1 = 0, s2 = 0, t0 = 0, t1 = 0;
  xs.forEach((x, i) => {
    const w = ws[i]!;
    s0 += w;
    s1 += w * x;
    s2 += w * x * x;
    t0 += w * ys[i]!;
    t1 += w * x * ys[i]!;
  });
  const det = s0 * s2 - s1 * s1;
  // One distinct size (det 0) cannot tell growth from a fixed cost: a constant.
  if (det > 1e-12 * s0 * s2) {
    const perRow = (s0 * t1 - s1 * t0) / det;
    const fixed = (t0 - perRow * s1) / s0;
    if (perRow >= 0 && fixed >= 0) return { fixed, perRow, parameters: 2, inverse: [[s2 / det, -s1 / det], [-s1 / det, s0 / det]] };
    if (perRow > 0) return { fixed: 0, perRow: t1 / s2, parameters: 1, inverse: [[0, 0], [0, 1 / s2]] };
  }
  return { fixed: Math.max(0, t0 / s0), perRow: 0, parameters: 1, inverse: [[1 / s0, 0], [0, 0]] };
}

/** Iteratively reweighted: weights from the values first, then 1 / fitted², no smaller than `floor`. */
function weightedFit(xs: number[], ys: number[], floor: number): CostFit {
  let solved = solve(xs, ys, ys.map((y) => 1 / Math.max(y, floor) ** 2));
  let fitted = xs.map((x) => solved.fixed + solved.perRow * x);
  for (let round = 0; round < 4; round++) {
    solved = solve(xs, ys, fitted.map((f) => 1 / Math.max(f, floor) ** 2));
    fitted = xs.map((x) => solved.fixed + solved.perRow * x);
  }
  const df = xs.length - solved.parameters;
  const squares = ys.reduce((sum, y, i) => sum + ((y - fitted[i]!) / Math.max(fitted[i]!, floor)) ** 2, 0);
  // Below rounding error the points lie on the line (rows counted exactly): no spread.
  const spread = df > 0 ? Math.sqrt(squares / df) : Number.NaN;
  return { fixed: solved.fixed, perRow: solved.perRow, spread: spread < EXACT ? 0 : spread, df, parameters: solved.parameters, inverse: solved.inverse };
}

/** The fit of `points` (at least two). Throws on a negative or non-finite value. */
export function fitCost(points: readonly CostPoint[], options: CostFitOptions = {}): CostFit {
  const floor = options.floor ?? 1;
  if (points.length < 2) throw new RangeError(`fitCost needs at least two points (got ${points.length})`);
  for (const p of points) {
    if (!(Number.isFinite(p.rows) && p.rows >= 0 && Number.isFinite(p.value) && p.value >= 0)) throw new RangeError(`fitCost: rows and value must be finite numbers >= 0 (got ${JSON.stringify(p)})`);
  }
  return weightedFit(
    points.map((p) => p.rows),
    points.map((p) => p.value),
    floor,
  );
}

/** The fitted cost at `rows`, with a `confidence` prediction interval for one more run there. */
export function predictCost(fit: CostFit, rows: number, confidence = 0.95): CostPrediction {
  if (!(Number.isFinite(rows) && rows >= 0)) throw new RangeError(`predictCost: rows must be a finite number >= 0 (got ${rows})`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`predictCost: confidence must be between 0 and 1 (got ${confidence})`);
  const estimate = fit.fixed + fit.perRow * rows;
  if (estimate === 0 || fit.spread === 0) return { rows, estimate, low: estimate, high: estimate, confidence };
  if (!(fit.df > 0)) return { rows, estimate, low: 0, high: Number.POSITIVE_INFINITY, confidence };
  const [[a, b], [, d]] = fit.inverse;
  // Variance of the fitted value relative to the residual variance: [1 n] M⁻¹ [1 n]ᵀ.
  const leverage = a + 2 * b * rows + d * rows * rows;
  const sigma = fit.spread * Math.sqrt(leverage / estimate ** 2 + 1);
  const t = studentTQuantile(1 - (1 - confidence) / 2, fit.df);
  return { rows, estimate, low: estimate * Math.exp(-t * sigma), high: estimate * Math.exp(t * sigma), confidence };
}
