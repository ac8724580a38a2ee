/**
 * The table locks this connection's open transaction holds now, read from its own row of
 * pg_locks (pid = pg_backend_pid()). PostgreSQL keeps a table lock until the transaction
 * ends, so read after a statement and before COMMIT this is every lock the statement took,
 * however briefly: deterministic, where a sampler on another connection misses a hold
 * shorter than its interval.
 *
 * A lock on an index counts on its table (pg_index.indrelid), as in the sampler: the
 * planner opens every index of a table it plans for, so a strong lock on one index stops
 * the table's queries. Not an index this transaction created (its pg_index row's xmin is
 * the transaction's own xid): no other session can see it yet, and CREATE INDEX takes
 * ACCESS EXCLUSIVE on the new index but only SHARE on the table. Inside the transaction
 * the catalog reads as the transaction left it: a table it created is visible, one it
 * dropped is not, nor a dropped index's pg_class and pg_index rows. A dropped table is
 * named from `known` (the tables before the file); a dropped index's lock is left out, its
 * table's lock is what blocked the clients (DROP INDEX takes ACCESS EXCLUSIVE on the table).
 */
import type pg from 'pg';
import { TABLE_NAME, USER_TABLE } from './user-tables.ts';

export interface OwnLock {
  /** pg_class oid of the table. */
  oid: number;
  /** Bare in `public`, `schema.table` elsewhere. */
  table: string;
  /** pg_locks.mode, e.g. AccessExclusiveLock. */
  mode: string;
}

// A plain query, no parameters: one round trip, nothing prepared that a migration's
// DISCARD or DEALLOCATE could remove.
const OWN_LOCKS = `
  SELECT DISTINCT l.relation::int AS relation, l.mode, c.oid::int AS oid, CASE WHEN c.oid IS NULL THEN NULL ELSE ${TABLE_NAME} END AS name
    FROM pg_locks l
    LEFT JOIN pg_index i ON i.indexrelid = l.relation AND NOT coalesce(i.xmin = pg_current_xact_id_if_assigned()::xid, false)
    LEFT JOIN (pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace)
      ON c.oid = coalesce(i.indrelid, l.relation) AND ${USER_TABLE}
   WHERE l.pid = pg_backend_pid() AND l.granted AND l.locktype = 'relation'
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

/** The granted table locks of `client`'s transaction; `known` names tables by oid when the catalog no longer does. */
export async function ownTableLocks(client: pg.Client, known: ReadonlyMap<number, string>): Promise<OwnLock[]> {
  const { rows } = await client.query<{ relation: number; mode: string; oid: number | null; name: string | null }>(OWN_LOCKS);
  const locks: OwnLock[] = [];
  for (const { relation, mode, oid, name } of rows) {
    if (oid !== null && name !== null) locks.push({ oid, table: name, mode });
    else if (known.has(relation)) locks.push({ oid: relation, table: known.get(relation)!, mode });
  }
  return locks;
}
