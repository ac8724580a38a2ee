/**
 * What every renderer of a Judgement shows, before formatting: the verdict line with its
 * counts, then the findings by cause (regressions, improvements, other changes), each
 * cause with the subjects it touched, their messages and their evidence (before -> after),
 * and what did not change. Terminal, markdown and report renderers format this outline;
 * they decide nothing.
 */
import type { CaseDiff, ComparisonDiff, SubjectDiff } from './evidence.ts';
import { caseEvidence, comparisonSide, requiredText } from './evidence-text.ts';
import type { Finding, Severity } from './finding.ts';
import { regressionCount, type Judgement } from './judgement.ts';
import type { GateOutcome } from '../report/report-summary.ts';
import { subjectKey } from './pair-results.ts';

export interface OutlineSubject {
  /** `case store/catalog[after]`, `comparison …`, `test …`, `migration receipts/0004_x.sql`. */
  label: string;
  /** The findings' messages, regressions first; `regression` marks the ones that set the verdict. */
  messages: { text: string; regression: boolean }[];
  /** Before -> after, plain text parts. */
  evidence: string[];
}

export interface OutlineGroup {
  severity: Severity;
  cause: string;
  subjects: OutlineSubject[];
}

export interface Outline {
  verdict: string;
  groups: OutlineGroup[];
  /** Subjects of each type with no finding. */
  unchanged: { cases: number; comparisons: number; metrics: number; loads: number };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const nonZero = (n: number, one: string, many?: string) => (n ? plural(n, one, many) : '');

/** `REGRESSION (2); 1 improvement, 3 other changes`, `PASS; nothing changed`, `FAILING: ...`, `NO VERDICT: ...`. */
export function verdictLine(j: Judgement): string {
  const count = (s: Severity) => j.groups.filter((g) => g.severity === s).length;
  const rest = [nonZero(count('improvement'), 'improvement'), nonZero(count('change'), 'other change')].filter(Boolean).join(', ');
  const failing = j.alreadyFailing.length ? `${plural(j.alreadyFailing.length, 'test')} failing on head, already on base` : '';
  const failedAssertions = j.findings.filter((f) => (f.kind === 'comparison-failed' || f.kind === 'load-failed') && f.severity === 'change').length;
  const failedText = failedAssertions ? `${plural(failedAssertions, 'assertion')} failing on both sides` : '';
  const tail = [failing, failedText, rest].filter(Boolean).join('; ');
  switch (j.verdict) {
    case 'regression':
      return `REGRESSION (${regressionCount(j)})${tail ? `; ${tail}` : ''}`;
    case 'failing':
      return `FAILING: ${[failing, failedText].filter(Boolean).join('; ')}${rest ? `; ${rest}` : ''}`;
    case 'no-verdict':
      return `NO VERDICT: ${plural(j.overlaps ?? 0, 'measurement')} of base and head overlapped, timings are not evidence${tail ? `; ${tail}` : ''}`;
    default:
      return `PASS; ${tail || 'nothing changed'}`;
  }
}

function comparisonEvidence(d: ComparisonDiff): string[] {
  return [`base ${comparisonSide(d.base)}`, `head ${comparisonSide(d.head)}`, `required ${requiredText((d.head ?? d.base)!.threshold)}`];
}

function evidenceOf(diff: SubjectDiff | undefined, findings: Finding[]): string[] {
  if (diff?.subject.type === 'case') return caseEvidence(diff as CaseDiff);
  if (diff?.subject.type === 'comparison') return comparisonEvidence(diff as ComparisonDiff);
  return [...new Set(findings.flatMap((f) => f.evidence))];
}

export function judgementOutline(j: Judgement): Outline {
  const diffs = new Map<string, SubjectDiff>([...j.cases, ...j.comparisons, ...j.metrics, ...j.loads].map((d) => [d.key, d]));
  const groups = j.groups.map((g) => {
    const bySubject = new Map<string, Finding[]>();
    for (const f of g.findings) {
      const key = subjectKey(f.subject);
      bySubject.set(key, [...(bySubject.get(key) ?? []), f]);
    }
    const subjects = [...bySubject].map(([key, fs]) => ({
      label: `${fs[0]!.subject.type} ${fs[0]!.subject.id}`,
      messages: fs.map((f) => ({ text: f.message, regression: f.severity === 'regression' })),
      evidence: evidenceOf(diffs.get(key), fs),
    }));
    return { severity: g.severity, cause: g.cause, subjects };
  });
  const unchanged = (ds: SubjectDiff[]) => ds.filter((d) => d.status === 'unchanged' && !d.findings.length).length;
  return { verdict: verdictLine(j), groups, unchanged: { cases: unchanged(j.cases), comparisons: unchanged(j.comparisons), metrics: unchanged(j.metrics), loads: unchanged(j.loads) } };
}

/** `2 cases, 1 comparison, 30 metrics unchanged`. */
export function unchangedText(u: Outline['unchanged']): string {
  const parts = [plural(u.cases, 'case'), plural(u.comparisons, 'comparison'), nonZero(u.metrics, 'metric'), nonZero(u.loads, 'load')].filter(Boolean);
  return `${parts.join(', ')} unchanged`;
}

/** The judgement as the reports show it (report.md and report.html of `gate --report`). */
export function reportOutcome(j: Judgement): GateOutcome {
  const outline = judgementOutline(j);
  const detail = (g: OutlineGroup) => g.subjects.map((s) => `${s.label}: ${s.messages.map((m) => m.text).join('; ')}`).join(' | ');
  return { verdict: j.verdict, line: outline.verdict, groups: outline.groups.map((g) => ({ severity: g.severity, cause: g.cause, detail: detail(g) })), notes: j.notes };
}
