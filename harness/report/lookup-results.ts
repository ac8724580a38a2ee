/**
 * A workload report's way into results.json: results found by the case objects the
 * benchmarks measured, not by names typed again (a renamed case then changes both, and
 * the report never prints "-" for a result that is there).
 */
import { caseId, type BenchmarkCase } from '../bench/benchmark-case.ts';
import type { CaseResult, ComparisonResult, MetricResult, ResultsFile } from '../results/results-schema.ts';

export interface ResultsLookup {
  /** The last result of `c` (a case measured at several scales or versions has several). */
  case(c: BenchmarkCase): CaseResult | undefined;
  /** The comparison of `baseline` against `candidate`. */
  comparison(baseline: BenchmarkCase, candidate: BenchmarkCase): ComparisonResult | undefined;
  metric(name: string): MetricResult | undefined;
}

export function lookupResults(results: ResultsFile): ResultsLookup {
  return {
    case: (c) => results.cases.findLast((r) => caseId(r) === caseId(c)),
    comparison: (baseline, candidate) => results.comparisons.find((r) => r.baseline === caseId(baseline) && r.candidate === caseId(candidate)),
    metric: (name) => results.metrics.find((m) => m.name === name),
  };
}
