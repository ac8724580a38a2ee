/**
 * A load benchmark's figures as CI series (github-action-benchmark, Bencher): per variant
 * its throughput (all transactions, tx/s) with the 95% interval over its measured intervals,
 * and its p99 latency (ms, from the merged histogram: one figure, no interval); per ratio
 * its estimate and interval. Every asserted ratio is written so that bigger is better
 * (load-spec.ts: `atLeast`), so ratios join the speedups.
 */
import { mean, studentTQuantile, variance } from '../bench/statistics.ts';
import type { Interval, LoadRatioResult, LoadResult, LoadVariantResult } from '../results/results-schema.ts';

export interface LoadVariantSeries {
  /** `receipts/load/hot-row[sharded-4]` */
  id: string;
  throughput: Interval;
  /** p99 of every transaction, ms. */
  p99: number;
  /** p50, p95, p99.9 and n, for the reader. */
  detail: string;
}

/** Mean of the intervals' throughputs with its Student t 95% interval (one interval: no width). */
function throughputInterval(variant: LoadVariantResult): Interval {
  const xs = variant.intervalThroughput;
  const m = mean(xs);
  const half = xs.length > 1 ? studentTQuantile(0.975, xs.length - 1) * Math.sqrt(variance(xs) / xs.length) : 0;
  return { estimate: m, low: Math.max(0, m - half), high: m + half };
}

export function loadVariantSeries(load: LoadResult): LoadVariantSeries[] {
  return load.variants.flatMap((v) => {
    const all = v.transactions.find((t) => t.name === 'all');
    if (!all || !v.intervalThroughput.length) return [];
    const l = all.latency;
    return [{ id: `${load.name}[${v.variant}]`, throughput: throughputInterval(v), p99: l.p99, detail: `p50 ${l.p50} ms, p95 ${l.p95} ms, p99.9 ${l.p999} ms, n ${l.n}, ${v.clients} clients` }];
  });
}

/** `receipts/load/hot-row: throughput sharded-4 / hot-row (record)` */
export function loadRatioId(load: LoadResult, r: LoadRatioResult): string {
  return `${load.name}: ${r.metric} ${r.numerator} / ${r.denominator} (${r.transaction})`;
}
