/**
 * results.json, version 1. Written by every benchmark run (npm test, schemabench run);
 * documented in docs/results-format.md. Latencies are milliseconds.
 */

export const RESULTS_SCHEMA_VERSION = 1;

/** Latency distribution of a case's measured samples. */
export interface LatencySummary {
  /** Milliseconds. */
  mean: number;
  p50: number;
  p99: number;
  /** Relative margin of error of the mean, percent (95%). */
  rme: number;
  /** Number of samples. */
  n: number;
}

/** An estimate with its 95% interval. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** `name[variant]`: how results and comparisons refer to a case. */
export function caseId(c: { name: string; variant: string }): string {
  return `${c.name}[${c.variant}]`;
}

/**
 * What a workload's dataset was built from, so that a gate can say how a changed dataset
 * changed. Recorded since issue 10; older results files do not have it.
 */
export interface DatasetDetails {
  /** SHA-256 of the workload's migrations folder (the schema the rows were loaded into). */
  schemaHash: string;
  /** The fixtures' version, the generator versions and the libraries they depend on, as JSON. */
  fixtures: string;
  /** Rows loaded per table at the run's scale and seed. */
  rows: Record<string, number>;
  /**
   * Per table, the first 16 hex digits of the SHA-256 of the COPY text loaded: equal
   * rows and checksums on every table are equal content, whatever the key says.
   * Absent in results before content keys, and for a cached dataset whose build was not recorded.
   */
  checksums?: Record<string, string>;
  /** Per source file of the workload (schema, fixtures and the local modules they import), its content hash: part of the key. */
  sources?: Record<string, string>;
  /** Versions of the libraries that shape generated rows (faker, drizzle-orm, the derived generator): part of the key. */
  libraries?: Record<string, string>;
  /**
   * The key as schemabench computed it before datasets were keyed by content (workload,
   * scale, seed, schema hash, fixtures' version and dependencies): lets a judge match a
   * baseline that recorded only that key.
   */
  versionKey?: string;
  /**
   * `--plan-at production`: the statistics snapshot injected into every copy of the
   * dataset (its file's SHA-256, first 16 hex digits, and when it was captured). Plans made
   * with it are production's, not the generated rows': judges never pair them with plain ones.
   */
  plannedWith?: { snapshot: string; capturedAt: string };
}

export interface Fingerprint {
  postgres: {
    version: string;
    provider: string;
    settings: Record<string, string>;
    /** Server profile requested ('benchmark', 'durable'); absent in files from before profiles. */
    profile?: string;
  };
  machine: { cpuModel: string; cores: number; memoryGiB: number; platform: string };
  node: string;
  packages: Record<string, string>;
  /** Dataset key per workload: (workload, scale, seed, schema hash, fixtures' parts, source contents, generator library versions). */
  datasets: Record<string, string>;
  /** Per workload, what its dataset key was made of (optional: results before issue 10 lack it). */
  datasetDetails?: Record<string, DatasetDetails>;
  scale: number;
  seed: number;
  gitCommit: string | null;
  /** How noisy the machine was during the run (absent in files written before it was recorded). */
  noise?: RunNoise;
}

/** The run's own measure of machine noise, shown next to the verdicts. */
export interface RunNoise {
  /**
   * Round-to-round standard deviation of the per-round log ratios d_r, pooled over the
   * run's comparisons (0.05: paired rounds agree within about 5%); null without comparisons.
   */
  roundSpread: number | null;
  /** 1-, 5- and 15-minute load averages (os.loadavg) when the run started and when it ended. */
  loadStart: [number, number, number];
  loadEnd: [number, number, number];
  /** Logical cores, to read the load against. */
  cores: number;
}

/** One node of an EXPLAIN (ANALYZE, BUFFERS) plan, as report.html draws it. */
export interface PlanTreeNode {
  /** 'Node Type', e.g. 'Bitmap Heap Scan'. */
  type: string;
  relation?: string;
  index?: string;
  /** Actual rows per loop. */
  rows: number;
  loops?: number;
  /** Shared buffers of this node, its children included. */
  buffers?: { hit: number; read: number };
  children?: PlanTreeNode[];
}

