/**
 * A case measured at several scales in one test, each on a private copy of that
 * scale's dataset, and its growth exponents fitted: of shared buffers (deterministic:
 * the one asserted) and of median latency (reported). 0 is constant, 1 linear.
 */
import { copyDataset, ensureDataset } from '../fixtures/dataset-cache.ts';
import type { ServerRef } from '../postgres/pg-server.ts';
import { growthExponent } from './scale-fit.ts';
import type { Workload } from '../workloads/workload.ts';
import { caseId, type BenchmarkCase } from './benchmark-case.ts';
import type { MeasureOptions } from './measure-options.ts';
import type { ResultsCollector } from './results-collector.ts';
import { caseResult, measureSessions, withSessions, type MeasureSite } from './run-comparison.ts';

export interface ScalingSpec {
  case: BenchmarkCase;
  /** At least two distinct scales, e.g. [0.1, 0.3, 1]. */
  scales: number[];
  /** Bounds on the growth exponent of the plan's shared buffers. */
  buffersExponent?: { min?: number; max?: number };
  measure?: MeasureOptions;
}

export interface ScalingResult {
  buffersExponent: number;
  latencyExponent: number;
}

export async function runScaling(spec: ScalingSpec, server: ServerRef & { seed: number }, workload: Workload, collector: ResultsCollector, site: MeasureSite): Promise<ScalingResult> {
  const points: { scale: number; buffers: number; p50: number }[] = [];
  for (const scale of spec.scales) {
    const dataset = await ensureDataset(server, { workload, scale, seed: server.seed });
    await using copy = await copyDataset(server, dataset, 'scaling');
    const env = { uri: copy.uri, scale, seed: server.seed };
    await withSessions([spec.case], env, async ([session]) => {
      await measureSessions([session!], { ...site, label: `${site.label}::scale ${scale}` }, spec.measure ?? { rounds: 3, roundMs: 50 });
      const result = caseResult(session!, scale, collector.workload);
      collector.addCase(result);
      if (!result.buffers) throw new Error(`${caseId(spec.case)}: scaling needs a statement to explain`);
      points.push({ scale, buffers: result.buffers.hit + result.buffers.read, p50: result.latency.p50 });
    });
  }
  const buffersExponent = growthExponent(points.map((p) => ({ scale: p.scale, value: p.buffers })));
  const latencyExponent = growthExponent(points.map((p) => ({ scale: p.scale, value: p.p50 })));
  collector.addMetric({
    name: `${caseId(spec.case)}/growth-exponent`,
    workload: spec.case.workload ?? collector.workload,
    value: buffersExponent,
    unit: 'ratio',
    scale: Math.max(...spec.scales),
    params: { latencyExponent: Number(latencyExponent.toFixed(3)), scales: spec.scales.join(','), buffers: points.map((p) => p.buffers).join(',') },
  });
  const { min = -Infinity, max = Infinity } = spec.buffersExponent ?? {};
  if (!(buffersExponent >= min && buffersExponent <= max)) {
    throw new Error(
      `${caseId(spec.case)}: shared buffers grow with exponent ${buffersExponent.toFixed(2)} over scales ${spec.scales.join(', ')} ` +
        `(buffers ${points.map((p) => p.buffers).join(', ')}); expected between ${min} and ${max}`,
    );
  }
  return { buffersExponent, latencyExponent };
}
