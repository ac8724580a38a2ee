/**
 * "Is this rewrite of the query faster?" as one comparison: the query as it is (`before`)
 * against its rewrite (`after`), on the same database. Both must return the same rows,
 * in the same order (compared before anything is timed); the speedup's bar is
 * `calibrated()` unless given.
 */
import { defineCase, type CaseContext, type Statement } from '../benchmark-case.ts';
import { calibrated } from '../calibrated-bar.ts';
import type { ComparisonSpec } from '../run-comparison.ts';
import type { Bar } from '../../results/calibration-file.ts';

export interface RewriteQuestion {
  /** Stable id, `workload/topic/question`, e.g. 'shop/orders/latest-per-customer'. */
  name: string;
  /** The query as it is now. */
  before: Statement | ((ctx: CaseContext) => Statement);
  /** The rewrite expected to be faster. */
  after: Statement | ((ctx: CaseContext) => Statement);
  /** The bar of the speedup. @default calibrated() */
  atLeast?: Bar;
}

export function rewriteFaster(question: RewriteQuestion): ComparisonSpec {
  return {
    baseline: defineCase({ name: question.name, variant: 'before', statement: question.before }),
    candidate: defineCase({ name: question.name, variant: 'after', statement: question.after }),
    atLeast: question.atLeast ?? calibrated(),
    sameAnswer: true,
  };
}
