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

export interface Fingerprint {
  postgres: { version: string; provider: string; settings: Record<string, string> };
  machine: { cpuModel: string; cores: number; memoryGiB: number; platform: string };
  node: string;
  packages: Record<string, string>;
  /** Dataset key per workload: (workload, scale, seed, schema hash, generator version). */
  datasets: Record<string, string>;
  scale: number;
  seed: number;
  gitCommit: string | null;
}

export interface CaseResult {
  name: string;
  workload: string;
  variant: string;
  params: Record<string, string | number | boolean>;
  scale: number;
  cache: 'warm' | 'cold';
  latency: LatencySummary;
  /** Chosen plan (planner defaults), when the case has a statement. */
  plan: { nodes: string[]; indexes: string[]; seqScans: string[] } | null;
  buffers: { hit: number; read: number } | null;
  /** Rows returned by the plan's top node; for cases without a statement, the count run() returned. */
  rows: number | null;
  /** The server's `server_version` (e.g. "18.4"), set in a version-matrix run (`--pg`). */
  pgVersion?: string;
}

export interface ComparisonResult {
  name: string;
  workload: string;
  /** `name[variant]` of each case. */
  baseline: string;
  candidate: string;
  scale: number;
  /** Baseline latency / candidate latency, 95% interval over paired rounds. */
  speedup: Interval;
  /** Required lower bound of the speedup, or null when only reported. */
  threshold: number | null;
  rounds: number;
  /** Baseline buffers / candidate buffers, when both have plans. */
  bufferRatio: number | null;
  passed: boolean;
  failures: string[];
  /** The server's `server_version`, set in a version-matrix run (`--pg`). */
  pgVersion?: string;
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

export interface ResultsPart {
  file: string;
  workload: string;
  datasetKey: string;
  cases: CaseResult[];
  comparisons: ComparisonResult[];
  metrics: MetricResult[];
  skipped?: SkippedResult[];
}

export interface ResultsFile {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  createdAt: string;
  fingerprint: Fingerprint;
  cases: CaseResult[];
  comparisons: ComparisonResult[];
  metrics: MetricResult[];
  /** Tests skipped for what the server lacks (absent in files written before it existed). */
  skipped?: SkippedResult[];
  /** Each server of a version-matrix run (`--pg`), in run order; `fingerprint.postgres` is the first. */
  servers?: Fingerprint['postgres'][];
}
