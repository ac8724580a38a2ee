/**
 * Findings grouped by cause, so that a count is the number of things that went wrong: a
 * dropped index loses its index in the cases that used it, fails the comparison built on
 * them and that comparison's test: one regression. A case's findings take the cause of
 * its first lost index or new sequential scan, or are the case's own; a comparison takes
 * the cause of a case it compares that regressed; a failing test takes the cause of the
 * subject it measured.
 */
import type { CaseDiff, SubjectDiff } from './evidence.ts';
import { orderFindings, severityRank, worstSeverity, kindRank, type Finding, type Subject } from './finding.ts';
import type { FindingGroup } from './judgement.ts';
import { subjectKey } from './pair-results.ts';

const where = (s: Subject) => `${s.workload}${s.scale === undefined ? "" : `, scale ${s.scale}`}${s.pgVersion ? `, PostgreSQL ${s.pgVersion}` : ""}`;

/** The cause of a case's findings. */
export function caseCause(diff: CaseDiff): string {
  const regressed = diff.findings.filter((f) => f.severity === 'regression');
  const b = diff.base?.plan;
  const h = diff.head?.plan;
  if (b && h && regressed.some((f) => f.kind === 'index-lost')) {
    const lost = b.indexes.filter((i) => !h.indexes.includes(i)).sort();
    return `index ${lost.join(', ')} no longer used (${where(diff.subject)})`;
  }
  if (b && h && regressed.some((f) => f.kind === 'seq-scan-gained')) {
    const scans = h.seqScans.filter((t) => !b.seqScans.includes(t)).sort();
    return `sequential scan of ${scans.join(', ')} (${where(diff.subject)})`;
  }
  return `${diff.subject.type} ${diff.subject.id} (${where(diff.subject)})`;
}

/** The cause of a subject's own findings (cases: caseCause; comparisons: a regressed case's cause). */
export function subjectCause(diff: SubjectDiff, cases: ReadonlyMap<string, CaseDiff>): string {
  if (diff.subject.type === 'case') return caseCause(diff as CaseDiff);
  if (diff.subject.type === 'comparison' && diff.head) {
    const { baseline, candidate } = diff.head as { baseline: string; candidate: string };
    for (const id of [candidate, baseline]) {
      const c = cases.get(subjectKey({ ...diff.subject, type: 'case', id }));
      if (c?.findings.some((f) => f.severity === 'regression')) return c.findings[0]!.cause;
    }
  }
  return `${diff.subject.type} ${diff.subject.id} (${where(diff.subject)})`;
}

/**
 * The subject a test measured, by its name: suites name their tests `<subject> [scale=<s>]`
 * (a comparison's or load's name, a case's `name[variant]`, an inspect's name).
 */
export function testSubject(testName: string, subjects: readonly SubjectDiff[]): SubjectDiff | undefined {
  return subjects.find((d) => testName.includes(`${d.subject.id} [scale=${d.subject.scale}]`));
}

/** Words of a cause a failure message may name: the indexes a case lost, the tables it now scans. */
function causeTerms(cause: string): string[] {
  const m = /^(?:index (.+) no longer used|sequential scan of (.+)) \(/.exec(cause);
  return m ? (m[1] ?? m[2]!).split(', ') : [];
}

/**
 * A failing test's cause: that of the subject it measured when that subject regressed;
 * else the cause whose index or table its error names (a test that dropped an index the
 * change already removed fails with `index "x" does not exist`); else the test itself.
 */
export function testCause(name: string, message: string, subjects: readonly SubjectDiff[]): string {
  const measured = testSubject(name, subjects);
  const regressed = measured?.findings.find((f) => f.severity === 'regression' && f.kind !== 'removed');
  if (regressed) return regressed.cause;
  const causes = [...new Set(subjects.flatMap((d) => d.findings.filter((f) => f.severity === 'regression').map((f) => f.cause)))];
  const named = causes.find((c) => causeTerms(c).some((term) => new RegExp(`\\b${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(message)));
  return named ?? `test ${name}`;
}

/**
 * The `removed` findings of what a failing test would have measured: the subject its name
 * names and, for a comparison, the cases it compares (gone with it).
 */
export function removedBy(testName: string, subjects: readonly SubjectDiff[]): Finding[] {
  const measured = testSubject(testName, subjects);
  if (!measured || measured.status !== 'removed') return [];
  const own = measured.findings.filter((f) => f.kind === 'removed');
  if (measured.subject.type !== 'comparison' || !measured.base) return own;
  const { baseline, candidate } = measured.base as { baseline: string; candidate: string };
  const cases = subjects.filter((d) => d.subject.type === 'case' && d.status === 'removed' && d.subject.workload === measured.subject.workload && d.subject.scale === measured.subject.scale && [baseline, candidate].includes(d.subject.id));
  return [...own, ...cases.flatMap((c) => c.findings.filter((f) => f.kind === 'removed'))];
}

export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const byCause = new Map<string, Finding[]>();
  for (const f of findings) byCause.set(f.cause, [...(byCause.get(f.cause) ?? []), f]);
  const groups = [...byCause].map(([cause, fs]) => ({ cause, severity: worstSeverity(fs), findings: orderFindings(fs) }));
  const firstKind = (g: FindingGroup) => kindRank(g.findings[0]!.kind);
  return groups.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || firstKind(a) - firstKind(b) || a.cause.localeCompare(b.cause));
}
