/**
 * EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) of a case's statement, once, outside
 * timing, reduced to what assertions need. It always runs inside a transaction that
 * is rolled back, so explaining an INSERT or UPDATE changes nothing.
 *
 * Shared-buffer counts (hit + read) of the same plan over the same data are
 * deterministic run to run, unlike time: they are the primary, noise-free signal.
 */
import type pg from 'pg';
import type { PlanTreeNode } from '../results/results-schema.ts';
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
  executionMs: number;
  /** The plan itself: node, relation, index, actual rows per loop, buffers, children. */
  tree: PlanTreeNode;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** EXPLAIN's JSON node as the results file keeps it (buffers include the node's children). */
function planTree(node: PlanNode): PlanTreeNode {
  const tree: PlanTreeNode = { type: node['Node Type'], rows: node['Actual Rows'] ?? 0 };
  if (node['Relation Name']) tree.relation = node['Relation Name'];
  if (node['Index Name']) tree.index = node['Index Name'];
  if (node['Actual Loops'] !== undefined && node['Actual Loops'] !== 1) tree.loops = node['Actual Loops'];
  if (node['Shared Hit Blocks'] !== undefined) tree.buffers = { hit: node['Shared Hit Blocks'], read: node['Shared Read Blocks'] ?? 0 };
  if (node.Plans?.length) tree.children = node.Plans.map(planTree);
  return tree;
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
      tree: planTree(top),
    };
    const walk = (node: PlanNode) => {
      summary.nodes.push(node['Node Type']);
      const relation = node['Relation Name'];
      if (relation && !summary.relations.includes(relation)) summary.relations.push(relation);
      if (relation && node['Node Type'] === 'Seq Scan' && !summary.seqScans.includes(relation)) summary.seqScans.push(relation);
      const index = node['Index Name'];
      if (index && !summary.indexes.includes(index)) summary.indexes.push(index);
      node.Plans?.forEach(walk);
    };
    walk(top);
    return summary;
  } finally {
    await client.query('ROLLBACK');
  }
}
