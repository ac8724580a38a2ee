/** Assertions on a captured plan: each returns the failures as readable sentences. */
import type { PlanMode, PlanSummary } from './explain-plan.ts';

export interface PlanExpectation {
  /**
   * 'chosen': the plan the planner picks at this scale with default costs.
   * 'usable': the plan with enable_seqscan off (can the index serve the query at all?).
   * @default 'chosen'
   */
  mode?: PlanMode;
  /** The plan uses this index. */
  usesIndex?: string;
  /** No Seq Scan on these relations. */
  noSeqScanOn?: string | string[];
  /** A Seq Scan on this relation (the "before" side of an index decision). */
  seqScanOn?: string;
  /** At most this many shared buffers (hit + read). */
  maxBuffers?: number;
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function checkPlan(label: string, plan: PlanSummary, expectation: PlanExpectation): string[] {
  const failures: string[] = [];
  const shape = `${plan.mode} plan: ${plan.nodes.join(' > ')}; indexes [${plan.indexes.join(', ')}]; seq scans [${plan.seqScans.join(', ')}]`;
  if (expectation.usesIndex && !plan.indexes.includes(expectation.usesIndex)) {
    failures.push(`${label} should use index ${expectation.usesIndex} (${shape})`);
  }
  for (const relation of list(expectation.noSeqScanOn)) {
    if (plan.seqScans.includes(relation)) failures.push(`${label} should not Seq Scan ${relation} (${shape})`);
  }
  if (expectation.seqScanOn && !plan.seqScans.includes(expectation.seqScanOn)) {
    failures.push(`${label} should Seq Scan ${expectation.seqScanOn} (${shape})`);
  }
  const buffers = plan.buffers.hit + plan.buffers.read;
  if (expectation.maxBuffers !== undefined && buffers > expectation.maxBuffers) {
    failures.push(`${label} should touch at most ${expectation.maxBuffers} shared buffers, touched ${buffers} (${shape})`);
  }
  return failures;
}
