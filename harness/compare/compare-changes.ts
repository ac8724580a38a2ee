/**
 * What a CompareReport shows first, for every renderer (terminal, pull-request comment):
 * the cases and comparisons that changed, regressions first, then improvements, then
 * other changes; the flagged migrations; and how many things did not change.
 */
import type { CaseDiff, ComparisonDiff, CompareReport, Finding, MigrationTrace } from './compare-report.ts';

/** How a changed item is shown: a regression sets exit code 1; the others are evidence. */
export type ChangeSeverity = 'regression' | 'improvement' | 'change';

export type ChangedItem = { severity: ChangeSeverity } & ({ type: 'case'; diff: CaseDiff } | { type: 'comparison'; diff: ComparisonDiff });

export interface CompareChanges {
  /** Changed cases and comparisons: regressions, then improvements, then other changes. */
  items: ChangedItem[];
  /** Migrations with a flag (a failure is flagged too): regressions. */
  flaggedMigrations: MigrationTrace[];
  /** Items with a regression finding plus flagged migrations. */
  regressions: number;
  improvements: number;
  /** Changed items that are neither (a plan of another shape, new SQL, an added case). */
  others: number;
  /** Cases and comparisons with no finding and the same SQL on both sides. */
  unchanged: { cases: number; comparisons: number };
}

/**
 * The contract's kinds in the order a reader wants them: what costs more first, what
 * costs less next, then changes of shape. Items are sorted by their first kind here.
 */
const KIND_ORDER: readonly Finding['kind'][] = [
  'comparison-failed',
  'test-failed',
  'index-lost',
  'seq-scan-gained',
  'buffers-up',
  'latency-up',
  'migration-flagged',
  'case-removed',
  'index-gained',
  'seq-scan-lost',
  'buffers-down',
  'latency-down',
  'plan-changed',
  'rows-changed',
  'sql-changed',
  'case-added',
  'comparison-inconclusive',
];

/** Kinds that say head costs less than base. */
const IMPROVEMENTS = new Set<Finding['kind']>(['index-gained', 'seq-scan-lost', 'buffers-down', 'latency-down']);

const SEVERITY_ORDER: Record<ChangeSeverity, number> = { regression: 0, improvement: 1, change: 2 };

function severityOf(findings: Finding[]): ChangeSeverity {
  if (findings.some((f) => f.regression)) return 'regression';
  return findings.some((f) => IMPROVEMENTS.has(f.kind)) ? 'improvement' : 'change';
}

function firstKind(findings: Finding[]): number {
  const ranks = findings.map((f) => KIND_ORDER.indexOf(f.kind)).filter((r) => r >= 0);
  return ranks.length ? Math.min(...ranks) : KIND_ORDER.length;
}

const caseChanged = (c: CaseDiff) => c.findings.length > 0 || c.status !== 'unchanged';
const comparisonChanged = (c: ComparisonDiff) => c.findings.length > 0 || !c.base || !c.head;

/** A migration is flagged when it has a reason (its error is one). */
export const migrationFlagged = (m: MigrationTrace) => m.flags.length > 0 || m.error !== undefined;

/** Findings of a changed item, regressions first, in KIND_ORDER. */
export function orderedFindings(findings: Finding[]): Finding[] {
  const rank = (f: Finding) => (f.regression ? 0 : 1) * (KIND_ORDER.length + 1) + (KIND_ORDER.indexOf(f.kind) + 1 || KIND_ORDER.length + 1);
  return [...findings].sort((a, b) => rank(a) - rank(b));
}

export function compareChanges(report: CompareReport): CompareChanges {
  const items: (ChangedItem & { rank: number; key: string })[] = [
    ...report.cases.filter(caseChanged).map((diff) => ({ type: 'case' as const, diff, severity: severityOf(diff.findings), rank: firstKind(diff.findings), key: diff.id })),
    ...report.comparisons.filter(comparisonChanged).map((diff) => ({ type: 'comparison' as const, diff, severity: severityOf(diff.findings), rank: firstKind(diff.findings), key: diff.name })),
  ];
  items.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.rank - b.rank || a.diff.workload.localeCompare(b.diff.workload) || a.key.localeCompare(b.key));
  const flaggedMigrations = report.migrations.filter(migrationFlagged);
  const count = (s: ChangeSeverity) => items.filter((i) => i.severity === s).length;
  return {
    items: items.map(({ rank: _rank, key: _key, ...item }) => item as ChangedItem),
    flaggedMigrations,
    regressions: count('regression') + flaggedMigrations.length,
    improvements: count('improvement'),
    others: count('change'),
    unchanged: { cases: report.cases.filter((c) => !caseChanged(c)).length, comparisons: report.comparisons.filter((c) => !comparisonChanged(c)).length },
  };
}

/**
 * The verdict with its counts: `REGRESSION (2); 1 improvement, 3 other changes`,
 * `PASS; nothing changed`. The verdict is the report's (it sets the exit code); the count
 * is what the renderers list as regressions.
 */
export function verdictLine(verdict: CompareReport['verdict'], changes: CompareChanges): string {
  const n = (k: number, one: string, many: string) => (k ? `${k} ${k === 1 ? one : many}` : '');
  const rest = [n(changes.improvements, 'improvement', 'improvements'), n(changes.others, 'other change', 'other changes')].filter(Boolean).join(', ');
  if (verdict === 'regression') return `REGRESSION${changes.regressions ? ` (${changes.regressions})` : ''}${rest ? `; ${rest}` : ''}`;
  return `PASS; ${[n(changes.regressions, 'regression listed', 'regressions listed'), rest].filter(Boolean).join(', ') || 'nothing changed'}`;
}
