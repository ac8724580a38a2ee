/**
 * results.json in the formats CI tools read:
 *  - github-action-benchmark `customSmallerIsBetter` (latencies) and
 *    `customBiggerIsBetter` (speedups); the direction is per file;
 *  - Bencher Metric Format: per benchmark, measures with value/lower_value/upper_value:
 *    latency in nanoseconds, throughput (operations/s), and custom measures (shared
 *    buffers, speedup).
 */
import { caseId, type ResultsFile } from '../results/results-schema.ts';

export interface GabEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

const scaled = (name: string, scale: number) => `${name} (scale ${scale})`;

export function githubActionBenchmarkSmaller(results: ResultsFile): GabEntry[] {
  return results.cases.map((c) => ({
    name: scaled(caseId(c), c.scale),
    unit: 'ms',
    value: Number(c.latency.mean.toFixed(4)),
    range: `± ${c.latency.rme.toFixed(2)}%`,
    extra: `p50 ${c.latency.p50.toFixed(3)} ms, p99 ${c.latency.p99.toFixed(3)} ms, n ${c.latency.n}${c.buffers ? `, buffers ${c.buffers.hit + c.buffers.read}` : ''}`,
  }));
}

export function githubActionBenchmarkBigger(results: ResultsFile): GabEntry[] {
  return results.comparisons.map((c) => ({
    name: scaled(c.name, c.scale),
    unit: 'x',
    value: Number(c.speedup.estimate.toFixed(4)),
    range: `${c.speedup.low.toFixed(3)} - ${c.speedup.high.toFixed(3)}`,
    extra: `${c.baseline} / ${c.candidate}; required ${c.threshold === null ? 'none' : `>= ${c.threshold}x`}; ${c.passed ? 'passed' : 'FAILED'}`,
  }));
}

type Measure = { value: number; lower_value?: number; upper_value?: number };

export function bencherMetricFormat(results: ResultsFile): Record<string, Record<string, Measure>> {
  const bmf: Record<string, Record<string, Measure>> = {};
  for (const c of results.cases) {
    const meanNs = c.latency.mean * 1e6;
    const moeNs = (meanNs * c.latency.rme) / 100;
    const entry: Record<string, Measure> = {
      latency: { value: meanNs, lower_value: Math.max(0, meanNs - moeNs), upper_value: meanNs + moeNs },
      throughput: { value: c.latency.mean > 0 ? 1000 / c.latency.mean : 0 },
    };
    if (c.buffers) entry['shared-buffers'] = { value: c.buffers.hit + c.buffers.read };
    bmf[scaled(caseId(c), c.scale)] = entry;
  }
  for (const c of results.comparisons) {
    bmf[scaled(c.name, c.scale)] = { speedup: { value: c.speedup.estimate, lower_value: c.speedup.low, upper_value: c.speedup.high } };
  }
  return bmf;
}
