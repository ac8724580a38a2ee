/**
 * What each side measured for a subject, paired by key: the evidence both judges read.
 * Ratios are head / base (above 1: head is slower); latencies are milliseconds. In
 * `compare` the sides are base and head (two commits measured together); in `gate` the
 * baseline plays base and the results play head.
 */
import type { Interval } from '../results/results-schema.ts';
import type { Finding, Subject } from './finding.ts';

/** What one side measured for a case. */
export interface CaseFacts {
  /** Median latency over all samples, ms. */
  p50: number;
  plan: { nodes: string[]; indexes: string[]; seqScans: string[] } | null;
  /** Shared buffers hit + read of the chosen plan. */
  buffers: number | null;
  rows: number | null;
  /** The measured statement's SQL, when the case has one. */
  sql?: string;
  /** Iterations per measured round (agreed by both sides under compare). */
  iterations?: number;
}

/** A suite's `compare()` assertion on one side. */
export interface ComparisonFacts {
  speedup: Interval;
  threshold: number | null;
  verdict: 'pass' | 'fail' | 'inconclusive' | null;
  passed: boolean;
  failures: string[];
  /** `name[variant]` of its two cases. */
  baseline: string;
  candidate: string;
}

export interface MetricFacts {
  value: number;
  unit: string;
}

/** A load benchmark's ratios on one side. */
export interface LoadFacts {
  passed: boolean;
  failures: string[];
  ratios: { label: string; ratio: Interval; threshold: number | null; verdict: 'pass' | 'fail' | 'inconclusive' | null; passed: boolean }[];
}

/** Head / base latency over rounds measured back to back (compare). */
export interface LatencyRatio extends Interval {
  /** Rounds paired. */
  pairs: number;
  /** Confidence of [low, high]. */
  confidence: number;
}

interface DiffOf<T extends Subject['type'], F> {
  subject: Subject & { type: T };
  /** Pairing key: type, workload, id, scale and server version. */
  key: string;
  status: 'unchanged' | 'changed' | 'added' | 'removed';
  base?: F;
  head?: F;
  /** The benchmark file that measured it, relative to the project (when recorded). */
  file?: string;
  findings: Finding[];
}

export type CaseDiff = DiffOf<'case', CaseFacts> & {
  /** Paired rounds' ratio (compare); null when not paired. */
  latency: LatencyRatio | null;
};
export type ComparisonDiff = DiffOf<'comparison', ComparisonFacts>;
export type MetricDiff = DiffOf<'metric', MetricFacts>;
export type LoadDiff = DiffOf<'load', LoadFacts>;
export type SubjectDiff = CaseDiff | ComparisonDiff | MetricDiff | LoadDiff;

/** A git side of a comparison, or a results file of the gate. */
export interface Side {
  /** As given (`origin/main`, `HEAD`, `working tree`, or a results file's path). */
  ref: string;
  /** Full commit hash (for the working tree, HEAD's; for a results file, the commit it recorded, or ''). */
  commit: string;
  /** The working tree had uncommitted changes (head only). */
  dirty?: boolean;
}

/** One lock a migration statement took, as the trace saw it. */
export interface TableLock {
  table: string;
  /** Strongest mode seen held on the table (pg_locks.mode, e.g. AccessExclusiveLock). */
  mode: string;
  /** Longest contiguous time the sampler saw that mode held, ms (0: seen once or not at all). */
  heldMs: number;
  /**
   * Upper bound of the longest hold of that mode, ms, from the migration's own pg_locks read
   * before COMMIT: from the start of the statement that took it to COMMIT's answer. Absent
   * when only the sampler saw the mode (a statement that cannot run in a transaction block).
   */
  heldAtMostMs?: number;
  /** Rows of the table before the migration file ran: exact count(*) (0 for a table the file created). */
  rows: number;
  /** The table's relfilenode changed: it was rewritten. */
  rewritten: boolean;
  /** Longest contiguous time a mode of SHARE or stronger was seen held, ms (0: none seen). */
  blocksWritesMs?: number;
}

/** One migration of head that base does not have, applied to a copy of base's data. */
export interface MigrationTrace {
  workload: string;
  /** File name, e.g. 0003_add_loyalty.sql. */
  file: string;
  durationMs: number;
  /** Statements of the file (drizzle-kit's `--> statement-breakpoint` splits them). */
  statements: number;
  locks: TableLock[];
  /** Rows inserted, updated or deleted: the sum of the statements' row counts. */
  rowsTouched: number;
  /** The longest a concurrent application client waited during the migration, ms. */
  worstClientWaitMs: number;
  /** Why it is flagged (empty: safe by the documented rules). */
  flags: string[];
  /** The migration failed on base's data: the message (a failure is flagged too). */
  error?: string;
  /** How the file was applied: each statement committed alone, or the whole file in one transaction. */
  transaction?: 'per-statement' | 'single';
  /** Longest contiguous time one client was seen waiting on a lock, ms. */
  worstLockWaitMs?: number;
  /** Client operations that overlapped the file, and how many of them failed. */
  clientOperations?: number;
  clientErrors?: number;
  /** The lock sampler's interval, ms: locks held for less may be missed (reported as `< N ms`). */
  samplingMs?: number;
  /** Later files not attempted because this one failed (their order depends on it). */
  notAttempted?: string[];
  /** Its cost at production size, fitted over traces at several scales (compare's `--forecast-scales`). */
  forecast?: MigrationForecast;
}

/** A cost measured at one scale of base's dataset, one run. */
export interface ForecastPoint {
  scale: number;
  /** Rows of the table(s) the cost is about, before the file ran. */
  rows: number;
  value: number;
}

/** A cost at production size: the fit's estimate with a prediction interval, or why there is none; the points either way. */
export type CostForecast =
  | { points: ForecastPoint[]; rows: number; estimate: number; low: number; high: number; confidence: number; fixed: number; perRow: number; spread: number; df: number }
  | { points: ForecastPoint[]; rows: number | null; unavailable: string };

/** The strongest lock on one table at production size. */
export interface LockForecast {
  table: string;
  /** The strongest mode seen at every scale. */
  mode: string;
  /** The table was rewritten at the scales measured. */
  rewritten: boolean;
  /** How long the mode was held: the longer of the sampled stretch and the bound, ms. */
  held: CostForecast;
}

/** A migration file's cost at production size (harness/compare/migration-forecast.ts). */
export interface MigrationForecast {
  /** What "production size" is: the rows of a statistics snapshot, or a workload's rows at a scale (no snapshot). */
  at: { source: 'snapshot'; file: string; capturedAt: string } | { source: 'scale'; scale: number };
  /** Scales of base's dataset traced, and runs per scale. */
  scales: number[];
  runs: number;
  /** Wall time of the file, ms, against the rows of every table it locked. */
  duration: CostForecast;
  /** Rows written, against the same rows. */
  rowsTouched: CostForecast;
  /** Per table the file locked (strongest first): its strongest lock's hold, against that table's rows. */
  locks: LockForecast[];
  /** Tables rewritten, with their rows at production size. */
  rewrites: { table: string; rows: number | null }[];
  /** Why it is partial (a table production lacks, a mode that changed with scale). */
  notes: string[];
}

/** The forecast has a prediction. */
export const predicted = (f: CostForecast): f is Extract<CostForecast, { estimate: number }> => 'estimate' in f;
