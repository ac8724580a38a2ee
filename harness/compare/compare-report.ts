/**
 * What `schemabench compare` found, base vs head: the contract between the comparer
 * (pair-cases.ts, trace-migrations.ts), the verdict and the renderers (terminal,
 * pull-request markdown, --json). Latencies are milliseconds; ratios are head / base
 * (above 1: head is slower).
 */
import type { Interval } from '../results/results-schema.ts';

/** A git side of the comparison. */
export interface CompareSide {
  /** As given (`origin/main`, `HEAD`) or `working tree`. */
  ref: string;
  /** Full commit hash; for the working tree, HEAD's commit (the tree may be dirty). */
  commit: string;
  /** The working tree had uncommitted changes (head only). */
  dirty?: boolean;
}

/**
 * One thing that changed. `regression` findings set exit code 1; the others are shown
 * as evidence (an index gained, fewer buffers, a plan that changed shape).
 */
export interface Finding {
  kind:
    | 'index-lost'
    | 'seq-scan-gained'
    | 'buffers-up'
    | 'latency-up'
    | 'comparison-failed'
    | 'test-failed'
    | 'migration-flagged'
    | 'case-removed'
    | 'index-gained'
    | 'seq-scan-lost'
    | 'buffers-down'
    | 'latency-down'
    | 'plan-changed'
    | 'rows-changed'
    | 'sql-changed'
    | 'case-added'
    | 'comparison-inconclusive';
  regression: boolean;
  /** One line, plain text (renderers escape it). */
  message: string;
}

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
}

/** Head / base latency over rounds measured in alternation (base, head, base, ...). */
export interface LatencyRatio extends Interval {
  /** Rounds paired. */
  pairs: number;
  /** Confidence of [low, high]. */
  confidence: number;
}

export interface CaseDiff {
  /** `name[variant]`. */
  id: string;
  workload: string;
  status: 'unchanged' | 'changed' | 'added' | 'removed';
  base?: CaseFacts;
  head?: CaseFacts;
  /** null when not paired (added/removed cases, a side without rounds). */
  latency: LatencyRatio | null;
  findings: Finding[];
}

/** A `compare()` assertion of the suites, on each side. */
export interface ComparisonDiff {
  name: string;
  workload: string;
  threshold: number | null;
  base?: { speedup: Interval; verdict: 'pass' | 'fail' | 'inconclusive' | null; passed: boolean };
  head?: { speedup: Interval; verdict: 'pass' | 'fail' | 'inconclusive' | null; passed: boolean };
  findings: Finding[];
}

/** One lock a migration statement took, as the lock monitor saw it. */
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
  /**
   * Longest contiguous time a mode of SHARE or stronger was seen held, ms: how long writes
   * to the table waited at most (0: none seen). Optional: added by trace-migrations.ts.
   */
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
  /** Rows inserted, updated or deleted: the sum of the statements' row counts (INSERT, UPDATE, DELETE, MERGE). */
  rowsTouched: number;
  /**
   * The longest a concurrent application client waited during the migration, ms: its
   * longest single operation (a read or write by primary key) that overlapped the file,
   * as the client timed it (lock waits and CPU queueing).
   */
  worstClientWaitMs: number;
  /** Why it is flagged (empty: safe by the documented rules). */
  flags: string[];
  /** The migration failed on base's data: the message (a failure is flagged too). */
  error?: string;
  /* Optional fields below: added by trace-migrations.ts. */
  /** How the file was applied: each statement committed alone, or the whole file in one transaction. */
  transaction?: 'per-statement' | 'single';
  /** Longest contiguous time one client was seen waiting on a lock (pg_stat_activity, sampled), ms. */
  worstLockWaitMs?: number;
  /** Client operations that overlapped the file, and how many of them failed. */
  clientOperations?: number;
  clientErrors?: number;
  /** The lock sampler's interval, ms: locks held for less may be missed (reported as `< N ms`). */
  samplingMs?: number;
  /** Later files not attempted because this one failed (their order depends on it). */
  notAttempted?: string[];
}

export interface CompareReport {
  base: CompareSide;
  head: CompareSide;
  workloads: string[];
  scale: number;
  seed: number;
  /** Server both sides ran on: provider and version. */
  server: { provider: string; version: string };
  /** Latency verdicts need interleaved pairs; false when base could not take turns. */
  paired: boolean;
  /** A latency ratio is a regression when its interval lies wholly above this. */
  latencyThreshold: number;
  verdict: 'pass' | 'regression';
  cases: CaseDiff[];
  comparisons: ComparisonDiff[];
  migrations: MigrationTrace[];
  /** Anything the reader should know (a side's tests that failed, what was skipped and why). */
  notes: string[];
  /** Wall time of the whole compare, ms. */
  durationMs: number;
}
