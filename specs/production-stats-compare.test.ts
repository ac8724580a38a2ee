/**
 * The two comparisons issue 22's proof prints: a dataset's column statistics against a
 * snapshot's (each tolerance can fail on its own), and the plans of the same statements
 * on two real databases (a missing index changes the plan; a statement one side cannot
 * plan is listed apart; parameters are planned generically).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { DatabaseAdmin, withDatabase } from '../harness/postgres/database-admin.ts';
import { withConnection } from '../harness/postgres/with-connection.ts';
import { compareColumnStatistics } from '../harness/stats/compare-column-statistics.ts';
import { matchPlans } from '../harness/stats/plan-match.ts';
import { hasParameters } from '../harness/stats/plan-shape.ts';
import type { ColumnStatistics, StatisticsSnapshot } from '../harness/stats/statistics-snapshot.ts';
import { sampleSnapshot } from './helpers/sample-snapshot.ts';

function withColumn(over: Partial<ColumnStatistics>, reltuples = 14): StatisticsSnapshot {
  const s = sampleSnapshot();
  const table = s.tables[0]!;
  table.reltuples = reltuples;
  table.columns[0] = { ...table.columns[0]!, ...over };
  return s;
}

const TEN = Array.from({ length: 10 }, (_, i) => `v${i}`);
const FREQS = TEN.map((_, i) => 0.09 - i * 0.005);

describe('compareColumnStatistics', () => {
  const expected = withColumn({ most_common_vals: TEN, most_common_freqs: FREQS, n_distinct: -0.5, null_frac: 0.1, correlation: 0.5 }, 1_000_000);
  const misses = (over: Partial<ColumnStatistics>, reltuples = 30_000) => compareColumnStatistics(expected, withColumn({ ...expected.tables[0]!.columns[0]!, ...over }, reltuples)).columns[0]!.misses;

  it('passes a column within every tolerance, n_distinct compared as a count at the actual rows', () => {
    expect(misses({})).toEqual([]);
    // -0.5 of 30,000 rows is 15,000 distinct: a positive 14,000 is within 10%, 13,000 is not.
    expect(misses({ n_distinct: 14_000 })).toEqual([]);
    expect(misses({ n_distinct: 13_000 })).toEqual(['n_distinct 13000 vs -0.500 (13000 vs 15000 distinct at 30000 rows)']);
  });

  it('names each tolerance missed', () => {
    expect(misses({ null_frac: 0.13 })).toEqual(['null_frac 0.130 vs 0.100']);
    expect(misses({ correlation: 0.35 })).toEqual(['correlation 0.350 vs 0.500']);
    expect(misses({ most_common_vals: [...TEN.slice(0, 7), 'x', 'y', 'z'] })).toEqual(['top MCVs overlap 7 of 10 (need 8)']);
    expect(misses({ most_common_freqs: FREQS.map((f, i) => (i < 2 ? f * 1.25 : f)) })).toEqual(['MCV frequencies off by more than 20% for 2 of 10']);
  });

  it('lists a column the actual dataset has no statistics for', () => {
    const actual = sampleSnapshot();
    actual.tables[0]!.columns = [];
    expect(compareColumnStatistics(expected, actual)).toEqual({ columns: [], within: 0, missing: ['vendors.name'] });
  });
});

describe('plans of the same statements on two databases', () => {
  const server = suiteServer();
  const admin = new DatabaseAdmin(server.adminUri, server.databasePrefix);
  const names = [`schemabench_plans_a_${process.pid}`, `schemabench_plans_b_${process.pid}`];
  beforeAll(async () => {
    for (const [i, name] of names.entries()) {
      await admin.create(name);
      await withConnection(withDatabase(server.adminUri, name), async (c) => {
        await c.query("CREATE TABLE t AS SELECT g AS id, 'k' || (g % 500) AS kind FROM generate_series(1, 50000) g");
        if (i === 0) await c.query('CREATE INDEX t_kind_idx ON t (kind)');
        await c.query('VACUUM ANALYZE t');
      });
    }
  });
  afterAll(async () => {
    for (const name of names) await admin.drop(name);
  });

  it('match where the plan is the same, differ where an index is missing, and leave out what one side cannot plan', async () => {
    const cases = [
      { id: 'lookup', sql: "SELECT * FROM t WHERE kind = 'k7'" },
      { id: 'lookup-param', sql: 'SELECT * FROM t WHERE kind = $1' },
      { id: 'count', sql: 'SELECT count(*) FROM t' },
      { id: 'scratch', sql: 'SELECT * FROM scratch_table' },
    ];
    const summary = await withConnection(withDatabase(server.adminUri, names[0]!), (a: pg.Client) => withConnection(withDatabase(server.adminUri, names[1]!), (b) => matchPlans(a, b, cases)));
    expect(summary.cases.map((c) => [c.id, c.same])).toEqual([
      ['lookup', false],
      ['lookup-param', false],
      ['count', true],
      ['scratch', undefined],
    ]);
    expect(summary.cases[0]!.reference!.indexes).toEqual(['t_kind_idx']);
    expect(summary.cases[0]!.candidate!.nodes).toEqual(['Seq Scan']);
    expect(summary.cases[3]!.error).toBe('reference: relation "scratch_table" does not exist');
    expect([summary.compared, summary.matched, summary.notCompared]).toEqual([3, 1, 1]);
  });

  it('tells a parameter from a $ inside a literal or a quoted name', () => {
    expect([hasParameters('SELECT $1'), hasParameters("SELECT '$1'"), hasParameters('SELECT "a$1" FROM t'), hasParameters("SELECT 'it''s', $2")]).toEqual([true, false, false, true]);
  });
});
