/**
 * Statistics for latency samples measured in interleaved rounds.
 *
 * The speedup of a candidate over a baseline is estimated from paired rounds: in
 * round r both cases run back to back (order alternating), and
 *   d_r = ln(median baseline_r) - ln(median candidate_r).
 * Machine drift (another process on the 2 cores, CPU frequency) hits both halves of
 * a round alike and cancels in d_r; medians shrug off single outliers. The speedup
 * is exp(mean d) with a Student-t 95% interval over the rounds, so samples within a
 * round (which are correlated) are never treated as independent evidence.
 */

import type { Interval, LatencySummary } from '../results/results-schema.ts';

export type { Interval, LatencySummary };

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function variance(xs: readonly number[]): number {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
}

/** Quantile with linear interpolation (type 7, as R and numpy default). */
export function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export const median = (xs: readonly number[]) => quantile(xs, 0.5);

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9).
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction for the regularized incomplete beta function (Numerical Recipes betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-14) break;
  }
  return h;
}

function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** CDF of Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Quantile of Student's t (inverse CDF), by bisection on the CDF. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError(`studentTQuantile needs 0 < p < 1 and df > 0 (got p=${p}, df=${df})`);
  let lo = -1e3;
  let hi = 1e3;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const n = samples.length;
  const m = mean(samples);
  const sem = n > 1 ? Math.sqrt(variance(samples) / n) : 0;
  const rme = n > 1 && m > 0 ? (100 * studentTQuantile(0.975, n - 1) * sem) / m : 0;
  return { mean: m, p50: median(samples), p99: quantile(samples, 0.99), rme, n };
}

/**
 * Speedup of `candidate` over `baseline` (>1: candidate faster) with a two-sided
 * `confidence` interval, from per-round latency samples: `baseline[r]` and
 * `candidate[r]` were measured in the same round r.
 */
export function pairedSpeedup(baseline: readonly (readonly number[])[], candidate: readonly (readonly number[])[], confidence = 0.95): Interval {
  if (baseline.length !== candidate.length || baseline.length < 2) {
    throw new RangeError(`pairedSpeedup needs the same number (>= 2) of rounds for both cases (got ${baseline.length} and ${candidate.length})`);
  }
  return logRatioInterval(roundLogRatios(baseline, candidate), confidence);
}

/**
 * The ratio whose per-pair logs are `d`: exp(mean d), with a two-sided Student t interval
 * at `confidence` over the pairs (unbounded with fewer than 2). Speedups, load ratios and
 * compare's head/base latency all use it.
 */
export function logRatioInterval(d: readonly number[], confidence = 0.95): Interval {
  const m = mean(d);
  const half = d.length > 1 ? studentTQuantile(1 - (1 - confidence) / 2, d.length - 1) * Math.sqrt(variance(d) / d.length) : Infinity;
  return { estimate: Math.exp(m), low: Math.exp(m - half), high: Math.exp(m + half) };
}

/** Per-round log ratios d_r = ln(median baseline_r) - ln(median candidate_r). */
export function roundLogRatios(baseline: readonly (readonly number[])[], candidate: readonly (readonly number[])[]): number[] {
  return baseline.map((b, r) => Math.log(median(b)) - Math.log(median(candidate[r]!)));
}

/**
 * How noisy the machine was for this pair: the standard deviation of d_r across rounds
 * (0.05 = rounds agree within about 5%). NaN with fewer than 2 rounds.
 */
export function roundSpread(baseline: readonly (readonly number[])[], candidate: readonly (readonly number[])[]): number {
  const d = roundLogRatios(baseline, candidate);
  return d.length >= 2 ? Math.sqrt(variance(d)) : NaN;
}

/** Pooled standard deviation of several groups: sqrt(sum (n_i - 1) s_i^2 / sum (n_i - 1)). */
export function pooledSpread(groups: readonly { sd: number; n: number }[]): number | null {
  const usable = groups.filter((g) => g.n >= 2 && Number.isFinite(g.sd));
  const df = usable.reduce((a, g) => a + g.n - 1, 0);
  return df > 0 ? Math.sqrt(usable.reduce((a, g) => a + (g.n - 1) * g.sd ** 2, 0) / df) : null;
}
