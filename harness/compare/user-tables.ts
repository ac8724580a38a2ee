/**
 * The database's own tables as the catalog describes them before and after a migration:
 * ordinary and partitioned tables and materialized views outside the system schemas
 * (pg_catalog, information_schema, TOAST, other sessions' temporary schemas). Each with
 * its relfilenode — the file that holds its rows: a command that rewrites the table
 * (ALTER TABLE with a volatile default or a type change, VACUUM FULL, CLUSTER, TRUNCATE,
 * REFRESH MATERIALIZED VIEW) writes a new file and gives it a new number — and its exact
 * row count.
 */
import pg from 'pg';

/** Condition on `n` (pg_namespace) and `c` (pg_class) that keeps the user's tables. */
export const USER_TABLE = `c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'`;

/** How a table is named in reports: bare in `public`, schema-qualified elsewhere (plain text, not SQL). */
export const TABLE_NAME = `CASE WHEN n.nspname = 'public' THEN c.relname::text ELSE n.nspname || '.' || c.relname END`;

export interface UserTable {
  oid: number;
  /** Bare in `public`, `schema.table` elsewhere. */
  name: string;
  schema: string;
  relname: string;
  /** pg_class.relfilenode (0 for a partitioned table: it has no storage of its own). */
  relfilenode: string;
  /** Exact count(*) (a partitioned table counts its partitions' rows; an unpopulated view 0). */
  rows: number;
}

/** Every user table with its relfilenode and, when `count` (@default true), its exact row count. */
export async function userTables(client: pg.Client, count = true): Promise<UserTable[]> {
  const { rows } = await client.query<{ oid: number; name: string; schema: string; relname: string; relfilenode: string; populated: boolean }>(
    `SELECT c.oid::int AS oid, ${TABLE_NAME} AS name, n.nspname AS schema, c.relname, c.relfilenode::text AS relfilenode, c.relispopulated AS populated
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_TABLE}
      ORDER BY 2`,
  );
  const tables: UserTable[] = [];
  for (const { populated, ...table } of rows) {
    let n = 0;
    // A materialized view created WITH NO DATA cannot be scanned until it is refreshed.
    if (count && populated) {
      const q = `SELECT count(*)::text AS n FROM ${pg.escapeIdentifier(table.schema)}.${pg.escapeIdentifier(table.relname)}`;
      n = Number((await client.query<{ n: string }>(q)).rows[0]!.n);
    }
    tables.push({ ...table, rows: n });
  }
  return tables;
}
