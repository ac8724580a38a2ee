/** The handle every provider returns: the testcontainers shape, for any server. */
import type { DatabaseOwner } from './database-owner.ts';

export type ProviderName = 'embedded' | 'testcontainers' | 'url';

/** What code running against a server needs to know of it: serializable (vitest provide/inject). */
export interface ServerRef {
  readonly provider: ProviderName;
  /** URI of the server's main database, owned by this handle. */
  readonly connectionUri: string;
  /** URI of a maintenance database on the same server, for CREATE/DROP DATABASE. */
  readonly adminUri: string;
  /** Prefix of every database this handle may create or drop. */
  readonly databasePrefix: string;
  /**
   * Written on every database created through this handle (database-owner.ts), so a
   * `url` handle drops all of them when it stops and a later start reaps them if it
   * never did. @default the creating process, no handle
   */
  readonly owner?: DatabaseOwner | undefined;
}

export interface PgServer extends ServerRef, AsyncDisposable {
  /** URI of another database on the same server. */
  databaseUri(database: string): string;
  /** Copy the main database into a template database (default name: `<main database>_snap`). */
  snapshot(name?: string): Promise<void>;
  /** Replace the main database by a copy of the snapshot. */
  restoreSnapshot(name?: string): Promise<void>;
  /** Stop the server (or drop this handle's databases, for `url`) and remove what it left on disk. */
  stop(): Promise<void>;
}

/** A server another process owns, as a JSON ServerRef: `schemabench compare` runs base and head on one. */
export const SHARED_SERVER_ENV = 'SCHEMABENCH_SERVER';
