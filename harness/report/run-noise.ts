/**
 * How noisy the machine was during a run: the comparisons' own round-to-round spread,
 * pooled, and the load average when the run started and ended. A shared 2-core runner
 * with a neighbour compiling shows a load near or above the core count and a spread
 * several times a quiet run's; reports print both next to the verdicts so a reader can
 * tell "inconclusive on a noisy machine" from a regression.
 */
import { cpus, loadavg } from 'node:os';
import { pooledSpread } from '../bench/statistics.ts';
import type { ComparisonResult, RunNoise } from '../results/results-schema.ts';

export type LoadAverage = [number, number, number];

export function loadAverage(): LoadAverage {
  const [a = 0, b = 0, c = 0] = loadavg();
  const r = (x: number) => Math.round(x * 100) / 100;
  return [r(a), r(b), r(c)];
}

export function runNoise(comparisons: readonly ComparisonResult[], loadStart: LoadAverage, loadEnd: LoadAverage = loadAverage()): RunNoise {
  const spread = pooledSpread(comparisons.map((c) => ({ sd: c.roundSpread ?? NaN, n: c.rounds })));
  return { roundSpread: spread === null ? null : Math.round(spread * 10_000) / 10_000, loadStart, loadEnd, cores: cpus().length };
}

/** One line for reports: "noise: round-to-round sd 0.041 (ln ratio), load 1.52 -> 2.10 on 2 cores". */
export function noiseLine(noise: RunNoise | undefined): string {
  if (!noise) return 'noise: not recorded';
  const spread = noise.roundSpread === null ? 'no comparisons' : `round-to-round sd ${noise.roundSpread.toFixed(3)} (ln ratio)`;
  return `noise: ${spread}, load ${noise.loadStart[0].toFixed(2)} -> ${noise.loadEnd[0].toFixed(2)} on ${noise.cores} cores`;
}
