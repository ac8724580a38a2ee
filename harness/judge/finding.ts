/**
 * What a judge found: one type for `schemabench gate` (a run against a stored baseline)
 * and `schemabench compare` (base and head measured together). A finding names its
 * subject (a case, comparison, metric, load, test, migration, dataset or the run), how
 * bad it is, its cause (findings of one cause are one thing that went wrong: a dropped
 * index loses its index in two cases, fails a comparison and its test), the evidence
 * (before -> after) and one line of plain text.
 */

export const FINDING_KINDS = [
  // Deterministic, judged the same in both modes (judge-case.ts, judge-metric.ts).
  'index-lost',
  'seq-scan-gained',
  'buffers-up',
  'rows-changed',
  'metric-changed',
  'removed',
  // The suite's own assertions, and its tests.
  'comparison-failed',
  'load-failed',
  'test-failed',
  // Mode-specific: paired latency and migrations (compare), drift and absolute latency (gate).
  'latency-up',
  'speedup-dropped',
  'load-ratio-dropped',
  'migration-flagged',
  'measurements-overlapped',
  // Evidence that is not a regression.
  'index-gained',
  'seq-scan-lost',
  'buffers-down',
  'latency-down',
  'speedup-rose',
  'plan-changed',
  'sql-changed',
  'iterations-differ',
  'dataset-changed',
  'added',
  'comparison-inconclusive',
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

/**
 * `regression` sets exit code 1; `improvement` says head (or the results) cost less;
 * `change` is evidence a reader may want (another plan shape, new SQL, an added case).
 */
export type Severity = 'regression' | 'improvement' | 'change';

/** What a finding is about. */
export interface Subject {
  type: 'case' | 'comparison' | 'metric' | 'load' | 'test' | 'migration' | 'dataset' | 'run';
  /** Shown name: `name[variant]` of a case, a comparison's, metric's or load's name, a test's full name, `workload/file.sql`. */
  id: string;
  workload: string;
  scale?: number;
  /** The server's `server_version` in a version-matrix run. */
  pgVersion?: string;
}

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  subject: Subject;
  /**
   * What went wrong, as one thing: findings with the same cause are grouped and counted
   * once (`index carts_user_id_idx`, `comparison X`, `migration receipts/0004_x.sql`).
   */
  cause: string;
  /** Before -> after, plain text parts (`buffers 12 -> 3,456`); renderers escape them. */
  evidence: string[];
  /** One line, plain text. */
  message: string;
}

/** Kinds that say the subject now costs less. */
export const IMPROVEMENT_KINDS: ReadonlySet<FindingKind> = new Set(['index-gained', 'seq-scan-lost', 'buffers-down', 'latency-down', 'speedup-rose']);

/** The order a reader wants kinds in: what costs more first, then what costs less, then changes of shape. */
export const kindRank = (kind: FindingKind) => FINDING_KINDS.indexOf(kind);

const SEVERITY_RANK: Record<Severity, number> = { regression: 0, improvement: 1, change: 2 };
export const severityRank = (s: Severity) => SEVERITY_RANK[s];

/** Findings regressions first, then by kind. */
export function orderFindings<T extends Pick<Finding, 'severity' | 'kind'>>(findings: readonly T[]): T[] {
  return [...findings].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || kindRank(a.kind) - kindRank(b.kind));
}

/** The worst severity among findings (`change` for none). */
export function worstSeverity(findings: readonly Pick<Finding, 'severity'>[]): Severity {
  return findings.reduce<Severity>((worst, f) => (severityRank(f.severity) < severityRank(worst) ? f.severity : worst), 'change');
}
