/**
 * The only boilerplate of a benchmark file. `benchmarkSuite(workload, define)` gives
 * the file a private copy of the workload's cached dataset on the run's server, runs
 * each declared comparison as a vitest test, and writes the file's results.
 *
 *   benchmarkSuite('receipts', ({ compare }) => {
 *     compare({ baseline: seqScan, candidate: indexed, atLeast: calibrated() });
 *   });
 *
 * `benchmarkSuite(workload, { setup }, define)` builds what the file's cases share once
 * per database (see SuiteOptions). A case's workload is the suite's: a case that names
 * another one is an error.
 */
import { relative } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { CaseSkipped } from './case-skipped.ts';
import { copyDataset, datasetDetails, ensureDataset, type DatasetCopy } from '../fixtures/dataset-cache.ts';
import { suiteServer } from './suite-server.ts';
import { checkWorkloadName, loadWorkload } from '../workloads/load-workload.ts';
import type { Workload } from '../workloads/workload.ts';
import { caseId, type BenchmarkCase, type CaseContext } from './benchmark-case.ts';
import type { SuiteEnvironment } from './case-session.ts';
import type { MeasureOptions } from './measure-options.ts';
import type { PlanExpectation } from './plan-expectation.ts';
import { ResultsCollector } from './results-collector.ts';
import { comparisonName, runComparison, runSingle, siteOf, type ComparisonSpec } from './run-comparison.ts';
import type { MetricResult } from '../results/results-schema.ts';
import { runScaling, type ScalingSpec } from './run-scaling.ts';
import { loadRatioName, type LoadSpec } from '../load/load-spec.ts';
import { runLoadComparison } from './run-load-comparison.ts';
import { isLoopbackUri } from '../load/loopback.ts';
import { roundScheduler } from './round-scheduler.ts';
import { defaultSnapshotPath, planAtProduction, snapshotIdentity } from '../stats/plan-at-production.ts';
import { currentRun } from '../run-descriptor.ts';
import { projectPath, projectRoot } from '../project-root.ts';
import { withConnection } from '../postgres/with-connection.ts';
import { CALIBRATION_FILE, readCalibration, type Bar, type CalibrationFile } from '../results/calibration-file.ts';
import { resolveBar, type ResolvedBar } from './calibrated-bar.ts';
import { declareBars } from './suite-bars.ts';

/**
 * An inspect's assertion: records `message` as a failure when `ok` is false and returns
 * `ok`. The failures are thrown together once the body has finished (its metrics are
 * recorded first), like a comparison's.
 */
export type InspectCheck = (ok: boolean, message: string | (() => string)) => boolean;

