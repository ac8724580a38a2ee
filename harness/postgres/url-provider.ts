/**
 * The url provider: an existing server named by DATABASE_URL (managed, distributed,
 * or bigger than this machine). The harness creates its own databases there, all
 * prefixed `schemabench_` and marked with their owner (database-owner.ts), and drops
 * them; it never touches any other database. Databases left by a run that died are
 * reaped by the next start. Server settings cannot be changed here: the profile is
 * recorded, not applied.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { UsageError } from '../errors.ts';
import { cancelCreates, DatabaseAdmin } from './database-admin.ts';
import { listMarked, ownedBy, type DatabaseOwner } from './database-owner.ts';
import { reapOrphanDatabases } from './database-reaper.ts';
import type { PgServer } from './pg-server.ts';
import { currentOwner } from '../process-owner.ts';
import { onShutdown } from '../shutdown.ts';
import { createServerHandle } from './server-handle.ts';

export const URL_PREFIX = 'schemabench_';

/** host:port/database of a URI, without credentials, for messages. */
export function describeUri(uri: string): string {
  try {
    const u = new URL(uri);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

export interface UrlProbeOptions {
  /** Fail unless the role may create databases (CREATEDB or superuser). @default true */
  needCreateDb?: boolean;
}

/**
 * Checks DATABASE_URL without creating anything: it parses, the server answers a login
 * (one connection), and, unless told otherwise, the role may create databases. Every
 * failure is a one-line UsageError naming the server without its credentials.
 */
export async function probeUrl(databaseUrl: string | undefined, options: UrlProbeOptions = {}): Promise<string> {
  if (!databaseUrl) throw new UsageError('--provider url needs DATABASE_URL (e.g. postgres://user:pass@host:5432/postgres)');
  try {
    new URL(databaseUrl);
  } catch {
    throw new UsageError('DATABASE_URL is not a valid URL (expected postgres://user:pass@host:port/database)');
  }
  const probe = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  probe.on('error', () => undefined);
  let role: { name: string; createdb: boolean };
  try {
    await probe.connect();
    const { rows } = await probe.query<{ name: string; createdb: boolean }>(
      'SELECT current_user AS name, rolcreatedb OR rolsuper AS createdb FROM pg_roles WHERE rolname = current_user',
    );
    role = rows[0] ?? { name: '?', createdb: false };
  } catch (error) {
    throw new UsageError(`cannot connect to DATABASE_URL ${describeUri(databaseUrl)}: ${(error as Error).message || (error as { code?: string }).code}`);
  } finally {
    await probe.end().catch(() => undefined);
  }
  if (options.needCreateDb !== false && !role.createdb) {
    throw new UsageError(
      `role ${JSON.stringify(role.name)} on DATABASE_URL ${describeUri(databaseUrl)} may not create databases: schemabench creates its own schemabench_* databases there (ALTER ROLE ${pg.escapeIdentifier(role.name)} CREATEDB, or use a role that has it)`,
    );
  }
  return databaseUrl;
}

/** How many times a stop reads the list of our databases at most (a build cut short renames one of them once). */
const MAX_DROP_PASSES = 4;

export async function startUrl(databaseUrl: string | undefined): Promise<PgServer> {
  const uri = await probeUrl(databaseUrl);
  // Databases of runs of this host that died without dropping them (SIGKILL, crash).
  await reapOrphanDatabases(uri, URL_PREFIX);
  const main = `${URL_PREFIX}main_${randomBytes(4).toString('hex')}`;
  const owner: DatabaseOwner = { ...currentOwner(), handle: main };
  const admin = new DatabaseAdmin(uri, URL_PREFIX, owner);
  // Everything created through this handle: main, snapshots, dataset builds in progress,
  // suite copies (a worker that died could not drop its own). Registered with the CLI's
  // shutdown before the first CREATE DATABASE, with the copies still running cancelled first.
  // The work a stop cuts short still runs meanwhile: a build finishing then renames itself
  // to its template name (still under our owner mark) after the list was read, so the list
  // is read again until it holds nothing of ours (CI saw the template left).
  let dropping: Promise<void> | undefined;
  const ownedNow = async () => (await listMarked(uri, URL_PREFIX)).filter((d) => ownedBy(d, owner)).map((d) => d.name);
  const dropMine = () =>
    (dropping ??= (async () => {
      forget();
      await cancelCreates(uri);
      let names = new Set([main, `${main}_snap`, ...(await ownedNow())]);
      for (let pass = 0; names.size > 0 && pass < MAX_DROP_PASSES; pass++) {
        for (const name of names) await admin.drop(name);
        names = new Set(await ownedNow());
      }
    })());
  const forget = onShutdown(dropMine);
  try {
    await admin.create(main);
  } catch (error) {
    await dropMine().catch(() => undefined);
    throw error;
  }
  return createServerHandle({
    provider: 'url',
    adminUri: uri,
    mainDatabase: main,
    databasePrefix: URL_PREFIX,
    owner,
    shutdown: dropMine,
  });
}
