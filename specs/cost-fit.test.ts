/**
 * The migration forecast's fit (harness/bench/cost-fit.ts) on known inputs: exact lines
 * recovered, the bounds (no negative fixed part, no negative growth), growth dropped when
 * it is not significant, intervals computed by hand, and the 95% interval's coverage on
 * simulated runs with relative noise (a seeded generator: the same draws every time).
 */
import { describe, expect, it } from 'vitest';
import { fitCost, predictCost, type CostPoint } from '../harness/bench/cost-fit.ts';

const SIZES = [10_000, 10_000, 30_000, 30_000, 100_000, 100_000];
const line = (fixed: number, perRow: number): CostPoint[] => SIZES.map((rows) => ({ rows, value: fixed + perRow * rows }));

/** mulberry32: a small seeded generator, enough for a simulation a test repeats exactly. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller). */
const normal = (u: () => number) => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());

describe('fitCost and predictCost', () => {
  it('recovers an exact line: fixed part, per-row cost, no spread, a prediction with no width', () => {
    const fit = fitCost(line(20, 0.006));
    expect(fit.fixed).toBeCloseTo(20, 6);
    expect(fit.perRow).toBeCloseTo(0.006, 9);
    expect(fit.parameters).toBe(2);
    expect(fit.df).toBe(4);
    expect(fit.spread).toBeLessThan(1e-9);
    const p = predictCost(fit, 1_000_000);
    expect(p.estimate).toBeCloseTo(6020, 3);
    expect(p.low).toBe(p.high);
  });

  it('noise around a constant, sloping down: no growth (the bound), the mean predicted at any size with a t interval (computed by hand)', () => {
    const values = [12, 8, 14, 6, 9, 7];
    const fit = fitCost(SIZES.map((rows, i) => ({ rows, value: values[i]! })));
    expect([fit.parameters, fit.perRow, fit.df]).toEqual([1, 0, 5]);
    const mean = 56 / 6;
    expect(fit.fixed).toBeCloseTo(mean, 9);
    const spread = Math.sqrt(values.reduce((s, v) => s + ((v - mean) / mean) ** 2, 0) / 5);
    expect(fit.spread).toBeCloseTo(spread, 9);
    // t(0.975, 5) = 2.5706; the mean's own variance is 1/6 of one run's.
    const half = 2.5706 * spread * Math.sqrt(1 / 6 + 1);
    const p = predictCost(fit, 10_000_000);
    expect(p.estimate).toBeCloseTo(mean, 9);
    expect(p.low).toBeCloseTo(mean * Math.exp(-half), 3);
    expect(p.high).toBeCloseTo(mean * Math.exp(half), 3);
  });

  it('two runs at one size: one degree of freedom, t(0.975, 1) = 12.706', () => {
    const fit = fitCost([{ rows: 1000, value: 1 }, { rows: 1000, value: 3 }]);
    expect([fit.fixed, fit.perRow, fit.df]).toEqual([2, 0, 1]);
    expect(fit.spread).toBeCloseTo(Math.SQRT1_2, 12);
    const p = predictCost(fit, 1000);
    const sigma = Math.SQRT1_2 * Math.sqrt(0.5 + 1);
    expect(p.high / (2 * Math.exp(12.7062 * sigma))).toBeCloseTo(1, 3);
    expect(p.low * p.high).toBeCloseTo(4, 6);
  });

  it('a fit that would need a negative fixed part goes through the origin instead', () => {
    const fit = fitCost(SIZES.map((rows) => ({ rows, value: 0.01 * rows - 50 })));
    expect(fit.fixed).toBe(0);
    expect(fit.parameters).toBe(1);
    expect(fit.perRow).toBeGreaterThan(0);
    expect(fit.df).toBe(5);
  });

  it('a cost that shrinks with the rows is not extrapolated downwards: a constant', () => {
    const fit = fitCost(SIZES.map((rows) => ({ rows, value: 100 - rows / 2000 })));
    expect([fit.parameters, fit.perRow]).toEqual([1, 0]);
    expect(predictCost(fit, 1e9).estimate).toBeGreaterThan(0);
  });

  it('nothing measured, nothing predicted: zeros give exactly zero', () => {
    const p = predictCost(fitCost(SIZES.map((rows) => ({ rows, value: 0 }))), 1e7);
    expect([p.estimate, p.low, p.high]).toEqual([0, 0, 0]);
  });

  it('the interval is multiplicative (low x high = estimate²) and widens away from the measured sizes', () => {
    const noisy = line(20, 0.006).map((p, i) => ({ ...p, value: p.value * (i % 2 ? 1.1 : 0.9) }));
    const fit = fitCost(noisy);
    const near = predictCost(fit, 100_000);
    const far = predictCost(fit, 10_000_000);
    for (const p of [near, far]) expect(p.low * p.high).toBeCloseTo(p.estimate ** 2, 0);
    expect(far.high / far.low).toBeGreaterThan(near.high / near.low);
    expect(far.low).toBeLessThan(far.estimate);
    expect(far.high).toBeGreaterThan(far.estimate);
  });

  /** Share of `trials` simulated fits whose 95% interval at 1,000,000 rows holds one more run of `cost` there. */
  function coverage(cost: (rows: number) => number, noise: number, seed: number, trials = 2000): number {
    const u = random(seed);
    let covered = 0;
    for (let i = 0; i < trials; i++) {
      const points = SIZES.map((rows) => ({ rows, value: cost(rows) * Math.exp(noise * normal(u)) }));
      const p = predictCost(fitCost(points), 1_000_000);
      const next = cost(1_000_000) * Math.exp(noise * normal(u));
      if (next >= p.low && next <= p.high) covered++;
    }
    return covered / trials;
  }

  // Binomial sd at 95% over 2000 trials is 0.5%: the bands allow for the model's approximations (weights from fitted values, the bounds).
  it('covers one more run ten times past the largest size in about 95% of simulated fits: a rewrite-like cost with 15% and 30% noise', () => {
    for (const noise of [0.15, 0.3]) {
      const c = coverage((n) => 20 + 0.006 * n, noise, 20240601);
      expect(c).toBeGreaterThan(0.92);
      expect(c).toBeLessThan(0.98);
    }
  });

  it('... and a modest growth under a large fixed part, which a test of the growth would have fitted as a constant', () => {
    const c = coverage((n) => 50 + 0.0005 * n, 0.3, 7);
    expect(c).toBeGreaterThan(0.9);
    expect(c).toBeLessThan(0.98);
  });

  it('... and a cost that does not grow: over-predicted when the noise slopes up, covered at least 85% of the time', () => {
    const c = coverage(() => 10, 0.4, 11);
    expect(c).toBeGreaterThan(0.85);
  });

  it('refuses what it cannot fit, naming it', () => {
    expect(() => fitCost([{ rows: 1, value: 1 }])).toThrow(/at least two points/);
    expect(() => fitCost([{ rows: 1, value: -1 }, { rows: 2, value: 1 }])).toThrow(/>= 0/);
    expect(() => predictCost(fitCost(line(1, 1)), -1)).toThrow(/rows must be/);
    expect(() => predictCost(fitCost(line(1, 1)), 1, 1)).toThrow(/confidence/);
  });
});
