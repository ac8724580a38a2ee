/**
 * The speedup statistics on synthetic samples with known answers (no database): a
 * seeded PRNG makes every trial reproducible. Samples are log-normal with a per-round
 * drift shared by both cases, like a shared, noisy 2-core machine.
 */
import { describe, expect, it } from 'vitest';
import { pairedSpeedup, quantile, studentTQuantile, summarize } from '../harness/bench/statistics.ts';
import { RowRandom } from '../harness/fixtures/row-random.ts';

const random = new RowRandom().at(42, 0, 0);
/** Standard normal via Box-Muller. */
const normal = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());

/** `rounds` rounds of `perRound` latencies (ms) for a baseline and a candidate `ratio` times faster. */
function synthetic(ratio: number, rounds = 10, perRound = 15) {
  const baseline: number[][] = [];
  const candidate: number[][] = [];
  for (let r = 0; r < rounds; r++) {
    const drift = Math.exp(0.2 * normal());
    const draw = (median: number) => Array.from({ length: perRound }, () => median * drift * Math.exp(0.3 * normal()));
    baseline.push(draw(10));
    candidate.push(draw(10 / ratio));
  }
  return { baseline, candidate };
}

describe('Student t quantiles', () => {
  it.each([
    [0.975, 1, 12.7062],
    [0.975, 9, 2.26216],
    [0.975, 30, 2.04227],
    [0.995, 5, 4.03214],
    [0.5, 7, 0],
    [0.025, 9, -2.26216],
  ])('t(%s, df=%s) = %s', (p, df, expected) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(expected, 4);
  });
});

describe('paired speedup interval', () => {
  it('covers 1.0 for an A/A comparison in 92-98% of 200 trials', () => {
    let covered = 0;
    for (let trial = 0; trial < 200; trial++) {
      const { baseline, candidate } = synthetic(1);
      const s = pairedSpeedup(baseline, candidate);
      if (s.low <= 1 && s.high >= 1) covered++;
    }
    console.log(`A/A: the 95% interval contained 1.0 in ${covered}/200 trials`);
    expect(covered).toBeGreaterThanOrEqual(184);
    expect(covered).toBeLessThanOrEqual(196);
  });

  it('detects a true 2x (lower bound > 1) in at least 95% of 200 trials, and its interval covers 2', () => {
    let detected = 0;
    let covers = 0;
    for (let trial = 0; trial < 200; trial++) {
      const { baseline, candidate } = synthetic(2);
      const s = pairedSpeedup(baseline, candidate);
      if (s.low > 1) detected++;
      if (s.low <= 2 && s.high >= 2) covers++;
    }
    console.log(`2x: detected in ${detected}/200 trials; interval contained 2.0 in ${covers}/200`);
    expect(detected).toBeGreaterThanOrEqual(190);
    expect(covers).toBeGreaterThanOrEqual(184);
  });

  it('rejects unpaired or too few rounds', () => {
    expect(() => pairedSpeedup([[1]], [[1]])).toThrow(/>= 2/);
    expect(() => pairedSpeedup([[1], [1]], [[1]])).toThrow(/same number/);
  });
});

describe('latency summary', () => {
  it('reports mean, median, p99, n and the relative margin of error', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    const s = summarize(samples);
    expect(s.mean).toBe(50.5);
    expect(s.p50).toBe(50.5);
    expect(s.p99).toBeCloseTo(quantile(samples, 0.99), 10);
    expect(s.p99).toBeCloseTo(99.01, 10);
    expect(s.n).toBe(100);
    // sd = 29.01, sem = 2.901, t(0.975, 99) = 1.9842 -> moe 5.757 -> rme 11.4%
    expect(s.rme).toBeCloseTo(11.4, 1);
  });
});
