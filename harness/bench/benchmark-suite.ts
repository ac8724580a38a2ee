/**
 * The only boilerplate of a benchmark file. `benchmarkSuite(workload, define)` gives
 * the file a private copy of the workload's cached dataset on the run's server, runs
 * each declared comparison as a vitest test, and writes the file's results.
 *
 *   benchmarkSuite('receipts', ({ compare }) => {
 *     compare({ baseline: seqScan, candidate: indexed, atLeast: 5 });
 *   });
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { CaseSkipped } from './case-skipped.ts';
import { copyDataset, datasetDetails, ensureDataset, type DatasetCopy } from '../fixtures/dataset-cache.ts';
import { suiteServer } from './suite-server.ts';
import { checkWorkloadName, loadWorkload } from '../workloads/load-workload.ts';
import type { Workload } from '../workloads/workload.ts';
import type { BenchmarkCase } from './benchmark-case.ts';
import type { SuiteEnvironment } from './case-session.ts';
import type { MeasureOptions } from './measure-options.ts';
import type { PlanExpectation } from './plan-expectation.ts';
import { ResultsCollector } from './results-collector.ts';
import { comparisonName, runComparison, runSingle, siteOf, type ComparisonSpec } from './run-comparison.ts';
import type { MetricResult } from '../results/results-schema.ts';
import { runScaling, type ScalingSpec } from './run-scaling.ts';
import type { LoadSpec } from '../load/load-spec.ts';
import { runLoadComparison } from './run-load-comparison.ts';
import { isLoopbackUri } from '../load/loopback.ts';
import { roundScheduler } from './round-scheduler.ts';
import { defaultSnapshotPath, planAtProduction, snapshotIdentity } from '../stats/plan-at-production.ts';
import { currentRun } from '../run-descriptor.ts';
import { projectRoot } from '../project-root.ts';
import { relative } from 'node:path';

export interface SuiteApi {
  /** Declare a comparison: one vitest test that measures both cases and asserts. */
  compare(spec: ComparisonSpec): void;
  /** Declare a single measured case (reported, plan optionally asserted). */
  measure(benchmark: BenchmarkCase, options?: { plan?: PlanExpectation; measure?: MeasureOptions }): void;
  /**
   * A test that inspects the database instead of timing a loop (sizes, locks, one-shot
   * DDL): it gets the suite's environment and records figures with `record`.
   */
  inspect(name: string, fn: (env: SuiteEnvironment, record: (metric: MetricInput) => void) => Promise<void>): void;
  /** Measure a case at several scales and assert how its shared buffers grow (0 constant, 1 linear). */
  scaling(spec: ScalingSpec): void;
  /**
   * A load benchmark: N clients run each variant's transaction mix in short interleaved
   * intervals; ratios between variants (throughput, tail latency, lock waits) are asserted
   * (docs/load-benchmarks.md).
   */
  load(spec: LoadSpec): void;
  /** The scale this run uses (--scale), for thresholds that depend on it. */
  scale: number;
  /** The server profile of this run ('benchmark' or 'durable'; --profile), for thresholds that hold under one only. */
  profile: 'benchmark' | 'durable';
}

/** A metric as a test records it; workload and scale are filled in. */
export type MetricInput = Omit<MetricResult, 'workload' | 'scale'>;

export function benchmarkSuite(workloadName: string, define: (api: SuiteApi) => void): void {
  checkWorkloadName(workloadName, 'benchmarkSuite: workload');
  let workload: Workload | undefined;
  const server = suiteServer();
  const file = expect.getState().testPath ?? workloadName;
  const collector = new ResultsCollector(file, workloadName);
  // This file's turns with the other side under `schemabench compare` (alone otherwise):
  // handed to everything the file measures, never reached through a global.
  const scheduler = roundScheduler(currentRun().turns);
  const label = relative(projectRoot(), file);
  let copy: DatasetCopy | undefined;
  let env: SuiteEnvironment | undefined;
  const ready = () => {
    if (!env) throw new Error('the suite database is not ready (its beforeAll failed; see above)');
    return env;
  };

  /**
   * A test whose case the server cannot run (CaseSkipped: a version, privilege or
   * extension it lacks) is skipped with the reason printed and recorded, not failed.
   */
  const test = (name: string, body: () => Promise<unknown>) =>
    it(name, async (context: TestContext) => {
      try {
        await body();
      } catch (error) {
        if (!(error instanceof CaseSkipped)) throw error;
        console.log(`schemabench: ${name}: skipped: ${error.reason}`);
        collector.addSkipped({ name, workload: workloadName, scale: server.scale, reason: error.reason });
        context.skip(error.reason);
      }
    });

  describe(`${workloadName} [scale=${server.scale}]`, () => {
    beforeAll(async () => {
      // Under `schemabench compare`, the other side waits while this file works (round-scheduler.ts).
      await scheduler.hold(label);
      workload = await loadWorkload(workloadName);
      const dataset = await ensureDataset(server, { workload, scale: server.scale, seed: server.seed });
      collector.datasetKey = dataset.key;
      collector.dataset = datasetDetails({ workload, scale: server.scale, seed: server.seed }, dataset);
      // --plan-at production: every copy plans with production's statistics, injected after it
      // is made (ALTER DATABASE settings are not copied by CREATE DATABASE ... TEMPLATE).
      const run = currentRun();
      const production = run.planAt === 'production';
      const snapshot = run.snapshots?.[workloadName] ?? defaultSnapshotPath(workloadName);
      if (production) collector.dataset = { ...collector.dataset, plannedWith: snapshotIdentity(workloadName, snapshot) };
      const copyOf = async () => {
        const made = await copyDataset(server, dataset, workloadName);
        if (production) await planAtProduction(made.uri, workloadName, { snapshot });
        return made;
      };
      copy = await copyOf();
      env = { uri: copy.uri, scale: server.scale, seed: server.seed, freshCopy: copyOf, scheduler, file: label };
    });
    afterAll(async () => {
      try {
        collector.write(scheduler.windows);
        await copy?.drop();
      } finally {
        scheduler.release();
      }
    });
    define({
      scale: server.scale,
      profile: server.profile ?? 'benchmark',
      compare(spec) {
        test(`${comparisonName(spec)} [scale=${server.scale}]`, () => runComparison(spec, ready(), collector));
      },
      inspect(name, fn) {
        // An inspect is a measurement too (sizes, locks, one-shot DDL): it holds the turn.
        test(`${name} [scale=${server.scale}]`, () => scheduler.measure(`${label}::${name}`, () => fn(ready(), (metric) => collector.addMetric({ ...metric, workload: workloadName, scale: server.scale }))));
      },
      scaling(spec) {
        const name = `${spec.case.name}[${spec.case.variant}] grows with scale (${spec.scales.join(', ')})`;
        test(name, async () => {
          await runScaling(spec, server, workload!, collector, siteOf(ready(), name));
        });
      },
      load(spec) {
        // A `url` server elsewhere (a managed database) is not put under load: skipped, with the reason in the name.
        const remote = !isLoopbackUri(server.connectionUri);
        it.skipIf(remote)(`${spec.name} [scale=${server.scale}]${remote ? ' (skipped: the load driver loads loopback servers only)' : ''}`, async () => {
          await runLoadComparison(spec, ready(), collector, workloadName);
        });
      },
      measure(benchmark, options = {}) {
        test(`${benchmark.name}[${benchmark.variant}] [scale=${server.scale}]`, () => runSingle(benchmark, ready(), collector, options.plan, options.measure));
      },
    });
  });
}
