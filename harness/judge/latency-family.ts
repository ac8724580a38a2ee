/**
 * The latency ratios of one compare, judged as one family (compare's paired mode).
 *
 * Two things a case's own paired interval (latency-ratio.ts) does not see:
 * - **Many cases, one verdict.** A compare judges every case it measured; at 95% each,
 *   80 cases of nothing changed put about 4 intervals wholly above 1 by chance, and one
 *   above the bar often enough to fail A/A runs (one read 1.37x [1.17, 1.62] over 6 pairs,
 *   another 1.42x [1.19, 1.71]). The family's error is held at FAMILY_ERROR (Bonferroni:
 *   each case at 1 - FAMILY_ERROR / m).
 * - **Each side is its own database and its own process.** Pairing cancels what the
 *   machine does to both sides at a moment, not what differs between them for the whole
 *   run: the copy's pages and hint bits, the client process's heap and JIT. That
 *   between-side term is a spread of log ratios across cases, added to each case's error:
 *     sd_i^2 = se_i^2 + side^2,  side = max(rules.latencySideSpread, the run's own),
 *   the run's own read from its cases when there are enough of them (MIN_CASES_FOR_SPREAD):
 *   robust spread (1.4826 x MAD) of their estimates, less their typical own error. The
 *   rule's floor is for runs too small to read theirs (docs/ci.md has the A/A figures).
 * A change that slows most cases alike still stands out: each case is judged against the
 * bar, not against the run's median, and the spread is read around that median, robustly.
 */
import { mean, median, studentTQuantile, variance } from '../bench/statistics.ts';
import type { LatencyRatio } from './evidence.ts';
import type { JudgeRules } from './judge-rules.ts';

/** Chance that an A/A compare reports any latency regression, at most. */
export const FAMILY_ERROR = 0.05;
/** Fewest cases whose estimates say how far apart the sides are in this run. */
export const MIN_CASES_FOR_SPREAD = 8;
/** 1.4826 x MAD estimates a normal standard deviation. */
const MAD_TO_SD = 1.4826;

/** How a run's latency ratios were judged; recorded in the judgement. */
export interface LatencyFamily {
  /** Cases with a paired ratio, judged together. */
  cases: number;
  /** Of each case's interval: 1 - FAMILY_ERROR / cases. */
  confidence: number;
  /** Between-side spread of log ratios used (the larger of the rule and the run's own). */
  sideSpread: number;
  /** The run's own between-side spread; null below MIN_CASES_FOR_SPREAD cases. */
  measuredSpread: number | null;
}

/** Standard error of mean(d). */
const standardError = (d: readonly number[]) => Math.sqrt(variance(d) / d.length);

/** The run's between-side spread from its cases' log ratios (each case's pairs d). */
export function measuredSideSpread(samples: readonly (readonly number[])[]): number | null {
  if (samples.length < MIN_CASES_FOR_SPREAD) return null;
  const estimates = samples.map(mean);
  const centre = median(estimates);
  const spread = MAD_TO_SD * median(estimates.map((e) => Math.abs(e - centre)));
  const ownError = median(samples.map((d) => standardError(d) ** 2));
  return Math.sqrt(Math.max(0, spread ** 2 - ownError));
}

/** The family of `samples` (every case's pairs d_k = ln(head_k / base_k)) under `rules`. */
export function latencyFamily(samples: readonly (readonly number[])[], rules: Pick<JudgeRules, 'latencySideSpread'>): LatencyFamily {
  const measuredSpread = measuredSideSpread(samples);
  return {
    cases: samples.length,
    confidence: 1 - FAMILY_ERROR / Math.max(1, samples.length),
    sideSpread: Math.max(rules.latencySideSpread, measuredSpread ?? 0),
    measuredSpread,
  };
}

/**
 * One case's ratio head / base: exp(mean d), its interval at the family's confidence with
 * sd^2 = se^2 + side^2 and Welch-Satterthwaite's degrees of freedom (se's has pairs - 1,
 * the side spread's is taken as known).
 */
export function familyInterval(d: readonly number[], family: LatencyFamily): LatencyRatio {
  const m = mean(d);
  const own = standardError(d) ** 2;
  const side = family.sideSpread ** 2;
  const df = own > 0 ? Math.min(1e6, (own + side) ** 2 / (own ** 2 / (d.length - 1))) : 1e6;
  const half = studentTQuantile(1 - (1 - family.confidence) / 2, df) * Math.sqrt(own + side);
  return { estimate: Math.exp(m), low: Math.exp(m - half), high: Math.exp(m + half), pairs: d.length, confidence: family.confidence };
}
