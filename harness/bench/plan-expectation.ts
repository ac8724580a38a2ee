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
  /** No node of these types, e.g. 'Sort' (ORDER BY ... LIMIT served by an index). */
  noNode?: string | string[];
  /** The plan reads these relations and no other (partition pruning), in any order. */
  readsOnly?: string | string[];
  /** An Index Only Scan with at most this many heap fetches (0: the visibility map answered). */
  maxHeapFetches?: number;
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
  for (const node of list(expectation.noNode)) {
    if (plan.nodes.includes(node)) failures.push(`${label} should have no ${node} node (${shape})`);
  }
  if (expectation.readsOnly !== undefined) {
    const expected = [...list(expectation.readsOnly)].sort();
    const read = [...plan.relations].sort();
    if (JSON.stringify(expected) !== JSON.stringify(read)) failures.push(`${label} should read only [${expected.join(', ')}], read [${read.join(', ')}] (${shape})`);
  }
  if (expectation.maxHeapFetches !== undefined && !(plan.heapFetches !== undefined && plan.heapFetches <= expectation.maxHeapFetches)) {
    failures.push(`${label} should be an Index Only Scan with at most ${expectation.maxHeapFetches} heap fetches, got ${plan.heapFetches ?? 'no Index Only Scan'} (${shape})`);
  }
  return failures;
}
