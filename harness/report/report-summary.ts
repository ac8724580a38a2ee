/**
 * What a report says first: how many cases and comparisons, how many comparisons passed,
 * failed or were inconclusive, and, when the run was gated against a baseline, the gate's
 * verdict with what regressed and what improved.
 */
import type { ResultsFile } from '../results/results-schema.ts';
import { comparisonVerdict } from './comparison-verdict.ts';

/** The gate's outcome as reports need it: the judge's verdict and its findings by cause (harness/judge). */
export interface GateOutcome {
  /** The judge's verdict: 'pass', 'regression', 'failing' or 'no-verdict'. */
  verdict: string;
  /** The judge's verdict line, e.g. `REGRESSION (2); 1 improvement`. */
  line: string;
  /** One per cause: how bad, the cause, and what it did (plain text). */
  groups: { severity: 'regression' | 'improvement' | 'change'; cause: string; detail: string }[];
  /** What the gate says besides findings: checks skipped, workloads not judged. */
  notes: string[];
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
  /** 'PASS', 'FAIL' (a comparison failed in the run), or the gate's verdict when gated. */
  headline: 'PASS' | 'FAIL' | 'REGRESSION' | 'FAILING' | 'NO VERDICT';
  regressions: GateOutcome['groups'];
  improvements: GateOutcome['groups'];
  others: GateOutcome['groups'];
}

const GATE_HEADLINE: Record<string, ReportSummary['headline']> = { regression: 'REGRESSION', failing: 'FAILING', 'no-verdict': 'NO VERDICT' };

export function reportSummary(results: ResultsFile, options: ReportOptions = {}): ReportSummary {
  const verdicts = results.comparisons.map(comparisonVerdict);
  const count = (v: string) => verdicts.filter((x) => x === v).length;
  const groups = options.gate?.groups ?? [];
  const failed = count('fail');
  return {
    cases: results.cases.length,
    scales: [...new Set(results.cases.map((c) => c.scale))].sort((a, b) => a - b),
    comparisons: { total: verdicts.length, passed: count('pass'), failed, inconclusive: count('inconclusive') },
    metrics: results.metrics.length,
    headline: GATE_HEADLINE[options.gate?.verdict ?? ''] ?? (failed ? 'FAIL' : 'PASS'),
    regressions: groups.filter((g) => g.severity === 'regression'),
    improvements: groups.filter((g) => g.severity === 'improvement'),
    others: groups.filter((g) => g.severity === 'change'),
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

/** The gate's line, e.g. "gate against benchmarks/baseline.json (commit abc123): REGRESSION (2); 1 improvement". */
export function gateLine(options: ReportOptions): string | undefined {
  if (!options.gate) return undefined;
  const against = options.against ? ` against ${options.against}` : '';
  const base = options.baseCommit ? ` (commit ${options.baseCommit.slice(0, 12)})` : '';
  return `gate${against}${base}: ${options.gate.line}`;
}
