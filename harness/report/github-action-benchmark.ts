/**
 * results.json as github-action-benchmark's `customSmallerIsBetter` (latencies) and
 * `customBiggerIsBetter` (speedups, throughputs, load ratios) files: the direction is per
 * file, so there are two, and each must be uploaded under its own `name:` (the action keeps
 * one series per name). The action reads `{ name, unit, value, range?, extra? }` (a zod
 * schema in its src/extract.ts) and matches history by `name`, so names are unique and
 * stable (series-name.ts). `range` is shown next to the value as is: it is an absolute ±
 * in the value's unit, as the action's own cargo and pytest extractors write it.
 */
import { caseId, type Interval, type ResultsFile } from '../results/results-schema.ts';
import { loadRatioId, loadVariantSeries } from './load-series.ts';
import { seriesNamer } from './series-name.ts';

export interface GabEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

const round = (v: number) => Number(v.toPrecision(6));
/** An interval need not be symmetric: the wider side. */
const plusMinus = (i: Interval) => `± ${round(Math.max(i.estimate - i.low, i.high - i.estimate))}`;

export function githubActionBenchmarkSmaller(results: ResultsFile): GabEntry[] {
  const named = seriesNamer(results);
  const cases = results.cases.map((c) => ({
    name: named(caseId(c), c),
    unit: 'ms',
    value: round(c.latency.mean),
    // rme is the 95% margin of error of the mean in percent: as milliseconds.
    range: `± ${round((c.latency.mean * c.latency.rme) / 100)}`,
    extra: `p50 ${c.latency.p50.toFixed(3)} ms, p99 ${c.latency.p99.toFixed(3)} ms, n ${c.latency.n}, 95% margin ±${c.latency.rme.toFixed(2)}%${c.buffers ? `, shared buffers ${c.buffers.hit + c.buffers.read}` : ''}`,
  }));
  const loads = (results.loads ?? []).flatMap((load) =>
    loadVariantSeries(load).map((v) => ({ name: named(`${v.id} p99`, load), unit: 'ms', value: round(v.p99), extra: v.detail })),
  );
  return [...cases, ...loads];
}

export function githubActionBenchmarkBigger(results: ResultsFile): GabEntry[] {
  const named = seriesNamer(results);
  const speedups = results.comparisons.map((c) => ({
    name: named(c.name, c),
    unit: 'x',
    value: round(c.speedup.estimate),
    range: plusMinus(c.speedup),
    extra: `95% CI ${c.speedup.low.toFixed(3)}x - ${c.speedup.high.toFixed(3)}x; ${c.baseline} / ${c.candidate}; required ${c.threshold === null ? 'none' : `>= ${c.threshold}x`}; ${c.passed ? 'passed' : 'FAILED'}`,
  }));
  const loads = (results.loads ?? []).flatMap((load) => [
    ...loadVariantSeries(load).map((v) => ({
      name: named(`${v.id} throughput`, load),
      unit: 'tx/s',
      value: round(v.throughput.estimate),
      range: plusMinus(v.throughput),
      extra: `95% CI over ${load.intervals} intervals of ${load.intervalMs} ms: ${v.throughput.low.toFixed(1)} - ${v.throughput.high.toFixed(1)} tx/s`,
    })),
    ...load.ratios.map((r) => ({
      name: named(loadRatioId(load, r), load),
      unit: 'x',
      value: round(r.ratio.estimate),
      range: plusMinus(r.ratio),
      extra: `${Math.round((r.confidence ?? 0.95) * 100)}% CI ${r.ratio.low.toFixed(3)}x - ${r.ratio.high.toFixed(3)}x; required ${r.threshold === null ? 'none' : `>= ${r.threshold}x`}; ${r.passed ? 'passed' : 'FAILED'}`,
    })),
  ]);
  return [...speedups, ...loads];
}
