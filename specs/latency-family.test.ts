/**
 * The family rule of compare's latency ratios (harness/judge/latency-family.ts) on
 * synthetic runs with known answers (no database; a seeded PRNG makes every trial
 * reproducible). A run is 80 cases of 6 paired rounds, as a compare of receipts and store
 * at scale 0.3: each pair's log ratio has the machine's noise, and each case a
 * between-side offset of its own that every pair of the case shares (the copy, the
 * process), which the rounds cannot cancel.
 */
import { describe, expect, it } from 'vitest';
import { FAMILY_ERROR, familyInterval, latencyFamily, measuredSideSpread } from '../harness/judge/latency-family.ts';
import { DEFAULT_RULES } from '../harness/judge/judge-rules.ts';
import { logRatioInterval } from '../harness/bench/statistics.ts';
import { RowRandom } from '../harness/fixtures/row-random.ts';

const random = new RowRandom().at(7, 0, 0);
/** Standard normal via Box-Muller. */
const normal = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());

const CASES = 80;
const PAIRS = 6;
/** Between-side spread of the synthetic runs: the rule's default, about the highest quiet A/A runs measured (0 to 0.056). */
const SIDE = 0.05;
/** A case's pairs: ln ratio `shift` plus its side offset (sd `side`) plus round noise (sd `noise`). */
const caseSamples = (shift: number, side: number, noise: number) => {
  const offset = side * normal();
  return Array.from({ length: PAIRS }, () => shift + offset + noise * normal());
};
/** How much a case's rounds disagree: 0.05 to 0.4 (sd of ln ratio), log-uniform, as A/A runs' cases (median se 0.08 over 6 pairs). */
const roundNoise = () => 0.05 * 8 ** random.next();
/** One synthetic compare: `CASES` unchanged cases; the first shifted by `shift`, its rounds agreeing within `noise`. */
const run = (side: number, shift = 0, noise = roundNoise()) => Array.from({ length: CASES }, (_, i) => caseSamples(i === 0 ? shift : 0, side, i === 0 ? noise : roundNoise()));
const regressed = (d: number[], family: ReturnType<typeof latencyFamily>) => familyInterval(d, family).low > DEFAULT_RULES.latencyThreshold;

describe('latency ratios judged as a family', () => {
  it('each case at 1 - 5% / cases; the side spread is the rule floor or the run\'s own, the larger', () => {
    const quiet = latencyFamily(run(0), DEFAULT_RULES);
    expect(quiet.confidence).toBeCloseTo(1 - FAMILY_ERROR / CASES, 12);
    expect(quiet.sideSpread).toBe(DEFAULT_RULES.latencySideSpread);
    const apart = latencyFamily(run(0.3), DEFAULT_RULES);
    expect(apart.sideSpread).toBe(apart.measuredSpread);
    expect(apart.sideSpread).toBeGreaterThan(DEFAULT_RULES.latencySideSpread);
    // Too few cases to tell the run's spread: the floor alone.
    expect(latencyFamily(run(0.25).slice(0, 5), DEFAULT_RULES)).toMatchObject({ cases: 5, measuredSpread: null, sideSpread: DEFAULT_RULES.latencySideSpread });
  });

  it("reads the run's own between-side spread from its cases within 30%", () => {
    for (const side of [0.2, 0.3, 0.5]) {
      const spreads = Array.from({ length: 20 }, () => measuredSideSpread(run(side))!);
      const mean = spreads.reduce((a, b) => a + b, 0) / spreads.length;
      expect(Math.abs(mean / side - 1), `side ${side}: measured ${mean.toFixed(3)}`).toBeLessThan(0.3);
    }
  });

  it('A/A: at most 1 run in 20 reports a latency regression; a 95% interval per case reports one in more', () => {
    const trials = 200;
    let family = 0;
    let perCase = 0;
    for (let t = 0; t < trials; t++) {
      const samples = run(SIDE);
      const f = latencyFamily(samples, DEFAULT_RULES);
      if (samples.some((d) => regressed(d, f))) family++;
      if (samples.some((d) => logRatioInterval(d).low > DEFAULT_RULES.latencyThreshold)) perCase++;
    }
    console.info(`A/A, ${trials} synthetic runs of ${CASES} cases: family rule alarmed in ${family}, a 95% interval per case in ${perCase}`);
    expect(family / trials).toBeLessThanOrEqual(0.05);
    expect(perCase / trials).toBeGreaterThan(0.05);
  });

  it('a case made 2x slower among 80 unchanged, its rounds agreeing within 7.5%, is a regression in at least 95% of runs', () => {
    const trials = 200;
    let found = 0;
    for (let t = 0; t < trials; t++) {
      const samples = run(SIDE, Math.log(2), 0.075);
      if (regressed(samples[0]!, latencyFamily(samples, DEFAULT_RULES))) found++;
    }
    expect(found / trials).toBeGreaterThanOrEqual(0.95);
  });
});
