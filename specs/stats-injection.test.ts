/**
 * Injecting a statistics snapshot (harness/stats/inject-statistics.ts) on real servers:
 * on PostgreSQL 18 the planner of a 2,000-row table estimates production's 100,000 rows
 * and production's selectivity (deterministic EXPLAIN counts), with the page costs scaled
 * its seq scan costs what production's does; as captured (relpages kept) the planner
 * scales production's density by the table's current pages instead; an ANALYZE undoes it;
 * a role needs MAINTAIN on the table. On 17 injection is unavailable and says so.
 * Both servers are started here (18 is installed into ~/.cache/schemabench on first use).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../harness/postgres/database-admin.ts';
import { startEmbedded } from '../harness/postgres/embedded-provider.ts';
import type { PgServer } from '../harness/postgres/pg-server.ts';
import { withConnection } from '../harness/postgres/with-connection.ts';
import { captureStatistics } from '../harness/stats/capture-statistics.ts';
import { injectionUnavailable, injectStatistics } from '../harness/stats/inject-statistics.ts';
import { planAtProduction } from '../harness/stats/plan-at-production.ts';
import type { StatisticsSnapshot } from '../harness/stats/statistics-snapshot.ts';

const DDL = 'CREATE TABLE t (id int PRIMARY KEY, kind text NOT NULL, amount numeric NOT NULL); CREATE INDEX t_kind_idx ON t (kind)';
const COLUMNS = ['id', 'kind', 'amount'];
const PRODUCTION_ROWS = 100_000;
const SMALL_ROWS = 2_000;

/** A database with table t: `rows` rows, kinds skewed differently in production and in the small one. */
async function database(server: PgServer, name: string, rows: number, kinds: number): Promise<string> {
  await withConnection(server.adminUri, (c) => c.query(`CREATE DATABASE ${name}`));
  const uri = withDatabase(server.adminUri, name);
  await withConnection(uri, async (c) => {
    await c.query(DDL);
    await c.query(`INSERT INTO t SELECT g, 'k' || ((g::bigint * g) % ${kinds}), (g % 1000) / 10.0 FROM generate_series(1, ${rows}) g`);
    await c.query('VACUUM ANALYZE t');
  });
  return uri;
}

async function estimate(uri: string, sql: string): Promise<{ rows: number; cost: number }> {
  return withConnection(uri, async (c) => {
    const { rows } = await c.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number; 'Total Cost': number } }] }>(`EXPLAIN (FORMAT JSON) ${sql}`);
    const plan = rows[0]!['QUERY PLAN'][0].Plan;
    return { rows: plan['Plan Rows'], cost: plan['Total Cost'] };
  });
}

