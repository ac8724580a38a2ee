/**
 * results.json as github-action-benchmark's `customSmallerIsBetter` (latencies) and
 * `customBiggerIsBetter` (speedups) files: the direction is per file, so there are two,
 * and each must be uploaded under its own `name:` (the action keeps one series per name).
 * The action reads `{ name, unit, value, range?, extra? }` (src/extract.ts) and matches
 * history by `name`, so names are unique (results/unique-names.ts) and carry the scale.
 * `range` is shown next to the value as is: it is an absolute ± in the value's unit, as the
 * action's own cargo and pytest extractors write it.
 */
import { caseId, type ResultsFile } from '../results/results-schema.ts';

export interface GabEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

export const scaledName = (name: string, scale: number) => `${name} (scale ${scale})`;
const round = (v: number) => Number(v.toPrecision(6));

export function githubActionBenchmarkSmaller(results: ResultsFile): GabEntry[] {
  return results.cases.map((c) => ({
    name: scaledName(caseId(c), c.scale),
    unit: 'ms',
    value: round(c.latency.mean),
    // rme is the 95% margin of error of the mean in percent: as milliseconds.
    range: `± ${round((c.latency.mean * c.latency.rme) / 100)}`,
    extra: `p50 ${c.latency.p50.toFixed(3)} ms, p99 ${c.latency.p99.toFixed(3)} ms, n ${c.latency.n}, 95% margin ±${c.latency.rme.toFixed(2)}%${c.buffers ? `, shared buffers ${c.buffers.hit + c.buffers.read}` : ''}`,
  }));
}

export function githubActionBenchmarkBigger(results: ResultsFile): GabEntry[] {
  return results.comparisons.map((c) => {
    const s = c.speedup;
    return {
      name: scaledName(c.name, c.scale),
      unit: 'x',
      value: round(s.estimate),
      // The 95% interval need not be symmetric: the wider side, in x.
      range: `± ${round(Math.max(s.estimate - s.low, s.high - s.estimate))}`,
      extra: `95% CI ${s.low.toFixed(3)}x - ${s.high.toFixed(3)}x; ${c.baseline} / ${c.candidate}; required ${c.threshold === null ? 'none' : `>= ${c.threshold}x`}; ${c.passed ? 'passed' : 'FAILED'}`,
    };
  });
}
