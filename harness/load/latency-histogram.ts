/**
 * Latency distribution of one transaction type: an HDR histogram (hdr-histogram-js,
 * the JavaScript port of Gil Tene's HdrHistogram) recording microseconds with 3
 * significant digits, so every quantile up to p99.9 and the max is within 0.1% of the
 * recorded value, whatever the range (1 µs .. 1 h, auto-resized), in a few kB. Samples
 * are not kept: a 3 s interval at 20k tx/s would otherwise hold 60k numbers per type.
 */
import hdr from 'hdr-histogram-js';
import type { LoadLatency } from '../results/results-schema.ts';

/** Milliseconds; the shape results.json records for a load (one definition, in the results contract). */
export type LatencyQuantiles = LoadLatency;

export class LatencyHistogram {
  private readonly histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, autoResize: true, useWebAssembly: false });

  /** Record one latency, milliseconds (stored as whole microseconds, at least 1). */
  record(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  /** Add every value of `other` to this histogram. */
  add(other: LatencyHistogram): this {
    this.histogram.add(other.histogram);
    return this;
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** Milliseconds at percentile `p` (0..100). */
  percentile(p: number): number {
    return this.count ? Math.min(this.histogram.getValueAtPercentile(p), this.histogram.maxValue) / 1000 : 0;
  }

  summary(): LatencyQuantiles {
    const h = this.histogram;
    if (!h.totalCount) return { mean: 0, p50: 0, p95: 0, p99: 0, p999: 0, max: 0, n: 0 };
    // A quantile is reported as the top of its bucket (within 0.1%): never above the true max.
    const max = h.maxValue / 1000;
    const at = (p: number) => Math.min(h.getValueAtPercentile(p) / 1000, max);
    return { mean: h.mean / 1000, p50: at(50), p95: at(95), p99: at(99), p999: at(99.9), max, n: h.totalCount };
  }
}
