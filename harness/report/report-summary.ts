/**
 * What a report says first: how many cases and comparisons, how many comparisons passed,
 * failed or were inconclusive, and, when the run was gated against a baseline, the gate's
 * verdict with what regressed and what improved.
 */
import type { ResultsFile } from '../results/results-schema.ts';
import { comparisonVerdict } from './comparison-verdict.ts';

/** The gate's outcome as reports need it (harness/gate's GateReport has this shape). */
export interface GateOutcome {
  verdict: 'pass' | 'regression';
  findings: { kind: string; subject: string; detail: string; severity: 'regression' | 'improvement' | 'info' }[];
  skipped: string[];
}

export interface ReportOptions {
  /** The gate's outcome for this run, when it was gated. */
  gate?: GateOutcome;
  /** What the run was gated against, e.g. the baseline's path. */
  against?: string;
  /** The baseline's git commit, when it recorded one. */
  baseCommit?: string | null;
}

export interface ReportSummary {
  cases: number;
  scales: number[];
  comparisons: { total: number; passed: number; failed: number; inconclusive: number };
  metrics: number;
  /** 'PASS', 'FAIL' (a comparison failed in the run), 'REGRESSION' (the gate's). */
  headline: 'PASS' | 'FAIL' | 'REGRESSION';
  regressions: GateOutcome['findings'];
  improvements: GateOutcome['findings'];
  added: GateOutcome['findings'];
}

export function reportSummary(results: ResultsFile, options: ReportOptions = {}): ReportSummary {
  const verdicts = results.comparisons.map(comparisonVerdict);
  const count = (v: string) => verdicts.filter((x) => x === v).length;
  const findings = options.gate?.findings ?? [];
  const regressions = findings.filter((f) => f.severity === 'regression');
  const failed = count('fail');
  return {
    cases: results.cases.length,
    scales: [...new Set(results.cases.map((c) => c.scale))].sort((a, b) => a - b),
    comparisons: { total: verdicts.length, passed: count('pass'), failed, inconclusive: count('inconclusive') },
    metrics: results.metrics.length,
    headline: options.gate?.verdict === 'regression' ? 'REGRESSION' : failed ? 'FAIL' : 'PASS',
    regressions,
    improvements: findings.filter((f) => f.severity === 'improvement'),
    added: findings.filter((f) => f.kind === 'new'),
  };
}

/** One sentence of counts, e.g. "12 cases, 8 comparisons: 7 passed, 1 failed; 30 metrics". */
export function summaryLine(s: ReportSummary): string {
  const c = s.comparisons;
  const parts = [`${c.passed} passed`, `${c.failed} failed`];
  if (c.inconclusive) parts.push(`${c.inconclusive} inconclusive`);
  const scales = s.scales.length > 1 ? ` (scales ${s.scales.join(', ')})` : '';
  return `${s.cases} cases${scales}, ${c.total} comparisons: ${parts.join(', ')}; ${s.metrics} metrics`;
}

/** The gate's line, e.g. "against benchmarks/baseline.json (commit abc123): 2 regressions, 1 improvement". */
export function gateLine(s: ReportSummary, options: ReportOptions): string | undefined {
  if (!options.gate) return undefined;
  const against = options.against ? ` against ${options.against}` : '';
  const base = options.baseCommit ? ` (commit ${options.baseCommit.slice(0, 12)})` : '';
  const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  return `gate${against}${base}: ${options.gate.verdict === 'pass' ? 'PASS' : 'REGRESSION'}, ${n(s.regressions.length, 'regression')}, ${n(s.improvements.length, 'improvement')}, ${s.added.length} new`;
}
