/**
 * The url provider: an existing server named by DATABASE_URL (managed, distributed,
 * or bigger than this machine). The harness creates its own databases there, all
 * prefixed `schemabench_`, and drops them; it never touches any other database.
 * Server settings cannot be changed here: the profile is recorded, not applied.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { UsageError } from '../errors.ts';
import { DatabaseAdmin } from './database-admin.ts';
import type { PgServer } from './pg-server.ts';
import { requireCreateDatabase } from './role-privileges.ts';
import { createServerHandle } from './server-handle.ts';
import { withConnection } from './with-connection.ts';

const PREFIX = 'schemabench_';

/** host:port/database of a URI, without credentials, for messages. */
export function describeUri(uri: string): string {
  try {
    const u = new URL(uri);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

export async function startUrl(databaseUrl: string | undefined): Promise<PgServer> {
  if (!databaseUrl) throw new UsageError('--provider url needs DATABASE_URL (e.g. postgres://user:pass@host:5432/postgres)');
  try {
    new URL(databaseUrl);
  } catch {
    throw new UsageError('DATABASE_URL is not a valid URL (expected postgres://user:pass@host:port/database)');
  }
  const probe = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.end();
  } catch (error) {
    throw new UsageError(`cannot connect to DATABASE_URL ${describeUri(databaseUrl)}: ${(error as Error).message || (error as { code?: string }).code}`);
  }
  await withConnection(databaseUrl, (client) => requireCreateDatabase(client, describeUri(databaseUrl)));
  const main = `${PREFIX}main_${randomBytes(4).toString('hex')}`;
  const admin = new DatabaseAdmin(databaseUrl, PREFIX);
  await admin.create(main);
  return createServerHandle({
    provider: 'url',
    adminUri: databaseUrl,
    mainDatabase: main,
    databasePrefix: PREFIX,
    async shutdown() {
      await admin.drop(main);
      await admin.drop(`${main}_snap`);
    },
  });
}
