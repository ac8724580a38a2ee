/**
 * Tables that reference each other (teams.captain_id -> players, players.team_id -> teams)
 * load without a deadlock: adding a foreign key takes SHARE ROW EXCLUSIVE on both of its
 * tables, and bulk-load.ts adds foreign keys on several connections at once, so two keys
 * taking the same two tables in opposite orders deadlocked (40P01) in 3 of 8 loads before
 * each key locked its tables in one order.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { applyMigrations } from '../harness/fixtures/apply-migrations.ts';
import { bulkLoad } from '../harness/fixtures/bulk-load.ts';
import { deriveTables } from '../harness/fixtures/derived/derive-tables.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { DatabaseAdmin, withDatabase } from '../harness/postgres/database-admin.ts';
import { withConnection } from '../harness/postgres/with-connection.ts';
import { generateMigrations } from '../harness/workloads/generate-migrations.ts';
import { schemaTables } from '../harness/workloads/load-workload.ts';

const SCHEMA = join(PACKAGE_ROOT, 'specs', 'schemas', 'circular');
const LOADS = 20;

describe('circular foreign keys', () => {
  const server = suiteServer();
  const admin = new DatabaseAdmin(server.adminUri, server.databasePrefix);
  const template = `${server.databasePrefix}circular_tpl`;
  let scratch: string;

  beforeAll(async () => {
    mkdirSync(join(PACKAGE_ROOT, '.schemabench'), { recursive: true });
    scratch = mkdtempSync(join(PACKAGE_ROOT, '.schemabench', 'circular-spec-'));
    await generateMigrations('circular', { schema: join(SCHEMA, 'teams.ts'), out: scratch, name: 'circular' });
    await admin.create(template);
    await applyMigrations(withDatabase(server.adminUri, template), scratch);
  });
  afterAll(async () => {
    await admin.drop(template).catch(() => undefined);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it(`load ${LOADS} times without a deadlock, both keys back and validated`, async () => {
    const tables = await schemaTables(SCHEMA);
    const failures: string[] = [];
    for (let i = 0; i < LOADS; i++) {
      const name = `${server.databasePrefix}circular_${i}`;
      await admin.create(name, template);
      try {
        const uri = withDatabase(server.adminUri, name);
        // Both tables large enough that their keys' validations overlap in time.
        await bulkLoad(uri, deriveTables(tables, { seed: i + 1, scale: 1, rows: { teams: 20_000, players: 20_000 } })).catch((e: Error) => failures.push(`load ${i}: ${e.message}`));
        const valid = await withConnection(uri, async (c) => (await c.query<{ n: string }>("SELECT count(*) AS n FROM pg_constraint WHERE contype = 'f' AND convalidated")).rows[0]!.n);
        if (!failures.length) expect(Number(valid)).toBe(2);
      } finally {
        await admin.drop(name);
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);

  it('the derived rows reference each other both ways', async () => {
    const name = `${server.databasePrefix}circular_rows`;
    await admin.create(name, template);
    try {
      const uri = withDatabase(server.adminUri, name);
      await bulkLoad(uri, deriveTables(await schemaTables(SCHEMA), { seed: 7, scale: 1, rows: { teams: 50, players: 500 } }));
      const client = new pg.Client({ connectionString: uri });
      await client.connect();
      try {
        const { rows } = await client.query<{ captains: string; players: string }>('SELECT (SELECT count(captain_id) FROM teams) AS captains, (SELECT count(*) FROM players) AS players');
        expect(Number(rows[0]!.players)).toBe(500);
        expect(Number(rows[0]!.captains)).toBeGreaterThan(0);
      } finally {
        await client.end();
      }
    } finally {
      await admin.drop(name);
    }
  });
});
