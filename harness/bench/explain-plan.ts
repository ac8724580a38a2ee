/**
 * EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) of a case's statement, once, outside
 * timing, reduced to what assertions need. It always runs inside a transaction that
 * is rolled back, so explaining an INSERT or UPDATE changes nothing.
 *
 * Shared-buffer counts (hit + read) of the same plan over the same data are
 * deterministic run to run, unlike time: they are the primary, noise-free signal.
 */
import type pg from 'pg';
import type { SqlStatement } from './benchmark-case.ts';

export type PlanMode = 'chosen' | 'usable';

export interface PlanSummary {
  /** 'chosen': planner defaults at this scale; 'usable': with enable_seqscan off. */
  mode: PlanMode;
  /** Node types, depth first, e.g. ['Aggregate', 'Bitmap Heap Scan', 'Bitmap Index Scan']. */
  nodes: string[];
  /** Relations the plan reads (tables and materialized views). */
  relations: string[];
  /** Indexes the plan uses. */
  indexes: string[];
  /** Relations read by a Seq Scan. */
  seqScans: string[];
  /** Rows returned by the top node. */
  rows: number;
  /** Shared buffers of the whole execution (top node, children included). */
  buffers: { hit: number; read: number };
  /**
   * Heap Fetches of the plan's Index Only Scans, summed; undefined when it has none.
   * An Index Only Scan visits the heap for every row on a page not marked all-visible
   * in the visibility map: 0 after VACUUM means the index alone answered.
   */
  heapFetches?: number;
  executionMs: number;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Heap Fetches'?: number;
  Plans?: PlanNode[];
}

export async function explainPlan(client: pg.Client, statement: SqlStatement, mode: PlanMode = 'chosen'): Promise<PlanSummary> {
  await client.query('BEGIN');
  try {
    // Disabling seq scans makes the planner use any index that can serve the query:
    // it answers "can this index be used?", not "is it chosen at this scale?".
    if (mode === 'usable') await client.query('SET LOCAL enable_seqscan = off');
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`,
      statement.values,
    );
    const { Plan: top, 'Execution Time': executionMs } = rows[0]!['QUERY PLAN'][0];
    const summary: PlanSummary = {
      mode,
      nodes: [],
      relations: [],
      indexes: [],
      seqScans: [],
      rows: (top['Actual Rows'] ?? 0) * (top['Actual Loops'] ?? 1),
      buffers: { hit: top['Shared Hit Blocks'] ?? 0, read: top['Shared Read Blocks'] ?? 0 },
      executionMs,
    };
    const walk = (node: PlanNode) => {
      summary.nodes.push(node['Node Type']);
      const relation = node['Relation Name'];
      if (relation && !summary.relations.includes(relation)) summary.relations.push(relation);
      if (relation && node['Node Type'] === 'Seq Scan' && !summary.seqScans.includes(relation)) summary.seqScans.push(relation);
      const index = node['Index Name'];
      if (index && !summary.indexes.includes(index)) summary.indexes.push(index);
      if (node['Node Type'] === 'Index Only Scan') summary.heapFetches = (summary.heapFetches ?? 0) + (node['Heap Fetches'] ?? 0);
      node.Plans?.forEach(walk);
    };
    walk(top);
    return summary;
  } finally {
    await client.query('ROLLBACK');
  }
}
