/**
 * The derived generator fills PostgreSQL's built-in types beyond numbers, text and dates
 * (time, interval, inet, cidr, macaddr, macaddr8, point, line, bit(n), bytea) and citext,
 * with values the server's input functions accept, unique where the schema says so: the
 * schema loads on a real server, every key and unique constraint validated there.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
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

const SCHEMA = join(PACKAGE_ROOT, 'specs', 'schemas', 'core-types');
const ROWS = { hosts: 3_000, visits: 100_000 };

describe('built-in types derived from the schema', () => {
  const server = suiteServer();
  const admin = new DatabaseAdmin(server.adminUri, server.databasePrefix);
  const database = `${server.databasePrefix}core_types`;
  const uri = withDatabase(server.adminUri, database);
  let scratch: string;

  beforeAll(async () => {
    mkdirSync(join(PACKAGE_ROOT, '.schemabench'), { recursive: true });
    scratch = mkdtempSync(join(PACKAGE_ROOT, '.schemabench', 'core-types-spec-'));
    await generateMigrations('core-types', { schema: join(SCHEMA, 'hosts.ts'), out: scratch, name: 'core_types' });
    await admin.create(database);
    // citext is an extension (contrib): a workload's own migration would create it.
    await withConnection(uri, (c) => c.query('CREATE EXTENSION citext'));
    await applyMigrations(uri, scratch);
    await bulkLoad(uri, deriveTables(await schemaTables(SCHEMA), { seed: 5, scale: 1, rows: ROWS }));
  });
  afterAll(async () => {
    await admin.drop(database).catch(() => undefined);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('loads every row, with its keys and unique constraints validated by the server', async () => {
    const counts = await withConnection(uri, async (c) => (await c.query<{ hosts: string; visits: string; valid: string }>(
      "SELECT (SELECT count(*) FROM hosts) AS hosts, (SELECT count(*) FROM visits) AS visits, (SELECT count(*) FROM pg_constraint WHERE conrelid IN ('hosts'::regclass, 'visits'::regclass) AND convalidated) AS valid",
    )).rows[0]!);
    // 2 primary keys, 6 unique constraints, 1 foreign key.
    expect(counts).toEqual({ hosts: '3000', visits: '100000', valid: '9' });
  });

  it('gives each type values of its kind', async () => {
    const rows = await withConnection(uri, async (c) => (await c.query<Record<string, string | number | boolean>>(`
      SELECT bool_and(ip << '10.0.0.0/8') AS private_ips, bool_and(masklen(net) = 24) AS networks,
             bool_and(mac::text LIKE '02:%') AS macs,
             count(DISTINCT lower(email::text)) AS emails, count(aliases) AS with_aliases
        FROM hosts`)).rows[0]!);
    expect(rows).toMatchObject({ private_ips: true, networks: true, macs: true, emails: '3000' });
    expect(Number(rows.with_aliases)).toBeGreaterThan(0);
    const visits = await withConnection(uri, async (c) => (await c.query<Record<string, string | boolean>>(`
      SELECT count(DISTINCT opens_at) AS opens, bool_and(wait < interval '31 days') AS waits,
             bool_and(extract(day FROM term) = 0) AS terms, bool_and(length(body) BETWEEN 8 AND 32) AS bodies,
             bool_and(spot <@ box '((0,0),(1000,1000))') AS spots, bool_and(length(flags) = 5) AS flags,
             count(edge) > 0 AS edges, count(closes_at) > 0 AS closes
        FROM visits`)).rows[0]!);
    expect(visits).toEqual({ opens: '100000', waits: true, terms: true, bodies: true, spots: true, flags: true, edges: true, closes: true });
  });
});
