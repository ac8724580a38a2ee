/**
 * Head / base latency of one case from rounds measured in alternation: base's round k
 * and head's round k ran back to back (round-scheduler.ts), so a busy moment of the machine
 * slows both and cancels in their ratio. With d_k = ln(head_k / base_k), the estimate is
 * exp(mean d) (the same paired design as a comparison's speedup, statistics.ts); its
 * interval is judged with the run's other cases (latency-family.ts).
 */
import type { CaseResult } from '../results/results-schema.ts';

/** Fewest pairs for an interval: with 2, t(0.975, 1) = 12.7 makes it useless. */
export const MIN_PAIRS = 4;

/**
 * Most turns between base's round k and head's round k for the two to count as a pair:
 * the coordinator hands turns out A, B, B, A, ..., so a pair measured back to back is 1
 * apart; a file's setup or a load takes a turn of its own in between. Rounds further
 * apart (a side that measured other cases in between: a comparison added before this
 * one) did not share a moment of the machine.
 */
export const MAX_TURN_GAP = 3;

/**
 * d_k = ln(head_k / base_k) over base's and head's rounds k that were taken within
 * MAX_TURN_GAP turns of each other (rounds without turn numbers: not paired); null below
 * MIN_PAIRS pairs, and null when the sides ran a different number of iterations per round
 * (their rounds did not do the same work; judgeIterations says so). The interval is the
 * family's (latency-family.ts).
 */
export function pairedLogRatios(base: CaseResult, head: CaseResult): number[] | null {
  const [b, h] = [base.rounds, head.rounds];
  if (!b?.turns || !h?.turns) return null;
  if (b.iterations !== undefined && h.iterations !== undefined && b.iterations !== h.iterations) return null;
  const n = Math.min(b.medians.length, h.medians.length, b.turns.length, h.turns.length);
  const d: number[] = [];
  for (let k = 0; k < n; k++) {
    if (Math.abs(b.turns[k]! - h.turns[k]!) > MAX_TURN_GAP) continue;
    d.push(Math.log(Math.max(h.medians[k]!, 1e-6) / Math.max(b.medians[k]!, 1e-6)));
  }
  return d.length < MIN_PAIRS ? null : d;
}
