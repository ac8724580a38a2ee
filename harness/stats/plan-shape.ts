/**
 * The plan the planner chooses for a statement, reduced to what tells plans apart: node
 * types depth first and the indexes used. EXPLAIN without ANALYZE: nothing is executed,
 * so an INSERT or UPDATE is planned, not run. A statement with parameters ($1, ...) is
 * planned as a generic plan (EXPLAIN (GENERIC_PLAN), PostgreSQL 16+): its values are not
 * known here (results.json records a case's SQL text, not its parameters).
 */
import type pg from 'pg';

export interface PlanShape {
  /** Node types, depth first, e.g. ['Aggregate', 'Bitmap Heap Scan', 'Bitmap Index Scan']. */
  nodes: string[];
  /** Indexes the plan uses, sorted. */
  indexes: string[];
  /** The top node's estimated rows and total cost. */
  rows: number;
  cost: number;
}

interface Node {
  'Node Type': string;
  'Index Name'?: string;
  'Plan Rows': number;
  'Total Cost': number;
  Plans?: Node[];
}

/** True when `sql` has a positional parameter outside string literals and quoted names. */
export function hasParameters(sql: string): boolean {
  return /\$\d/.test(sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, ''));
}

export async function planShape(client: pg.Client, sql: string): Promise<PlanShape> {
  const options = hasParameters(sql) ? 'FORMAT JSON, GENERIC_PLAN' : 'FORMAT JSON';
  const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: Node }] }>(`EXPLAIN (${options}) ${sql}`);
  const top = rows[0]!['QUERY PLAN'][0].Plan;
  const shape: PlanShape = { nodes: [], indexes: [], rows: top['Plan Rows'], cost: top['Total Cost'] };
  const walk = (node: Node) => {
    shape.nodes.push(node['Node Type']);
    if (node['Index Name'] && !shape.indexes.includes(node['Index Name'])) shape.indexes.push(node['Index Name']);
    node.Plans?.forEach(walk);
  };
  walk(top);
  shape.indexes.sort();
  return shape;
}

/** Same plan: the same node types in the same order and the same indexes. */
export function samePlan(a: PlanShape, b: PlanShape): boolean {
  return a.nodes.join('>') === b.nodes.join('>') && a.indexes.join(',') === b.indexes.join(',');
}

/** `Aggregate > Index Only Scan [receipts_purchase_date_idx]`, for listings. */
export function describePlan(shape: PlanShape): string {
  return `${shape.nodes.join(' > ')}${shape.indexes.length ? ` [${shape.indexes.join(', ')}]` : ''}`;
}
