/**
 * "Is this index worth it for this query?" as one comparison: the query on a private copy
 * of the dataset without the index (the planner's best plan without it) against the same
 * query with it. Both must return the same rows (give the query an ORDER BY when it
 * returns several); the index must be usable by the query (a plan with enable_seqscan
 * off uses it); the speedup's bar is `calibrated()` unless given.
 */
import pg from 'pg';
import { defineCase, type CaseContext, type Statement } from '../benchmark-case.ts';
import { calibrated } from '../calibrated-bar.ts';
import type { ComparisonSpec } from '../run-comparison.ts';
import type { Bar } from '../../results/calibration-file.ts';

export interface IndexQuestion {
  /** Stable id, `workload/topic/question`, e.g. 'shop/orders/by-customer'. */
  name: string;
  /** The index in question: it exists in the workload's schema. */
  index: string;
  /** The query it should serve (SQL with $1... and values, or a drizzle query), or a function of the case's context. */
  statement: Statement | ((ctx: CaseContext) => Statement);
  /** The bar of the speedup. @default calibrated() */
  atLeast?: Bar;
}

/**
 * Drops `index` in the case's private copy. An index that backs a constraint (a unique
 * or primary key) cannot be dropped by name: its constraint is, with CASCADE (the foreign
 * keys referring to it go too, in this copy only: they do not change what a read does).
 */
export async function dropIndex(client: pg.Client, index: string): Promise<void> {
  const { rows } = await client.query<{ constraint: string; table: string }>(
    'SELECT c.conname AS constraint, c.conrelid::regclass::text AS table FROM pg_constraint c WHERE c.conindid = to_regclass($1)',
    [pg.escapeIdentifier(index)],
  );
  const owner = rows[0];
  if (owner) await client.query(`ALTER TABLE ${owner.table} DROP CONSTRAINT ${pg.escapeIdentifier(owner.constraint)} CASCADE`);
  else await client.query(`DROP INDEX ${pg.escapeIdentifier(index)}`);
}

export function indexWorthIt(question: IndexQuestion): ComparisonSpec {
  const withIndex = defineCase({ name: question.name, variant: 'with-index', params: { index: question.index }, statement: question.statement });
  const withoutIndex = defineCase({ ...withIndex, variant: 'without-index', ownDatabase: true, setup: ({ client }) => dropIndex(client, question.index) });
  return {
    baseline: withoutIndex,
    candidate: withIndex,
    atLeast: question.atLeast ?? calibrated(),
    candidatePlan: { mode: 'usable', usesIndex: question.index },
  };
}
