/**
 * A comparison's verdict as reports show it: its `verdict` when the file has one
 * ('pass' | 'fail' | 'inconclusive', written by runs that decide it sequentially),
 * otherwise from `passed`.
 */
import type { ComparisonResult } from '../results/results-schema.ts';

export type ComparisonVerdict = 'pass' | 'fail' | 'inconclusive';

export function comparisonVerdict(c: ComparisonResult): ComparisonVerdict {
  const verdict = (c as { verdict?: unknown }).verdict;
  if (verdict === 'pass' || verdict === 'fail' || verdict === 'inconclusive') return verdict;
  return c.passed ? 'pass' : 'fail';
}
