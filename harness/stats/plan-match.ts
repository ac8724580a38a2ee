/**
 * Plans of the same statements on two databases, compared: each benchmark case's SQL (as
 * results.json records it) planned on a reference database (production) and on a
 * candidate (a small dataset, with or without injected statistics). A statement either
 * database cannot plan (a scratch table a case creates in its setup, a statement EXPLAIN
 * does not take) is listed apart, not counted. Cases are planned with the server's
 * defaults: a case's own session settings (enable_seqscan = off, ...) are not recorded
 * in results.json.
 */
import type pg from 'pg';
import type { ResultsFile } from '../results/results-schema.ts';
import { describePlan, planShape, samePlan, type PlanShape } from './plan-shape.ts';

export interface PlanCase {
  /** `name[variant]`. */
  id: string;
  sql: string;
}

export interface PlanComparison {
  id: string;
  reference?: PlanShape;
  candidate?: PlanShape;
  /** Why the case was not compared (the server's message). */
  error?: string;
  same?: boolean;
}

export interface PlanMatchSummary {
  compared: number;
  matched: number;
  notCompared: number;
  cases: PlanComparison[];
}

/** One case per distinct (name, variant, SQL) with a statement, in results order. */
export function casesWithSql(results: ResultsFile): PlanCase[] {
  const seen = new Set<string>();
  const out: PlanCase[] = [];
  for (const c of results.cases) {
    if (!c.sql) continue;
    const id = `${c.name}[${c.variant}]`;
    const key = `${id}\u0000${c.sql}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ id, sql: c.sql });
  }
  return out;
}

async function tryPlan(client: pg.Client, sql: string): Promise<PlanShape | { error: string }> {
  try {
    return await planShape(client, sql);
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0]! };
  }
}

export async function matchPlans(reference: pg.Client, candidate: pg.Client, cases: PlanCase[]): Promise<PlanMatchSummary> {
  const out: PlanComparison[] = [];
  for (const c of cases) {
    const r = await tryPlan(reference, c.sql);
    const k = await tryPlan(candidate, c.sql);
    if ('error' in r) out.push({ id: c.id, error: `reference: ${r.error}` });
    else if ('error' in k) out.push({ id: c.id, reference: r, error: `candidate: ${k.error}` });
    else out.push({ id: c.id, reference: r, candidate: k, same: samePlan(r, k) });
  }
  const compared = out.filter((c) => c.same !== undefined);
  return { compared: compared.length, matched: compared.filter((c) => c.same).length, notCompared: out.length - compared.length, cases: out };
}

/** Lines listing the cases whose plans differ: `id: reference plan | candidate plan`. */
export function differingPlans(summary: PlanMatchSummary): string[] {
  return summary.cases.filter((c) => c.same === false).map((c) => `${c.id}: ${describePlan(c.reference!)}  |  ${describePlan(c.candidate!)}`);
}
