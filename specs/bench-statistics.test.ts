/**
 * The speedup statistics on synthetic samples with known answers (no database): a
 * seeded PRNG makes every trial reproducible. Samples are log-normal with a per-round
 * drift shared by both cases, like a shared, noisy 2-core machine.
 */
import { describe, expect, it } from 'vitest';
import { lookSchedule, pocockSpending, sequentialTest, type SequentialOutcome } from '../harness/bench/sequential-test.ts';
import { verdictFailure } from '../harness/bench/run-comparison.ts';
import { pairedSpeedup, pooledSpread, quantile, roundSpread, studentTQuantile, summarize } from '../harness/bench/statistics.ts';
import { RowRandom } from '../harness/fixtures/row-random.ts';

const random = new RowRandom().at(42, 0, 0);
/** Standard normal via Box-Muller. */
const normal = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());

/** Adds one round of `perRound` latencies (ms) for a baseline and a candidate `ratio` times faster. */
function addSyntheticRound(into: { baseline: number[][]; candidate: number[][] }, ratio: number, perRound = 15, noise = 0.3) {
  const drift = Math.exp(0.2 * normal());
  const draw = (median: number) => Array.from({ length: perRound }, () => median * drift * Math.exp(noise * normal()));
  into.baseline.push(draw(10));
  into.candidate.push(draw(10 / ratio));
  return into;
}

/** `rounds` rounds of `perRound` latencies (ms) for a baseline and a candidate `ratio` times faster. */
function synthetic(ratio: number, rounds = 10, perRound = 15) {
  const out = { baseline: [] as number[][], candidate: [] as number[][] };
  for (let r = 0; r < rounds; r++) addSyntheticRound(out, ratio, perRound);
  return out;
}