const dir = mkdtempSync(join(tmpdir(), 'schemabench-inject-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pagesOf = (uri: string) => withConnection(uri, async (c) => (await c.query<{ p: number }>("SELECT (pg_relation_size('t') / 8192)::int AS p")).rows[0]!.p);

describe('statistics injection on PostgreSQL 18', () => {
  let server: PgServer;
  let production: string;
  let snapshot: StatisticsSnapshot;
  let copies = 0;

  /** A fresh small database. */
  const small = () => database(server, `schemabench_small_${++copies}`, SMALL_ROWS, 3);

  beforeAll(async () => {
    server = await startEmbedded({ major: 18 });
    production = await database(server, 'schemabench_production', PRODUCTION_ROWS, 37);
    snapshot = await withConnection(production, async (c) => (await captureStatistics(c, 'spec', [{ schema: 'public', table: 't', columns: COLUMNS }])).snapshot);
  }, 300_000);
  afterAll(() => server?.stop());

  it("makes the planner count production's rows and selectivity on the small table, and its seq scan cost production's", async () => {
    const uri = await small();
    expect((await estimate(uri, 'SELECT * FROM t')).rows).toBe(SMALL_ROWS);
    const result = await withConnection(uri, (c) => injectStatistics(c, snapshot));
    expect(result).toMatchObject({ injected: true, skipped: [], warnings: [], tables: [{ table: 't', reltuples: PRODUCTION_ROWS, columns: 3, indexes: 2 }] });
    for (const sql of ['SELECT * FROM t', "SELECT * FROM t WHERE kind = 'k1'", "SELECT * FROM t WHERE kind = 'k36'", 'SELECT * FROM t WHERE amount < 5']) {
      expect((await estimate(uri, sql)).rows, sql).toBe((await estimate(production, sql)).rows);
    }
    // Page costs scaled by production's pages over the current ones: a seq scan costs the same.
    const [mine, theirs] = [await estimate(uri, 'SELECT * FROM t'), await estimate(production, 'SELECT * FROM t')];
    expect(mine.cost).toBeCloseTo(theirs.cost, 2);
    if (result.injected) expect(result.pageCosts!.factor).toBeCloseTo(snapshot.tables[0]!.relpages / (await pagesOf(uri)), 6);
  });

  it("as captured, the planner scales production's density by the table's current pages", async () => {
    const uri = await small();
    await withConnection(uri, (c) => injectStatistics(c, snapshot, { pages: 'captured' }));
    const density = PRODUCTION_ROWS / snapshot.tables[0]!.relpages;
    expect((await estimate(uri, 'SELECT * FROM t')).rows).toBe(Math.round(density * (await pagesOf(uri))));
  });

  it("planAtProduction reads the workload's snapshot file and injects it; another workload's snapshot is refused", async () => {
    const uri = await small();
    const file = join(dir, 'production-stats.json');
    writeFileSync(file, JSON.stringify(snapshot));
    const lines: string[] = [];
    expect(await planAtProduction(uri, 'spec', { snapshot: file, log: (l) => lines.push(l) })).toMatchObject({ injected: true });
    expect(lines).toEqual([]);
    expect((await estimate(uri, 'SELECT * FROM t')).rows).toBe(PRODUCTION_ROWS);
    await expect(planAtProduction(uri, 'shop', { snapshot: file })).rejects.toThrow(`${file}: a statistics snapshot of workload spec, not shop`);
  });

  it('is undone by an ANALYZE', async () => {
    const uri = await small();
    await withConnection(uri, (c) => injectStatistics(c, snapshot));
    expect((await estimate(uri, 'SELECT * FROM t')).rows).toBe(PRODUCTION_ROWS);
    await withConnection(uri, (c) => c.query('ANALYZE t'));
    expect((await estimate(uri, 'SELECT * FROM t')).rows).toBe(SMALL_ROWS);
  });

  it('needs MAINTAIN on the table, not superuser; page costs then hold for the session only', async () => {
    const uri = await small();
    const role = `sb_maintainer_${process.pid}`;
    await withConnection(uri, (c) => c.query(`CREATE ROLE ${role} LOGIN PASSWORD 'm-pw'`));
    const url = new URL(uri);
    url.username = role;
    url.password = 'm-pw';
    const refused = withConnection(url.toString(), (c) => injectStatistics(c, snapshot));
    await expect(refused).rejects.toMatchObject({ code: '42501' });
    await withConnection(uri, (c) => c.query(`GRANT MAINTAIN ON t TO ${role}`));
    const result = await withConnection(url.toString(), (c) => injectStatistics(c, snapshot));
    expect(result.injected && result.warnings).toEqual([
      "seq_page_cost scaled for this session only: ALTER DATABASE schemabench_small_5 SET needs the database's owner",
      "random_page_cost scaled for this session only: ALTER DATABASE schemabench_small_5 SET needs the database's owner",
    ]);
    expect((await estimate(uri, 'SELECT * FROM t')).rows).toBe(PRODUCTION_ROWS);
  });
});

describe('statistics injection before PostgreSQL 18', () => {
  let server: PgServer;
  beforeAll(async () => {
    server = await startEmbedded({ major: 17 });
  }, 120_000);
  afterAll(() => server?.stop());

  it('is unavailable on 17 and says so, in one line; planAtProduction logs it and goes on', async () => {
    const snapshot = { format: 'schemabench-statistics', formatVersion: 1, workload: 'spec', capturedAt: '', server: { version: '18.4', versionNum: 180004 }, redaction: null, tables: [] } as StatisticsSnapshot;
    await withConnection(server.adminUri, async (c: pg.Client) => {
      expect(await injectionUnavailable(c)).toMatch(/^PostgreSQL 17\.\d+ has no pg_restore_relation_stats\/pg_restore_attribute_stats \(added in 18\): plans use the loaded dataset's own statistics$/);
      expect(await injectStatistics(c, snapshot)).toEqual({ injected: false, reason: expect.stringMatching(/^PostgreSQL 17/) });
    });
    const file = join(dir, 'spec-17.json');
    writeFileSync(file, JSON.stringify(snapshot));
    const lines: string[] = [];
    expect(await planAtProduction(server.adminUri, 'spec', { snapshot: file, log: (l) => lines.push(l) })).toMatchObject({ injected: false });
    expect(lines).toEqual([expect.stringMatching(/^schemabench: --plan-at production: PostgreSQL 17\.\d+ has no pg_restore_relation_stats/)]);
  });
});
