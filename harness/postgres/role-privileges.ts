/**
 * What the url provider needs of its role on a server it did not start (a managed
 * server gives a role with CREATEDB and no superuser): CREATE DATABASE, to make its own
 * `schemabench_*` databases. Checked once, up front, so that a role without it is one
 * line naming the role and the grant, not a stack trace in the middle of a run.
 * Everything that needs more (cold-cache eviction needs superuser) skips per case.
 */
import type pg from 'pg';
import { UsageError } from '../errors.ts';

export async function requireCreateDatabase(client: pg.Client, where: string): Promise<void> {
  const { rows } = await client.query<{ role: string; createdb: boolean; superuser: boolean }>(
    'SELECT current_user AS role, rolcreatedb AS createdb, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user',
  );
  const r = rows[0];
  if (r && !r.createdb && !r.superuser) {
    throw new UsageError(
      `role ${r.role} on ${where} cannot create databases: schemabench needs CREATEDB (ALTER ROLE ${r.role} CREATEDB) to make its own schemabench_* databases`,
    );
  }
}