/** Runs the sequential test `trials` times on synthetic rounds of a true `ratio` against `bar`. */
async function sequentialTrials(ratio: number, bar: number, trials: number, noise = 0.3) {
  const outcomes: SequentialOutcome[] = [];
  for (let t = 0; t < trials; t++) {
    const rounds = { baseline: [] as number[][], candidate: [] as number[][] };
    outcomes.push(await sequentialTest({ minRounds: 4, maxRounds: 20, bar }, () => addSyntheticRound(rounds, ratio, 15, noise)));
  }
  const count = (v: string) => outcomes.filter((o) => o.verdict === v).length;
  // The test fails on a fail verdict, or on an inconclusive one whose estimate is below the bar.
  const testFailures = outcomes.filter((o) => o.verdict === 'fail' || (o.verdict === 'inconclusive' && o.interval.estimate < bar)).length;
  const meanRounds = outcomes.reduce((a, o) => a + o.rounds, 0) / trials;
  return { pass: count('pass'), fail: count('fail'), inconclusive: count('inconclusive'), testFailures, meanRounds };
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

describe('sequential test (Pocock-type alpha spending, Bonferroni-combined looks)', () => {
  const TRIALS = 1000;
  // The false-pass rate sits near its bound (1.86% in 20,000 trials here against 2.5%):
  // 4,000 trials put the bound 3 standard errors above the expected rate.
  const MANY = 4000;

  it('looks at 4, 6, 9, 14, 20 rounds and spends exactly alpha over them', () => {
    const looks = lookSchedule({ minRounds: 4, maxRounds: 20 });
    expect(looks.map((l) => l.rounds)).toEqual([4, 6, 9, 14, 20]);
    expect(looks.reduce((a, l) => a + l.alpha, 0)).toBeCloseTo(0.05, 12);
    expect(looks[0]!.alpha).toBeCloseTo(pocockSpending(0.2, 0.05), 12);
    expect(lookSchedule({ minRounds: 4, maxRounds: 4 })).toEqual([{ rounds: 4, alpha: 0.05 }]);
    expect(() => lookSchedule({ minRounds: 1, maxRounds: 4 })).toThrow(/minRounds/);
  });

  it.each([
    ['at the bar', 3, 3],
    ['5% below the bar', 2.85, 3],
    ['at a bar of 10x', 10, 10],
  ])(`false pass: a true ratio %s passes in at most 2.5%% of ${MANY} trials`, async (_, ratio, bar) => {
    const r = await sequentialTrials(ratio, bar, MANY);
    console.log(`true ${ratio}x vs bar ${bar}x: pass ${r.pass}, fail ${r.fail}, inconclusive ${r.inconclusive} of ${MANY}; mean rounds ${r.meanRounds.toFixed(1)}`);
    // alpha/2 = 2.5% is the procedure's bound; Bonferroni makes it conservative.
    expect(r.pass / MANY).toBeLessThanOrEqual(0.025);
  });

  it(`false pass stays bounded on a noisier machine (within-round sd 0.8)`, async () => {
    const r = await sequentialTrials(3, 3, MANY, 0.8);
    console.log(`noisy, true 3x vs bar 3x: pass ${r.pass}, fail ${r.fail}, inconclusive ${r.inconclusive} of ${MANY}; mean rounds ${r.meanRounds.toFixed(1)}`);
    expect(r.pass / MANY).toBeLessThanOrEqual(0.025);
  });

  it(`false fail: a true ratio clearly above the bar fails in at most 2.5% of ${TRIALS} trials, and stops at the first look`, async () => {
    for (const [ratio, bar] of [[6, 3], [300, 3], [1.8, 1.2]] as const) {
      const r = await sequentialTrials(ratio, bar, TRIALS);
      console.log(`true ${ratio}x vs bar ${bar}x: pass ${r.pass}, fail ${r.fail}, inconclusive ${r.inconclusive}, test failures ${r.testFailures} of ${TRIALS}; mean rounds ${r.meanRounds.toFixed(2)}`);
      expect(r.fail).toBe(0);
      expect(r.testFailures / TRIALS).toBeLessThanOrEqual(0.025);
      expect(r.pass / TRIALS).toBeGreaterThanOrEqual(0.99);
      expect(r.meanRounds).toBeLessThanOrEqual(5); // 10 rounds before sequential verdicts
    }
  });

  it('a real regression (true ratio half the bar) fails, in about the first look', async () => {
    const r = await sequentialTrials(1.5, 3, TRIALS);
    console.log(`true 1.5x vs bar 3x: fail ${r.fail}, inconclusive ${r.inconclusive}, pass ${r.pass} of ${TRIALS}; mean rounds ${r.meanRounds.toFixed(2)}`);
    expect(r.fail / TRIALS).toBeGreaterThanOrEqual(0.99);
    expect(r.meanRounds).toBeLessThanOrEqual(5);
  });

  it('a fixed 95% interval peeked at after every round from 4 to 20 would pass a true ratio at the bar far more often', () => {
    let passes = 0;
    for (let t = 0; t < TRIALS; t++) {
      const rounds = { baseline: [] as number[][], candidate: [] as number[][] };
      for (let r = 1; r <= 20; r++) {
        addSyntheticRound(rounds, 3, 15);
        if (r >= 4 && pairedSpeedup(rounds.baseline, rounds.candidate).low >= 3) {
          passes++;
          break;
        }
      }
    }
    console.log(`naive peeking, true 3x vs bar 3x: pass ${passes}/${TRIALS}`);
    expect(passes / TRIALS).toBeGreaterThan(0.05); // why the looks must spend alpha
  });

  it('the time cap forces a last look that spends what is left of alpha', async () => {
    let clock = 0;
    const rounds = { baseline: [] as number[][], candidate: [] as number[][] };
    const o = await sequentialTest({ minRounds: 4, maxRounds: 20, maxMs: 5, bar: 3 }, () => ((clock += 1), addSyntheticRound(rounds, 3)), () => clock);
    expect(o.rounds).toBe(5);
    expect(o.stoppedBy === 'time' || o.stoppedBy === 'decisive').toBe(true);
    expect(o.confidence).toBeCloseTo(1 - (0.05 - pocockSpending(0.2, 0.05)), 12);
  });

  it('an inconclusive verdict fails the test only when the estimate is below the bar', () => {
    const outcome = (estimate: number, verdict: SequentialOutcome['verdict']): SequentialOutcome => ({
      verdict,
      interval: { estimate, low: estimate / 2, high: estimate * 2 },
      confidence: 0.9895,
      rounds: 20,
      looks: 5,
      stoppedBy: verdict === 'inconclusive' ? 'rounds' : 'decisive',
    });
    expect(verdictFailure('c', outcome(3.4, 'inconclusive'), 3, 'd')).toBeUndefined();
    expect(verdictFailure('c', outcome(2.9, 'inconclusive'), 3, 'd')).toMatch(/^c: inconclusive after 20 rounds \(rounds cap\) and the estimate 2\.90x is below the bar 3x, 98\.95% interval \[1\.45, 5\.80\]: a likely regression \(d\)$/);
    expect(verdictFailure('c', outcome(8, 'pass'), 3, 'd')).toBeUndefined();
    expect(verdictFailure('c', outcome(1, 'fail'), 3, 'd')).toMatch(/below the bar 3x/);
  });

  it('measures round-to-round spread and pools it', () => {
    expect(roundSpread([[2], [4]], [[1], [1]])).toBeCloseTo(Math.sqrt(((Math.log(2) - Math.log(4)) ** 2) / 2), 12);
    expect(pooledSpread([{ sd: 0.1, n: 5 }, { sd: 0.2, n: 5 }])).toBeCloseTo(Math.sqrt((4 * 0.01 + 4 * 0.04) / 8), 12);
    expect(pooledSpread([])).toBeNull();
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