export interface CaseResult {
  name: string;
  workload: string;
  variant: string;
  params: Record<string, string | number | boolean>;
  scale: number;
  cache: 'warm' | 'cold';
  latency: LatencySummary;
  /**
   * Chosen plan (planner defaults), when the case has a statement. `tree` is the plan
   * itself (absent in files written before it was recorded).
   */
  plan: { nodes: string[]; indexes: string[]; seqScans: string[]; tree?: PlanTreeNode } | null;
  buffers: { hit: number; read: number } | null;
  /** Rows returned by the plan's top node; for cases without a statement, the count run() returned. */
  rows: number | null;
  /** The server's `server_version` (e.g. "18.4"), set in a version-matrix run (`--pg`). */
  pgVersion?: string;
  /** The measured statement's SQL text, when the case has one (compare tells a changed case by it). */
  sql?: string;
  /**
   * Median latency of each measured round, ms, in order; with `turns` when the run took
   * turns with another (`schemabench compare`): the turn number of each round, so base's and
   * head's rounds can be paired; `iterations`: runs per round (both sides of a compare agree on it).
   */
  rounds?: { medians: number[]; turns?: number[]; iterations?: number };
  /** The benchmark file that measured it, relative to the project. */
  file?: string;
}

export interface ComparisonResult {
  name: string;
  workload: string;
  /** `name[variant]` of each case. */
  baseline: string;
  candidate: string;
  scale: number;
  /**
   * Baseline latency / candidate latency over paired rounds. With a threshold: the interval of
   * the sequential test's deciding (or last) look, at `confidence`; without: 95%.
   */
  speedup: Interval;
  /** Required lower bound of the speedup, or null when only reported. */
  threshold: number | null;
  rounds: number;
  /** Baseline buffers / candidate buffers, when both have plans. */
  bufferRatio: number | null;
  /**
   * The sequential test's verdict against the threshold: pass (interval above it), fail
   * (below it) or inconclusive (straddles it at the cap); null when only reported. Absent in
   * files written before verdicts existed (read `passed` there).
   */
  verdict?: 'pass' | 'fail' | 'inconclusive' | null;
  /** Two-sided confidence of `speedup`'s interval. @default 0.95 when absent */
  confidence?: number;
  /** Standard deviation of the per-round log ratios: this comparison's noise. */
  roundSpread?: number | null;
  /**
   * The test passed: every assertion held (an inconclusive verdict whose estimate clears the
   * threshold passes, with a note; one whose estimate is below it fails). Kept for compatibility.
   */
  passed: boolean;
  failures: string[];
  /** The server's `server_version`, set in a version-matrix run (`--pg`). */
  pgVersion?: string;
  /** The benchmark file that measured it, relative to the project. */
  file?: string;
}

/** A deterministic or one-shot figure that is not a latency distribution (sizes, counts, flags). */
export interface MetricResult {
  /** Stable id, e.g. 'receipts/storage/total-size[normalized]'. */
  name: string;
  workload: string;
  value: number;
  /** 'bytes', 'rows', 'ms', 'ratio', 'bool' (1/0), ... */
  unit: string;
  scale: number;
  params?: Record<string, string | number | boolean>;
  /** The server's `server_version`, set in a version-matrix run (`--pg`). */
  pgVersion?: string;
  /** The benchmark file that measured it, relative to the project. */
  file?: string;
}

/** A test the server could not run (a feature, privilege or extension it lacks), and why. */
export interface SkippedResult {
  /** The test's name, e.g. 'spec/engine[seq-scan-cold] [scale=0.1]'. */
  name: string;
  workload: string;
  scale: number;
  reason: string;
  /** The server's `server_version`, set in a version-matrix run (`--pg`). */
  pgVersion?: string;
}

/** Latency quantiles of a load's transactions, milliseconds (HDR histogram, 3 significant digits). */
export interface LoadLatency {
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  /** Completed transactions recorded. */
  n: number;
}