export interface SuiteApi {
  /** Declare a comparison: one vitest test that measures both cases and asserts. */
  compare(spec: ComparisonSpec): void;
  /** Declare a single measured case (reported, plan optionally asserted). */
  measure(benchmark: BenchmarkCase, options?: { plan?: PlanExpectation; measure?: MeasureOptions }): void;
  /**
   * A test that inspects the database instead of timing a loop (sizes, locks, one-shot
   * DDL): it gets the suite's environment, records figures with `record` and asserts
   * with `check` (docs/writing-a-benchmark.md, "Inspect").
   */
  inspect(name: string, fn: (env: SuiteEnvironment, record: (metric: MetricInput) => void, check: InspectCheck) => Promise<void>): void;
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

export interface SuiteOptions {
  /**
   * Once per database the suite's cases run on, before its first test: the suite's copy of
   * the dataset, and each private copy a case (`ownDatabase`) or a load variant asks for.
   * Build here what several cases share (a CLUSTERed copy, scratch tables). It runs while
   * the file holds its turn (round-scheduler.ts: under compare the other side waits) on a
   * database no other file uses, so it needs no lock of its own.
   */
  setup?: (ctx: CaseContext) => Promise<void>;
}

/** A metric as a test records it; workload and scale are filled in. */
export type MetricInput = Omit<MetricResult, 'workload' | 'scale'>;

type Define = (api: SuiteApi) => void;

export function benchmarkSuite(workloadName: string, define: Define): void;
export function benchmarkSuite(workloadName: string, options: SuiteOptions, define: Define): void;
export function benchmarkSuite(workloadName: string, optionsOrDefine: SuiteOptions | Define, maybeDefine?: Define): void {
  const [options, define] = typeof optionsOrDefine === 'function' ? [{}, optionsOrDefine] : [optionsOrDefine, maybeDefine!];
  checkWorkloadName(workloadName, 'benchmarkSuite: workload');
  const run = currentRun();
  const file = expect.getState().testPath ?? workloadName;
  const label = relative(projectRoot(), file);
  /** The case as the suite runs it: its workload is the suite's, and naming another one is an error. */
  const own = <C extends BenchmarkCase>(c: C): C => {
    if (c.workload !== undefined && c.workload !== workloadName) {
      throw new Error(`${label}: case ${caseId(c)} names workload '${c.workload}' in a suite of '${workloadName}'; a suite's cases are its workload's (drop the case's workload field)`);
    }
    return c.workload === workloadName ? c : { ...c, workload: workloadName };
  };
  if (run.calibration?.mode === 'bars') {
    return declareBars({ workload: workloadName, file: label, outDir: run.outDir, scales: run.calibration.scales, profile: run.profile, own }, define);
  }
  /** `schemabench calibrate` measures these assertions, bars set aside, and nothing else. */
  const calibrating = run.calibration?.mode === 'measure' ? new Set(run.calibration.assertions) : undefined;

  let workload: Workload | undefined;
  const server = suiteServer();
  const profile = server.profile ?? 'benchmark';
  const collector = new ResultsCollector(file, workloadName);
  // This file's turns with the other side under `schemabench compare` (alone otherwise):
  // handed to everything the file measures, never reached through a global.
  const scheduler = roundScheduler(run.turns);
  let copy: DatasetCopy | undefined;
  let env: SuiteEnvironment | undefined;
  const ready = () => {
    if (!env) throw new Error('the suite database is not ready (its beforeAll failed; see above)');
    return env;
  };
  const setUp = async (uri: string) => {
    if (!options.setup) return;
    await withConnection(uri, (client) => options.setup!({ client, db: drizzle({ client }), uri, scale: server.scale, seed: server.seed })).catch((error: Error) => {
      throw new Error(`${label}: the suite's setup failed: ${error.message}`, { cause: error });
    });
  };

  const calibrationPath = projectPath('benchmarks', workloadName, CALIBRATION_FILE);
  let calibration: CalibrationFile | undefined | null = null;
  /** The bar of an assertion at this run's scale; under calibrate, none (measured, not judged). */
  const barOf = (id: string, bar: Bar | undefined): ResolvedBar => {
    if (calibrating) return { atLeast: undefined };
    if (calibration === null) calibration = readCalibration(calibrationPath);
    return resolveBar(bar, { id, scale: server.scale, profile, calibration, source: relative(projectRoot(), calibrationPath) });
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
  const say = (name: string, bar: ResolvedBar) => bar.note && console.log(`${name}: ${bar.note}`);

  describe(`${workloadName} [scale=${server.scale}]`, () => {
    beforeAll(async () => {
      // Under `schemabench compare`, the other side waits while this file works (round-scheduler.ts).
      await scheduler.hold(label);
      workload = await loadWorkload(workloadName);
      const dataset = await ensureDataset(server, { workload, scale: server.scale, seed: server.seed });
      collector.datasetKey = dataset.key;
      collector.dataset = datasetDetails({ workload, scale: server.scale, seed: server.seed }, dataset);
      // --plan-at production: every copy plans with production's statistics, injected after it
      // is made (ALTER DATABASE settings are not copied by CREATE DATABASE ... TEMPLATE) and after
      // the suite's setup (an ANALYZE there would replace them).
      const production = run.planAt === 'production';
      const snapshot = run.snapshots?.[workloadName] ?? defaultSnapshotPath(workloadName);
      if (production) collector.dataset = { ...collector.dataset, plannedWith: snapshotIdentity(workloadName, snapshot) };
      const copyOf = async () => {
        const made = await copyDataset(server, dataset, workloadName);
        try {
          await setUp(made.uri);
          if (production) await planAtProduction(made.uri, workloadName, { snapshot });
        } catch (error) {
          await made.drop();
          throw error;
        }
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
      profile,
      compare(spec) {
        const name = comparisonName(spec);
        if (calibrating && !calibrating.has(name)) return;
        const bar = barOf(name, spec.atLeast);
        const resolved = { ...spec, baseline: own(spec.baseline), candidate: own(spec.candidate), atLeast: bar.atLeast };
        test(`${name} [scale=${server.scale}]`, () => {
          say(name, bar);
          return runComparison(resolved, ready(), collector);
        });
      },
      inspect(name, fn) {
        if (calibrating) return;
        // An inspect is a measurement too (sizes, locks, one-shot DDL): it holds the turn.
        test(`${name} [scale=${server.scale}]`, () =>
          scheduler.measure(`${label}::${name}`, async () => {
            const failures: string[] = [];
            const check: InspectCheck = (ok, message) => {
              if (!ok) failures.push(typeof message === 'function' ? message() : message);
              return ok;
            };
            await fn(ready(), (metric) => collector.addMetric({ ...metric, workload: workloadName, scale: server.scale }), check);
            if (failures.length) throw new Error(`${name}:\n  ${failures.join('\n  ')}`);
          }),
        );
      },
      scaling(spec) {
        if (calibrating) return;
        const owned = { ...spec, case: own(spec.case) };
        const name = `${spec.case.name}[${spec.case.variant}] grows with scale (${spec.scales.join(', ')})`;
        test(name, async () => {
          await runScaling(owned, server, workload!, collector, siteOf(ready(), name));
        });
      },
      load(spec) {
        if (calibrating && !spec.ratios.some((r) => calibrating.has(loadRatioName(spec.name, r)))) return;
        const bars = spec.ratios.map((r) => [loadRatioName(spec.name, r), barOf(loadRatioName(spec.name, r), r.atLeast)] as const);
        // Calibrating, every interval up to the cap: the interval a run gets when a ratio near its bar takes them all.
        const intervals = calibrating ? (spec.maxIntervals ?? 3 * (spec.intervals ?? 4)) : spec.intervals;
        const resolved = { ...spec, intervals, ratios: spec.ratios.map((r, i) => ({ ...r, atLeast: bars[i]![1].atLeast })) };
        // A `url` server elsewhere (a managed database) is not put under load: skipped, with the reason in the name.
        const remote = !isLoopbackUri(server.connectionUri);
        it.skipIf(remote)(`${spec.name} [scale=${server.scale}]${remote ? ' (skipped: the load driver loads loopback servers only)' : ''}`, async () => {
          for (const [name, bar] of bars) say(name, bar);
          await runLoadComparison(resolved, ready(), collector, workloadName);
        });
      },
      measure(benchmark, options = {}) {
        if (calibrating) return;
        const owned = own(benchmark);
        test(`${benchmark.name}[${benchmark.variant}] [scale=${server.scale}]`, () => runSingle(owned, ready(), collector, options.plan, options.measure));
      },
    });
  });
}
