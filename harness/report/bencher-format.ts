/**
 * results.json in Bencher Metric Format (BMF), for `bencher run --adapter json`: one key per
 * benchmark (series-name.ts: unique, with the server's major in a `--pg` run of several),
 * measures under it by slug. Built-in measures where they fit, custom ones otherwise
 * (docs/ci.md lists each with its unit and direction, and the `bencher measure create` that
 * gives it them: a slug Bencher does not know is created without units or direction).
 *  - latency (built-in, ns, lower is better): a case's mean, lower/upper = its 95% interval;
 *  - throughput (built-in, operations/s): rows/s for cases that write a known number of
 *    rows per run (`params.rows`): one operation is one row; a load variant's tx/s, bounds
 *    its 95% interval over the measured intervals;
 *  - runs-per-second (custom): other cases; one operation is one run of the case (its
 *    statement or transaction);
 *  - shared-buffers (custom, 8 kB pages, lower is better): a case's hit + read buffers;
 *  - speedup (custom, x, higher is better): a comparison's estimate and 95% interval;
 *  - latency-p99 (custom, ms, lower is better): a load variant's p99 (merged histogram);
 *  - load-ratio (custom, x, higher is better): a load ratio's estimate and interval;
 *  - file-size (Bencher's measure for sizes, bytes, lower is better): metrics in bytes;
 *  - duration-ms, ratio, flag, rows (custom): the other metrics, by their unit; a unit
 *    not named here becomes `metric-<unit>`.
 */
import { caseId, type Interval, type ResultsFile } from '../results/results-schema.ts';
import { loadRatioId, loadVariantSeries } from './load-series.ts';
import { seriesNamer } from './series-name.ts';

export type BencherMetric = { value: number; lower_value?: number; upper_value?: number };
export type BencherMetricFormat = Record<string, Record<string, BencherMetric>>;

export const METRIC_MEASURE: Record<string, string> = { bytes: 'file-size', ms: 'duration-ms', ratio: 'ratio', bool: 'flag', rows: 'rows' };

/** The measure of a metric's unit: a named one, else `metric-<unit>` (statements -> metric-statements). */
export const metricMeasure = (unit: string) => METRIC_MEASURE[unit] ?? `metric-${unit.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

const bounded = (i: Interval): BencherMetric => ({ value: i.estimate, lower_value: i.low, upper_value: i.high });

export function bencherMetricFormat(results: ResultsFile): BencherMetricFormat {
  const named = seriesNamer(results);
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
    bmf[named(caseId(c), c)] = entry;
  }
  for (const c of results.comparisons) bmf[named(c.name, c)] = { speedup: bounded(c.speedup) };
  for (const m of results.metrics) bmf[named(m.name, m)] = { [metricMeasure(m.unit)]: { value: m.value } };
  for (const load of results.loads ?? []) {
    for (const v of loadVariantSeries(load)) bmf[named(v.id, load)] = { throughput: bounded(v.throughput), 'latency-p99': { value: v.p99 } };
    for (const r of load.ratios) bmf[named(loadRatioId(load, r), load)] = { 'load-ratio': bounded(r.ratio) };
  }
  return bmf;
}
