/**
 * Head / base latency of one case from rounds measured in alternation: base's round k
 * and head's round k ran back to back (side-turns.ts), so a busy moment of the machine
 * slows both and cancels in their ratio. With d_k = ln(head_k / base_k), the estimate is
 * exp(mean d) with a Student t interval over the pairs (the same paired design as a
 * comparison's speedup, statistics.ts).
 */
import { logRatioInterval } from '../bench/statistics.ts';
import type { CaseResult } from '../results/results-schema.ts';
import type { LatencyRatio } from './compare-report.ts';

/** Fewest pairs for an interval: with 2, t(0.975, 1) = 12.7 makes it useless. */
export const MIN_PAIRS = 4;

export function latencyRatio(base: CaseResult, head: CaseResult, confidence = 0.95): LatencyRatio | null {
  const b = base.rounds?.medians ?? [];
  const h = head.rounds?.medians ?? [];
  const n = Math.min(b.length, h.length);
  if (n < MIN_PAIRS) return null;
  const d = Array.from({ length: n }, (_, k) => Math.log(Math.max(h[k]!, 1e-6) / Math.max(b[k]!, 1e-6)));
  return { ...logRatioInterval(d, confidence), pairs: n, confidence };
}
