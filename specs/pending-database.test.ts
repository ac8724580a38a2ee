/**
 * A database is never without an owner: CREATE DATABASE cannot share a transaction with
 * the COMMENT that marks it, so DatabaseAdmin.create makes it under a name carrying its
 * creator, marks it and renames it. A `fixtures --provider url` killed (SIGKILL) while a
 * database is being created leaves one the next start reaps; before, an unmarked
 * `schemabench_*` database stayed until `cache clear`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { DatabaseAdmin } from '../harness/postgres/database-admin.ts';
import { listMarked, pendingName } from '../harness/postgres/database-owner.ts';
import { reapOrphanDatabases } from '../harness/postgres/database-reaper.ts';
import { withConnection } from '../harness/postgres/with-connection.ts';
import { currentOwner, isAlive } from '../harness/process-owner.ts';
import { until } from './helpers/cli-process.ts';

const names = (uri: string, like: string) => withConnection(uri, async (c) => (await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1', [like])).rows.map((r) => r.datname));

/** A PID that was this machine's a moment ago and is free now. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('databases carry their owner from the moment they exist', () => {
  const server = suiteServer();
  const admin = new DatabaseAdmin(server.adminUri, server.databasePrefix);

  it('create() leaves the database marked with its creator, and no pending name', async () => {
    const name = `${server.databasePrefix}pending_spec`;
    await admin.create(name);
    try {
      const db = (await listMarked(server.adminUri, name)).find((d) => d.name === name);
      expect(db?.mark).toMatchObject({ schemabench: 'owner', pid: process.pid });
      expect(await names(server.adminUri, `${server.databasePrefix}new\\_%\\_${process.pid.toString(36)}\\_%`)).toEqual([]);
    } finally {
      await admin.drop(name);
    }
  });

  it("a pending database of a dead creator is reaped, a live one's is not", async () => {
    const dead = pendingName(server.databasePrefix, { ...currentOwner(), pid: await deadPid() });
    const live = pendingName(server.databasePrefix, currentOwner());
    await withConnection(server.adminUri, async (c) => {
      for (const n of [dead, live]) await c.query(`CREATE DATABASE ${pg.escapeIdentifier(n)}`);
    });
    try {
      const reaped = await reapOrphanDatabases(server.adminUri, server.databasePrefix);
      expect(reaped).toContain(dead);
      expect(reaped).not.toContain(live);
      expect(await names(server.adminUri, dead)).toEqual([]);
    } finally {
      await admin.drop(live);
      await admin.drop(dead).catch(() => undefined);
    }
  });

  it('kill -9 of `fixtures --provider url` while it creates a database: the next start reaps what it left', async () => {
    const before = new Set((await listMarked(server.adminUri, server.databasePrefix)).map((d) => d.name));
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'schemabench.mjs'), 'fixtures', '--workload', 'shop', '--scale', '1', '--provider', 'url'], {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, DATABASE_URL: server.adminUri },
      stdio: 'ignore',
    });
    const pid = child.pid!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const ours = `${server.databasePrefix}new\\_%\\_${pid.toString(36)}\\_%`;
    // The moment CREATE DATABASE of its pending name is under way (pg_stat_activity, for the
    // whole copy) or done (pg_database, until the rename): either window, however slow the machine.
    let seen = false;
    const pending = "SELECT 1 FROM pg_database WHERE datname LIKE $1 UNION ALL SELECT 1 FROM pg_stat_activity WHERE query LIKE 'CREATE DATABASE%' AND query LIKE '%' || $1 || '%'";
    await withConnection(server.adminUri, async (c) => {
      for (const deadline = Date.now() + 90_000; !seen && Date.now() < deadline && child.exitCode === null; ) {
        seen = ((await c.query(pending, [ours])).rowCount ?? 0) > 0;
      }
    });
    child.kill('SIGKILL');
    await exited;
    expect(seen).toBe(true);
    expect(isAlive(pid)).toBe(false);
    // The server finishes the CREATE DATABASE of a client that is gone (its, not another spec file's); then a start reaps.
    await until(async () => !(await withConnection(server.adminUri, async (c) => (await c.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'CREATE DATABASE%' AND query LIKE $1", [`%${ours}%`])).rowCount)), 30_000);
    await reapOrphanDatabases(server.adminUri, server.databasePrefix);
    // Nothing of the dead run is left: no database marked (by comment or by name) as its, and no unmarked one.
    const left = (await listMarked(server.adminUri, server.databasePrefix)).filter((d) => !before.has(d.name) && (!d.mark || (d.mark.schemabench === 'owner' && d.mark.pid === pid)));
    expect(left.map((d) => d.name)).toEqual([]);
  }, 180_000);
});
