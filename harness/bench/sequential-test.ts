/**
 * The sequential test behind a comparison's verdict: rounds are added until the speedup's
 * interval is decisive against the bar, or a cap is reached.
 *
 * Procedure: a group-sequential design with Lan-DeMets alpha spending, Pocock-type
 * spending function
 *     alpha(t) = alpha * ln(1 + (e - 1) * t),     t = rounds so far / maxRounds
 * (Lan & DeMets 1983, "Discrete sequential boundaries for clinical trials", Biometrika
 * 70(3):659-663; the Pocock-type function is theirs, see Jennison & Turnbull 2000,
 * "Group Sequential Methods with Applications to Clinical Trials", section 7.2).
 * Looks are taken at a fixed, data-independent schedule of round counts (minRounds, then
 * about x1.5 each time, always ending at maxRounds). Look k spends
 * alpha_k = alpha(t_k) - alpha(t_{k-1}) and reports the two-sided Student-t interval of the
 * mean per-round log ratio d_r at confidence 1 - alpha_k.
 *
 * Critical values come from the Bonferroni inequality rather than from the joint
 * distribution of the looks: P(some look's interval misses the true ratio) <= sum of
 * alpha_k <= alpha. This is conservative (never anti-conservative), exact at every look
 * for an unknown variance (a t quantile, not a normal one), and needs no numerical
 * integration. So, whatever the number of looks:
 *   P(verdict pass | true ratio <= bar) <= alpha / 2,
 *   P(verdict fail | true ratio >= bar) <= alpha / 2.
 * A look forced by the time cap spends what is left of alpha (the total stays <= alpha).
 * specs/bench-statistics.test.ts measures these rates on synthetic rounds.
 */
import { pairedSpeedup, type Interval } from './statistics.ts';

export type Verdict = 'pass' | 'fail' | 'inconclusive';

export interface SequentialDesign {
  /** Rounds before the first look. @default 4 */
  minRounds: number;
  /** Rounds at the last look (the cap). @default 20 */
  maxRounds: number;
  /** Total two-sided error spent over all looks. @default 0.05 */
  alpha?: number;
}

/** One scheduled look: after `rounds` rounds, spend `alpha` (two-sided). */
export interface Look {
  rounds: number;
  alpha: number;
}

/** Lan-DeMets Pocock-type spending function: cumulative alpha spent at information fraction t. */
export function pocockSpending(t: number, alpha: number): number {
  return alpha * Math.log(1 + (Math.E - 1) * Math.min(1, Math.max(0, t)));
}

/** The looks: minRounds, then x1.5 (at least +1), ending exactly at maxRounds. */
export function lookSchedule(design: SequentialDesign): Look[] {
  const alpha = design.alpha ?? 0.05;
  const { minRounds, maxRounds } = design;
  if (!(Number.isInteger(minRounds) && minRounds >= 2 && Number.isInteger(maxRounds) && maxRounds >= minRounds)) {
    throw new RangeError(`sequential design needs integers 2 <= minRounds <= maxRounds (got ${minRounds}, ${maxRounds})`);
  }
  const rounds: number[] = [];
  for (let r = minRounds; r < maxRounds; r = Math.max(r + 1, Math.round(r * 1.5))) rounds.push(r);
  rounds.push(maxRounds);
  let spent = 0;
  return rounds.map((r) => {
    const cumulative = pocockSpending(r / maxRounds, alpha);
    const look = { rounds: r, alpha: cumulative - spent };
    spent = cumulative;
    return look;
  });
}

/** pass: the interval's lower bound clears the bar; fail: its upper bound is below it. */
export function decide(interval: Interval, bar: number): Verdict | undefined {
  if (interval.low >= bar) return 'pass';
  if (interval.high < bar) return 'fail';
  return undefined;
}

export interface SequentialOutcome {
  verdict: Verdict;
  /** The interval of the deciding (or last) look, at confidence 1 - alpha of that look. */
  interval: Interval;
  /** Confidence of that interval (two-sided). */
  confidence: number;
  rounds: number;
  looks: number;
  /** Why measuring stopped: decisive, round cap or time cap. */
  stoppedBy: 'decisive' | 'rounds' | 'time';
}

/**
 * Runs the sequential test: `addRound()` measures one more paired round (both cases) and
 * returns the per-round samples so far; `elapsedMs()` tells the time cap. Pure apart from
 * those two callbacks, so the spec drives it with synthetic rounds.
 */
export async function sequentialTest(
  design: SequentialDesign & { maxMs?: number; bar: number },
  addRound: () => Promise<{ baseline: number[][]; candidate: number[][] }> | { baseline: number[][]; candidate: number[][] },
  elapsedMs: () => number = () => 0,
): Promise<SequentialOutcome> {
  const looks = lookSchedule(design);
  const alpha = design.alpha ?? 0.05;
  let spent = 0;
  let taken = 0;
  for (let r = 1; ; r++) {
    const { baseline, candidate } = await addRound();
    const look = looks.find((l) => l.rounds === r);
    const outOfTime = design.maxMs !== undefined && r >= 2 && elapsedMs() >= design.maxMs;
    if (!look && !outOfTime) continue;
    // A look forced by the time cap spends everything left; a scheduled one its share.
    const a = outOfTime ? alpha - spent : look!.alpha;
    spent += a;
    taken++;
    const confidence = 1 - a;
    const interval = pairedSpeedup(baseline, candidate, confidence);
    const verdict = decide(interval, design.bar);
    const last = outOfTime || r >= design.maxRounds;
    if (verdict || last) {
      return { verdict: verdict ?? 'inconclusive', interval, confidence, rounds: r, looks: taken, stoppedBy: verdict ? 'decisive' : outOfTime ? 'time' : 'rounds' };
    }
  }
}
