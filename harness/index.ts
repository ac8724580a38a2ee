/**
 * schemabench's public face: everything a benchmark file, a fixtures file or a
 * workload report imports, as `import { ... } from 'schemabench'`. Nothing outside
 * harness/ imports a deeper path, so the inside can move freely.
 */

// A first benchmark: a suite, `compare`, and the question (docs/writing-a-benchmark.md).
export { indexWorthIt } from './bench/questions/index-worth-it.ts';
export { rewriteFaster } from './bench/questions/rewrite-faster.ts';
export { insertMethods } from './bench/questions/insert-methods.ts';
export { calibrated, type Bar } from './bench/calibrated-bar.ts';

// Benchmarks as tests: cases, suites, expectations.
export { defineFixtures, type ColumnValue, type FixturesDefinition, type ReferenceDistribution, type TableOverride } from './workloads/define-fixtures.ts';
export type { ColumnValueContext } from './fixtures/derived/derived-options.ts';
export { defineCase, type BenchmarkCase, type CaseContext, type DrizzleQuery, type SqlStatement, type Statement } from './bench/benchmark-case.ts';
export { benchmarkSuite, type MetricInput, type SuiteApi, type SuiteOptions } from './bench/benchmark-suite.ts';
export type { SuiteEnvironment } from './bench/case-session.ts';
export type { ComparisonSpec } from './bench/run-comparison.ts';
export type { MeasureOptions } from './bench/measure-options.ts';
export type { PlanExpectation, PlanShape } from './bench/plan-expectation.ts';
export { explainPlan, type PlanMode, type PlanSummary } from './bench/explain-plan.ts';
export { CaseSkipped } from './bench/case-skipped.ts';
export type { ScalingSpec } from './bench/run-scaling.ts';
export { mean, median, pairedSpeedup, quantile, summarize } from './bench/statistics.ts';
export { sequentialTest, type SequentialOutcome, type Verdict } from './bench/sequential-test.ts';

// Fixtures: deterministic rows, COPY text.
export { hash32, RowRandom, WeightedIndex } from './fixtures/row-random.ts';
export { centsText, COPY_NULL, copyEscape } from './fixtures/copy-text.ts';
export type { GeneratedTable, TableFixture } from './fixtures/table-fixture.ts';
export { tableColumns } from './fixtures/derived/table-columns.ts';
export { FAKER_VERSION } from './fixtures/faker-version.ts';

// Workloads.
export type { Statistic, WorkloadReport } from './workloads/workload.ts';
export { projectPath, projectRoot } from './project-root.ts';
export { defineConfig, type ProjectConfig } from './project-config.ts';

// Databases and migrations under load.
export { withConnection } from './postgres/with-connection.ts';
export { ApplicationLoad, type LoadWindowStats, type Operation } from './migrate/application-load.ts';
export { LockMonitor, type LockReport } from './migrate/lock-monitor.ts';
export { loadSteps, type MigrationStep } from './migrate/migration-step.ts';
export { runSteps, type Check, type RunOptions, type StepResult, type StepStatus } from './migrate/step-runner.ts';

// Load: N clients, a transaction mix, closed or open loop (docs/load-benchmarks.md).
export type { LoadEnvironment, LoadMetric, LoadRatio, LoadSpec, LoadVariant } from './load/load-spec.ts';
export type { LoadTransaction, TransactionContext } from './load/load-transaction.ts';
export { runLoad, type LoadMode, type LoadOptions, type LoadRun, type TransactionStats } from './load/run-load.ts';
export { LatencyHistogram, type LatencyQuantiles } from './load/latency-histogram.ts';
export { runPgbench, type PgbenchOptions, type PgbenchRun } from './load/run-pgbench.ts';

// Results and reports.
export { caseId, type CaseResult, type ComparisonResult, type Fingerprint, type Interval, type LatencySummary, type LoadResult, type MetricResult, type PlanTreeNode, type ResultsFile } from './results/results-schema.ts';
export { fmtInt, fmtMs, textTable, type Column } from './report/text-table.ts';
export { lookupResults, type ResultsLookup } from './report/lookup-results.ts';
