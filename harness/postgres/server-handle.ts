/**
 * Builds the PgServer handle from what every provider has in common: a maintenance
 * database for CREATE/DROP DATABASE, a main database owned by the handle, and a way
 * to stop. Snapshots are template databases, as in @testcontainers/postgresql.
 */
import { DatabaseAdmin, withDatabase } from './database-admin.ts';
import type { DatabaseOwner } from './database-owner.ts';
import type { PgServer, ProviderName } from './pg-server.ts';

export interface ServerHandleParts {
  provider: ProviderName;
  adminUri: string;
  mainDatabase: string;
  databasePrefix: string;
  /** Mark of the databases created through the handle. @default this process, no handle */
  owner?: DatabaseOwner;
  /** Stops the server or, for `url`, releases it; called once. */
  shutdown(): Promise<void>;
}

export function createServerHandle(parts: ServerHandleParts): PgServer {
  const admin = new DatabaseAdmin(parts.adminUri, parts.databasePrefix, parts.owner);
  const defaultSnapshot = `${parts.mainDatabase}_snap`;
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= parts.shutdown());
  return {
    provider: parts.provider,
    adminUri: parts.adminUri,
    databasePrefix: parts.databasePrefix,
    ...(parts.owner ? { owner: parts.owner } : {}),
    connectionUri: withDatabase(parts.adminUri, parts.mainDatabase),
    databaseUri: (database) => withDatabase(parts.adminUri, database),
    async snapshot(name = defaultSnapshot) {
      await admin.drop(name);
      await admin.create(name, parts.mainDatabase);
    },
    async restoreSnapshot(name = defaultSnapshot) {
      await admin.drop(parts.mainDatabase);
      await admin.create(parts.mainDatabase, name);
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
