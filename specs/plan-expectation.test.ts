/**
 * Plan expectations on captured plans: each new check fails with what it saw, and
 * passes when the plan has the shape (Sort absent, pruning to one partition, an
 * Index Only Scan that never visited the heap).
 */
import { describe, expect, it } from 'vitest';
import type { PlanSummary } from '../harness/bench/explain-plan.ts';
import { checkPlan } from '../harness/bench/plan-expectation.ts';

const plan = (over: Partial<PlanSummary>): PlanSummary => ({
  mode: 'chosen',
  nodes: ['Aggregate', 'Seq Scan'],
  relations: ['receipts'],
  indexes: [],
  seqScans: ['receipts'],
  rows: 1,
  buffers: { hit: 10, read: 0 },
  executionMs: 1,
  tree: { type: 'Aggregate', rows: 1 },
  ...over,
});

describe('plan expectations', () => {
  it('noNode: fails on a Sort node, passes without one', () => {
    const sorted = plan({ nodes: ['Limit', 'Incremental Sort', 'Index Scan'] });
    expect(checkPlan('c', sorted, { noNode: ['Sort', 'Incremental Sort'] })).toEqual([expect.stringContaining('should have no Incremental Sort node')]);
    expect(checkPlan('c', plan({ nodes: ['Limit', 'Index Scan'] }), { noNode: 'Sort' })).toEqual([]);
  });

  it('readsOnly: the exact set of relations, in any order', () => {
    const pruned = plan({ relations: ['receipts_by_year_2024'] });
    expect(checkPlan('c', pruned, { readsOnly: 'receipts_by_year_2024' })).toEqual([]);
    const both = plan({ relations: ['receipts_by_year_2024', 'receipts_by_year_2023'] });
    expect(checkPlan('c', both, { readsOnly: ['receipts_by_year_2023', 'receipts_by_year_2024'] })).toEqual([]);
    expect(checkPlan('c', both, { readsOnly: 'receipts_by_year_2024' })).toEqual([expect.stringContaining('should read only [receipts_by_year_2024], read [receipts_by_year_2023, receipts_by_year_2024]')]);
  });

  it('maxHeapFetches: needs an Index Only Scan, and at most that many fetches', () => {
    expect(checkPlan('c', plan({ heapFetches: 0 }), { maxHeapFetches: 0 })).toEqual([]);
    expect(checkPlan('c', plan({ heapFetches: 12 }), { maxHeapFetches: 0 })).toEqual([expect.stringContaining('at most 0 heap fetches, got 12')]);
    expect(checkPlan('c', plan({}), { maxHeapFetches: 0 })).toEqual([expect.stringContaining('got no Index Only Scan')]);
  });
});
