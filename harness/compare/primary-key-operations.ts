/**
 * What the application does while a migration runs: short reads and writes by primary
 * key, on every user table with a single-column primary key and rows (drizzle's own
 * bookkeeping schema aside), with keys sampled from the rows beforehand. The write
 * sets a column to its own value: it takes what any UPDATE takes — ROW EXCLUSIVE on the
 * table, which every mode from SHARE up blocks, and the row's lock — and leaves the data
 * as it was (foreign-key checks are skipped when a key does not change), so row counts
 * and checksums of the migrated tables stay exact.
 */
import pg from 'pg';
import type { Operation } from '../migrate/application-load.ts';
import { USER_TABLE } from './user-tables.ts';

export interface KeyedTable {
  schema: string;
  table: string;
  key: string;
  /** A column an UPDATE may set (the key itself unless it is GENERATED ALWAYS); null: reads only. */
  writable: string | null;
  /** Sampled key values, as text (PostgreSQL casts the parameter to the key's type). */
  keys: string[];
}

/** Tables with a single-column primary key and rows, each with up to `perTable` (@default 64) sampled keys. */
export async function keyedTables(client: pg.Client, perTable = 64): Promise<KeyedTable[]> {
  const { rows } = await client.query<{ schema: string; table: string; key: string; writable: string | null }>(
    `SELECT n.nspname AS schema, c.relname AS table, k.attname AS key,
            (SELECT a.attname FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                AND a.attgenerated = '' AND a.attidentity <> 'a'
              ORDER BY a.attnum = k.attnum DESC, a.attnum LIMIT 1) AS writable
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute k ON k.attrelid = c.oid AND k.attnum = i.indkey[0]
      WHERE i.indisprimary AND i.indnkeyatts = 1 AND NOT c.relispartition
        AND c.relkind IN ('r', 'p') AND n.nspname <> 'drizzle' AND ${USER_TABLE}
      ORDER BY n.nspname, c.relname`,
  );
  const tables: KeyedTable[] = [];
  for (const t of rows) {
    const id = pg.escapeIdentifier;
    // Seeded, so the same dataset gives the same keys; a top-N sort reads the table once.
    await client.query('SELECT setseed(0.42)');
    const keys = await client.query<{ k: string }>(`SELECT ${id(t.key)}::text AS k FROM ${id(t.schema)}.${id(t.table)} ORDER BY random() LIMIT $1`, [perTable]);
    if (keys.rows.length) tables.push({ ...t, keys: keys.rows.map((r) => r.k) });
  }
  return tables;
}

/**
 * For each table a read and (when it has a writable column) a write, by sampled key.
 * Every client runs the list in order from its own starting point, `clients`
 * (@default 4) spread evenly over it: started together on the same list, they would
 * visit each table at the same moment and leave it unwatched the rest of the cycle.
 */
export function primaryKeyOperations(tables: KeyedTable[], clients = 4): Operation[] {
  const id = pg.escapeIdentifier;
  const all = tables.flatMap((t) => {
    const from = `${id(t.schema)}.${id(t.table)}`;
    const pick = (client: number, i: number) => t.keys[(client * 17 + i) % t.keys.length];
    const read: Operation = (c, client, i) => c.query(`SELECT * FROM ${from} WHERE ${id(t.key)} = $1`, [pick(client, i)]);
    if (t.writable === null) return [read];
    const write: Operation = (c, client, i) => c.query(`UPDATE ${from} SET ${id(t.writable!)} = ${id(t.writable!)} WHERE ${id(t.key)} = $1`, [pick(client, i)]);
    return [read, write];
  });
  const stride = all.length / Math.max(1, clients);
  return all.map((_, k): Operation => (c, client, i) => all[(k + Math.floor(client * stride)) % all.length]!(c, client, i));
}
