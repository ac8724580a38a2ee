/**
 * DatabaseAdmin.drop as a role without superuser (a managed server's CREATEDB role), while
 * an autovacuum worker is at work in the database. DROP DATABASE ... WITH (FORCE) first
 * checks that the role may signal every session there; an autovacuum worker belongs to no
 * role, so the check fails (42501: "must be a member of the role whose process is being
 * terminated" on 15, "permission denied to terminate process" on 17). CI hit this on
 * `cache clear` against a managed server right after a dataset load. A real autovacuum
 * worker is held in the database here: a table with dead rows and a vacuum cost limit of 1.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseAdmin, withDatabase } from '../harness/postgres/database-admin.ts';
import { BENCHMARK_PROFILE } from '../harness/postgres/benchmark-profile.ts';
import { startEmbedded } from '../harness/postgres/embedded-provider.ts';
import type { PgServer } from '../harness/postgres/pg-server.ts';
import { withConnection } from '../harness/postgres/with-connection.ts';
import { until } from './helpers/cli-process.ts';
import { runCli } from './helpers/run-tsx.ts';

let host: PgServer;
let maker: string;

beforeAll(async () => {
  // The benchmark profile turns autovacuum off; this server has it on, looking every second.
  const profile = [...BENCHMARK_PROFILE.filter((p) => p.name !== 'autovacuum'), { name: 'autovacuum', value: 'on', why: 'spec' }, { name: 'autovacuum_naptime', value: '1s', why: 'spec' }];
  host = await startEmbedded({ profile });
  await withConnection(host.adminUri, (c) => c.query("CREATE ROLE maker LOGIN CREATEDB PASSWORD 'maker-pw'"));
  const url = new URL(host.adminUri);
  url.username = 'maker';
  url.password = 'maker-pw';
  maker = url.toString();
}, 120_000);
afterAll(() => host?.stop());

async function autovacuumIn(database: string): Promise<boolean> {
  return withConnection(host.adminUri, async (c) => {
    const { rowCount } = await c.query("SELECT 1 FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = $1", [database]);
    return (rowCount ?? 0) > 0;
  });
}

describe('database admin', () => {
  it('a CREATEDB role drops its database while an autovacuum worker is in it', async () => {
    const admin = new DatabaseAdmin(maker, 'schemabench_');
    const name = 'schemabench_autovacuum_spec';
    await admin.create(name);
    await withConnection(withDatabase(maker, name), async (c) => {
      // Vacuum at a crawl: cost limit 1 and 100 ms of sleep after every page it reads.
      await c.query(`CREATE TABLE slow (id int, pad text) WITH (autovacuum_vacuum_cost_delay = 100, autovacuum_vacuum_cost_limit = 1,
        autovacuum_vacuum_threshold = 0, autovacuum_vacuum_scale_factor = 0, autovacuum_analyze_threshold = 0, autovacuum_analyze_scale_factor = 0)`);
      await c.query("INSERT INTO slow SELECT g, repeat('x', 100) FROM generate_series(1, 50000) g");
      await c.query('DELETE FROM slow');
    });
    expect(await until(() => autovacuumIn(name), 60_000), 'an autovacuum worker in the database').toBe(true);

    await admin.drop(name);
    expect(await admin.exists(name)).toBe(false);
  }, 120_000);

  it('a session of another role still keeps its database from being dropped, in one error', async () => {
    const admin = new DatabaseAdmin(maker, 'schemabench_');
    const name = 'schemabench_other_session_spec';
    await admin.create(name);
    const other = new pg.Client({ connectionString: withDatabase(host.adminUri, name) });
    await other.connect();
    other.on('error', () => undefined);
    try {
      await expect(admin.drop(name)).rejects.toThrow(/is being accessed by other users/);
      expect(await admin.exists(name)).toBe(true);
    } finally {
      await other.end().catch(() => undefined);
    }
    await admin.drop(name);
    expect(await admin.exists(name)).toBe(false);
  }, 60_000);

  it('cache clear refused by the server: one line with its SQLSTATE, exit 1, no stack trace', async () => {
    // A template by the url provider's name, held open by a session of another role.
    const name = 'schemabench_tpl_held_spec';
    await withConnection(maker, (c) => c.query(`CREATE DATABASE ${name}`));
    const other = new pg.Client({ connectionString: withDatabase(host.adminUri, name) });
    await other.connect();
    other.on('error', () => undefined);
    const env = { ...process.env, SCHEMABENCH_PROVIDER: 'url', DATABASE_URL: maker };
    try {
      const refused = await runCli(['cache', 'clear'], env);
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr.trim().split('\n')).toEqual([
        `schemabench: PostgreSQL error 55006: database "${name}" is being accessed by other users (There is 1 other session using the database.)`,
      ]);
    } finally {
      await other.end().catch(() => undefined);
    }
    const cleared = await runCli(['cache', 'clear'], env);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(cleared.stdout).toContain(`dropped ${name}`);
  }, 60_000);
});
