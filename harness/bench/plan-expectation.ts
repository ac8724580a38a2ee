/** Assertions on a captured plan: each returns the failures as readable sentences. */
import type { PlanMode, PlanSummary } from './explain-plan.ts';

/** What a plan must show, on any server version. */
export interface PlanShape {
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

export interface PlanExpectation extends PlanShape {
  /**
   * Version-aware expectations: from the keyed PostgreSQL major on (until the next key),
   * the keyed shape is the expectation instead of the fields above (its mode defaults
   * to theirs). The planner changes between majors (18's
   * B-tree skip scan makes a composite index serve a query without its leading column),
   * so a plan can be asserted per version:
   *   { seqScanOn: 'receipts', fromVersion: { 18: { usesIndex: 'receipts_vendor_date_idx' } } }
   * Below the smallest key only the fields above apply.
   * @default undefined (the same expectation on every version)
   */
  fromVersion?: Record<number, PlanShape>;
}

/** The expectation that applies on a server of this major. */
export function expectationFor(expectation: PlanExpectation, major: number): PlanShape {
  const { fromVersion, ...base } = expectation;
  const key = Object.keys(fromVersion ?? {})
    .map(Number)
    .filter((k) => k <= major)
    .sort((a, b) => b - a)[0];
  if (key === undefined) return base;
  const shape = fromVersion![key]!;
  return { ...shape, mode: shape.mode ?? base.mode };
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function checkPlan(label: string, plan: PlanSummary, expectation: PlanShape): string[] {
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
