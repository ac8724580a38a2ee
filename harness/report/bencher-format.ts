/**
 * results.json in Bencher Metric Format (BMF), for `bencher run --adapter json`. Built-in
 * measures where they fit, custom ones otherwise (docs/ci.md lists each with its unit and
 * direction, and the `bencher measure create` that gives it them: a slug Bencher does not
 * know is created without units or direction).
 *  - latency (built-in, ns, lower is better): a case's mean, lower/upper = its 95% interval;
 *  - throughput (built-in, operations/s): rows/s for cases that write a known number of
 *    rows per run (`params.rows`): one operation is one row;
 *  - runs-per-second (custom): other cases; one operation is one run of the case (its
 *    statement or transaction);
 *  - shared-buffers (custom, 8 kB pages, lower is better): a case's hit + read buffers;
 *  - speedup (custom, x, higher is better): a comparison's estimate and 95% interval;
 *  - file-size (Bencher's measure for sizes, bytes, lower is better): metrics in bytes;
 *  - duration-ms, ratio, flag (custom): the other metrics, by their unit.
 */
import { caseId, type ResultsFile } from '../results/results-schema.ts';
import { scaledName } from './github-action-benchmark.ts';

export type BencherMetric = { value: number; lower_value?: number; upper_value?: number };
export type BencherMetricFormat = Record<string, Record<string, BencherMetric>>;

const METRIC_MEASURE: Record<string, string> = { bytes: 'file-size', ms: 'duration-ms', ratio: 'ratio', bool: 'flag', rows: 'rows' };

export function bencherMetricFormat(results: ResultsFile): BencherMetricFormat {
  const bmf: BencherMetricFormat = {};
  for (const c of results.cases) {
    const meanNs = c.latency.mean * 1e6;
    const moeNs = (meanNs * c.latency.rme) / 100;
    const entry: Record<string, BencherMetric> = { latency: { value: meanNs, lower_value: Math.max(0, meanNs - moeNs), upper_value: meanNs + moeNs } };
    const perRun = c.latency.mean > 0 ? 1000 / c.latency.mean : 0;
    const rows = c.params.rows;
    if (typeof rows === 'number' && rows > 0) entry.throughput = { value: perRun * rows };
    else entry['runs-per-second'] = { value: perRun };
    if (c.buffers) entry['shared-buffers'] = { value: c.buffers.hit + c.buffers.read };
    bmf[scaledName(caseId(c), c.scale)] = entry;
  }
  for (const c of results.comparisons) {
    bmf[scaledName(c.name, c.scale)] = { speedup: { value: c.speedup.estimate, lower_value: c.speedup.low, upper_value: c.speedup.high } };
  }
  for (const m of results.metrics) {
    bmf[scaledName(m.name, m.scale)] = { [METRIC_MEASURE[m.unit] ?? `metric-${m.unit.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`]: { value: m.value } };
  }
  return bmf;
}