/** One transaction type of one load variant, over all its measured intervals. */
export interface LoadTransactionResult {
  /** Transaction type, or 'all'. */
  name: string;
  /** Completed transactions per second. */
  throughput: number;
  latency: LoadLatency;
  /** Failed transactions by SQLSTATE (after retries). */
  errors: Record<string, number>;
  /** Reruns after serialization failures (40001) and deadlocks (40P01). */
  retries: number;
  /** Open loop: completed later than the latency limit after their scheduled start. */
  late: number;
  /** Open loop: not started because their client was free only after the latency limit. */
  skipped: number;
}

export interface LoadVariantResult {
  variant: string;
  clients: number;
  /** Throughput (all transactions, tx/s) of each measured interval, in order. */
  intervalThroughput: number[];
  /** Mean number of sessions waiting on a lock (sampled), or null when not sampled. */
  lockWaits: number | null;
  transactions: LoadTransactionResult[];
}

/** A ratio between two variants of a load, with its assertion. */
export interface LoadRatioResult {
  /** 'throughput' (numerator / denominator tx/s) or a latency quantile ('p99', ...: numerator / denominator ms). */
  metric: string;
  transaction: string;
  numerator: string;
  denominator: string;
  /**
   * exp(mean d_r) over the paired intervals (d_r: the log ratio of round r's metric) and its
   * Student-t interval. With a threshold, over the intervals up to the look that decided it,
   * at that look's confidence.
   */
  ratio: Interval;
  /** Latency and lock waits: the ratio of the histograms merged over the same intervals; shown, never judged (absent in older files). */
  pooled?: number;
  threshold: number | null;
  /** The sequential test's verdict against the threshold; null without one (absent in older files). */
  verdict?: 'pass' | 'fail' | 'inconclusive' | null;
  /** Two-sided confidence of `ratio`'s interval (0.95 without a threshold). */
  confidence?: number;
  /** Paired intervals the ratio was taken over. */
  intervals?: number;
  /** Passed: a pass, or an inconclusive verdict whose estimate clears the threshold. */
  passed: boolean;
}

/** A load benchmark: variants run interleaved in short intervals, ratios asserted. */
export interface LoadResult {
  name: string;
  workload: string;
  scale: number;
  mode: 'closed' | 'open';
  /** Open loop: target rate, transactions per second; null for closed loop. */
  rate: number | null;
  intervalMs: number;
  /** Intervals measured per variant (the sequential test stops when every bar is decided). */
  intervals: number;
  /** The cap on intervals per variant (absent in older files). */
  maxIntervals?: number;
  variants: LoadVariantResult[];
  ratios: LoadRatioResult[];
  passed: boolean;
  failures: string[];
  /** The server's `server_version`, set in a version-matrix run (`--pg`). */
  pgVersion?: string;
  /** The benchmark file that measured it, relative to the project. */
  file?: string;
}

/**
 * When a run measured, as its own clock saw it (epoch ms), under `schemabench compare`:
 * one window per measured round, load interval, inspect or scaling step, with the turn
 * it held. Compare checks that no window of one side overlapped one of the other.
 */
export interface MeasurementWindow {
  label: string;
  turn?: number;
  start: number;
  end: number;
}

export interface ResultsPart {
  file: string;
  workload: string;
  datasetKey: string;
  /** What the dataset key was made of (optional: parts before issue 10 lack it). */
  dataset?: DatasetDetails;
  cases: CaseResult[];
  comparisons: ComparisonResult[];
  metrics: MetricResult[];
  /** Load benchmarks (absent in files written before load benchmarks existed). */
  loads?: LoadResult[];
  skipped?: SkippedResult[];
  /** Measurement windows (compare only). */
  measurements?: MeasurementWindow[];
}

export interface ResultsFile {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  createdAt: string;
  fingerprint: Fingerprint;
  cases: CaseResult[];
  comparisons: ComparisonResult[];
  metrics: MetricResult[];
  /** Load benchmarks (absent in files written before load benchmarks existed). */
  loads?: LoadResult[];
  /** Tests skipped for what the server lacks (absent in files written before it existed). */
  skipped?: SkippedResult[];
  /** Each server of a version-matrix run (`--pg`), in run order; `fingerprint.postgres` is the first. */
  servers?: Fingerprint['postgres'][];
  /** Measurement windows of every file (compare only). */
  measurements?: MeasurementWindow[];
}
