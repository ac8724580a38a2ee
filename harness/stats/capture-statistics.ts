/**
 * Reads a statistics snapshot of some tables from a server's catalogs: pg_class (row and
 * page counts), the size functions, pg_stats and pg_stats_ext. No row of a table is read.
 *
 * What a role sees, PostgreSQL's rules (docs/production-statistics.md, "Privileges"):
 * pg_class, pg_attribute, pg_statistic_ext and the size functions are readable by every
 * role; pg_stats shows a column's row only to a role that may SELECT that column (and
 * none while row-level security is active for it); pg_stats_ext shows an object's data
 * only to the table's owner (or a member of the owning role); pg_statistic itself needs
 * superuser. Every check runs before anything is captured, and every problem is one
 * UsageError naming all the tables or columns it concerns.
 */
import type pg from 'pg';
import { UsageError } from '../errors.ts';
import {
  STATISTICS_SNAPSHOT_FORMAT,
  STATISTICS_SNAPSHOT_VERSION,
  columnKey,
  type ColumnStatistics,
  type ExtendedStatistics,
  type IndexStatistics,
  type StatisticsSnapshot,
  type TableStatistics,
} from './statistics-snapshot.ts';

/** A table of the workload's schema, with the columns the schema declares. */
export interface CaptureTarget {
  schema: string;
  table: string;
  columns: string[];
}

/**
 * How `--redact` treats a column's values: `text` (string types, their domains and
 * arrays: replaced by tokens), `opaque` (json, jsonb, xml, bytea, network addresses and
 * other free-form types: removed), `keep` (numbers, dates, booleans, enums, uuid, ...).
 */
export type ValueKind = 'text' | 'opaque' | 'keep';

export interface CapturedStatistics {
  snapshot: StatisticsSnapshot;
  /** columnKey -> how its values are redacted, and the column's collation as a COLLATE operand. */
  columns: Map<string, { kind: ValueKind; collate: string | null }>;
}

interface RelationRow {
  target: CaptureTarget;
  oid: number;
  relkind: string;
  reltuples: number;
  relpages: number;
  relallvisible: number;
  relallfrozen: number | null;
  rls: boolean;
}

interface AttributeRow {
  name: string;
  type: string;
  collation: string | null;
  collate: string | null;
  category: string;
  typname: string;
  readable: boolean;
}

/** A table as messages name it: its schema only when not public (as columnKey names columns). */
const qualified = (t: { schema: string; table: string }) => (t.schema === 'public' ? t.table : `${t.schema}.${t.table}`);
const listed = (names: string[]) => (names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', '));

async function relations(client: pg.Client, targets: CaptureTarget[], versionNum: number): Promise<RelationRow[]> {
  const frozen = versionNum >= 180000 ? 'c.relallfrozen' : 'NULL::integer';
  const found: RelationRow[] = [];
  const missing: string[] = [];
  const notTables: string[] = [];
  for (const target of targets) {
    const { rows } = await client.query<Omit<RelationRow, 'target'>>(
      `SELECT c.oid::int AS oid, c.relkind::text AS relkind, c.reltuples, c.relpages, c.relallvisible, ${frozen} AS relallfrozen,
              c.relrowsecurity AND row_security_active(c.oid) AS rls
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2`,
      [target.schema, target.table],
    );
    const row = rows[0];
    if (!row) missing.push(qualified(target));
    else if (row.relkind !== 'r' && row.relkind !== 'p') notTables.push(`${qualified(target)} (relkind ${row.relkind})`);
    else found.push({ target, ...row });
  }
  if (missing.length) throw new UsageError(`no such table on the server: ${listed(missing)} (is DATABASE_URL the production database, and are its migrations applied?)`);
  if (notTables.length) throw new UsageError(`not a table on the server: ${listed(notTables)}`);
  return found;
}

async function attributes(client: pg.Client, relation: RelationRow): Promise<Map<string, AttributeRow>> {
  // typcategory of the base type (a domain over text is text), of the element for arrays.
  const { rows } = await client.query<AttributeRow>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            co.collname AS collation,
            CASE WHEN co.oid IS NULL THEN NULL ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS collate,
            coalesce(e.typcategory, b.typcategory)::text AS category, coalesce(e.typname, b.typname) AS typname,
            has_column_privilege(a.attrelid, a.attnum, 'SELECT') AS readable
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
       LEFT JOIN pg_type e ON e.oid = b.typelem AND b.typcategory = 'A'
       LEFT JOIN pg_collation co ON co.oid = a.attcollation
       LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
      WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped`,
    [relation.oid],
  );
  return new Map(rows.map((r) => [r.name, r]));
}

const OPAQUE_TYPES = new Set(['json', 'jsonb', 'xml', 'bytea', 'tsvector', 'tsquery']);

function valueKind(a: AttributeRow): ValueKind {
  if (a.category === 'S') return 'text';
  if (a.category === 'I' || OPAQUE_TYPES.has(a.typname) || (a.category === 'U' && a.typname !== 'uuid')) return 'opaque';
  return 'keep';
}

/** Every column the schema declares exists on the server and its statistics are visible to this role. */
function checkColumns(found: RelationRow[], attrs: Map<number, Map<string, AttributeRow>>, role: string): void {
  const absent: string[] = [];
  const hidden: string[] = [];
  const secured: string[] = [];
  for (const r of found) {
    const columns = attrs.get(r.oid)!;
    if (r.rls) secured.push(qualified(r.target));
    for (const name of r.target.columns) {
      const a = columns.get(name);
      if (!a) absent.push(columnKey(r.target.schema, r.target.table, name));
      else if (!a.readable) hidden.push(columnKey(r.target.schema, r.target.table, name));
    }
  }
  if (absent.length) throw new UsageError(`the server is older than schema/: no column ${listed(absent)} there (apply the migrations, or capture from a server that has them)`);
  if (hidden.length) {
    throw new UsageError(
      `role ${role} may not see the statistics of ${listed(hidden)}: pg_stats shows a column only to roles that may SELECT it (GRANT SELECT on those tables, or pg_read_all_data)`,
    );
  }
  if (secured.length) throw new UsageError(`row-level security hides the statistics of ${listed(secured)} from role ${role} (pg_stats shows none while it is active): use a role with BYPASSRLS or the table's owner`);
}

/** A pg_stats row as the query below returns it. */
interface StatsRow {
  name: string;
  inherited: boolean;
  null_frac: number;
  avg_width: number;
  n_distinct: number;
  correlation: number | null;
  most_common_vals: string[] | null;
  most_common_freqs: number[] | null;
  histogram_bounds: string[] | null;
  most_common_elems: string[] | null;
  most_common_elem_freqs: number[] | null;
  elem_count_histogram: number[] | null;
  range_length_histogram?: string[] | null;
  range_empty_frac?: number | null;
  range_bounds_histogram?: string[] | null;
}

// float4 as the server prints it (shortest exact form): a cast to float8 would print binary noise (-0.5397999882698059).
const NUMBERS = 'null_frac, avg_width, n_distinct, correlation';
/** anyarray -> text -> text[]: each element's text output, whatever the column's type (an array column's values are arrays). */
const VALUES = (c: string) => `to_json(${c}::text::text[]) AS ${c}`;

async function columnStatistics(client: pg.Client, r: RelationRow, attrs: Map<string, AttributeRow>, versionNum: number): Promise<ColumnStatistics[]> {
  const ranges = versionNum >= 170000 ? `, ${VALUES('range_length_histogram')}, range_empty_frac, ${VALUES('range_bounds_histogram')}` : '';
  const { rows } = await client.query<StatsRow>(
    `SELECT attname AS name, inherited, ${NUMBERS}, ${VALUES('most_common_vals')}, most_common_freqs, ${VALUES('histogram_bounds')},
            ${VALUES('most_common_elems')}, most_common_elem_freqs, elem_count_histogram${ranges}
       FROM pg_stats WHERE schemaname = $1 AND tablename = $2 AND attname = ANY($3::text[])`,
    [r.target.schema, r.target.table, r.target.columns],
  );
  const order = new Map(r.target.columns.map((c, i) => [c, i]));
  return rows
    .map(({ range_length_histogram, range_empty_frac, range_bounds_histogram, ...row }) => {
      const a = attrs.get(row.name)!;
      // Range histograms only where the column is a range (pg_stats has them, null elsewhere, from 17).
      const range = range_bounds_histogram || range_length_histogram ? { range_length_histogram, range_empty_frac, range_bounds_histogram } : {};
      return { ...row, type: a.type, collation: a.collation, ...range };
    })
    .sort((x, y) => order.get(x.name)! - order.get(y.name)! || Number(x.inherited) - Number(y.inherited));
}

/** Tables that were never analyzed, or whose columns have no statistics: capture would write nothing useful. */
function checkAnalyzed(found: RelationRow[], columns: Map<number, ColumnStatistics[]>): void {
  const never: string[] = [];
  const partial: string[] = [];
  for (const r of found) {
    if (r.reltuples < 0) {
      never.push(qualified(r.target));
      continue;
    }
    // An analyzed empty table has no pg_stats rows (ANALYZE stores none without rows).
    if (r.reltuples === 0 && r.relkind === 'r') continue;
    const have = new Set(columns.get(r.oid)!.map((c) => c.name));
    const without = r.target.columns.filter((c) => !have.has(c));
    if (without.length) partial.push(...without.map((c) => columnKey(r.target.schema, r.target.table, c)));
  }
  if (never.length) throw new UsageError(`never analyzed, no statistics to capture: ${listed(never)} (run ANALYZE on the server first)`);
  if (partial.length) throw new UsageError(`no statistics for ${listed(partial)} (a column added after the last ANALYZE, or a table only vacuumed: run ANALYZE on the server first)`);
}

async function indexes(client: pg.Client, r: RelationRow): Promise<IndexStatistics[]> {
  const { rows } = await client.query<IndexStatistics>(
    `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS definition, c.relpages, c.reltuples, pg_relation_size(c.oid)::float8 AS bytes
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1 ORDER BY c.relname`,
    [r.oid],
  );
  return rows;
}

async function sizes(client: pg.Client, r: RelationRow): Promise<TableStatistics['bytes']> {
  const { rows } = await client.query<TableStatistics['bytes']>(
    `SELECT pg_relation_size(c.oid)::float8 AS table, coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0)::float8 AS toast,
            pg_indexes_size(c.oid)::float8 AS indexes, pg_total_relation_size(c.oid)::float8 AS total
       FROM pg_class c WHERE c.oid = $1`,
    [r.oid],
  );
  return rows[0]!;
}

async function extendedStatistics(client: pg.Client, r: RelationRow, versionNum: number): Promise<ExtendedStatistics[]> {
  const { rows: objects } = await client.query<{ oid: number; schema: string; name: string; columns: string[]; expressions: string[] | null; kinds: string[] }>(
    `SELECT s.oid::int AS oid, n.nspname AS schema, s.stxname AS name,
            array(SELECT a.attname FROM unnest(s.stxkeys::int2[]) WITH ORDINALITY k(attnum, i) JOIN pg_attribute a ON a.attrelid = s.stxrelid AND a.attnum = k.attnum ORDER BY k.i)::text[] AS columns,
            pg_get_statisticsobjdef_expressions(s.oid) AS expressions, s.stxkind::text[] AS kinds
       FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace WHERE s.stxrelid = $1 ORDER BY s.stxname`,
    [r.oid],
  );
  const inherited = versionNum >= 150000 ? 'inherited' : 'false AS inherited';
  const out: ExtendedStatistics[] = [];
  for (const o of objects) {
    // pg_stats_ext shows an object's data only to the table's owner: no row here means not visible (or not yet analyzed).
    const { rows: data } = await client.query(
      `SELECT ${inherited}, n_distinct::text AS n_distinct, dependencies::text AS dependencies, to_json(most_common_vals) AS most_common_vals,
              to_json(most_common_val_nulls) AS most_common_val_nulls, most_common_freqs, most_common_base_freqs
         FROM pg_stats_ext WHERE statistics_schemaname = $1 AND statistics_name = $2 ORDER BY 1`,
      [o.schema, o.name],
    );
    const visible = data.length > 0;
    if (visible && o.expressions?.length) {
      const { rows: exprs } = await client.query(
        `SELECT ${inherited}, expr AS expression, ${NUMBERS}, ${VALUES('most_common_vals')}, most_common_freqs, ${VALUES('histogram_bounds')}
           FROM pg_stats_ext_exprs WHERE statistics_schemaname = $1 AND statistics_name = $2`,
        [o.schema, o.name],
      );
      for (const d of data) d.expressions = exprs.filter((e) => e.inherited === d.inherited).map(({ inherited: _, ...e }) => e);
    }
    out.push({
      schema: o.schema,
      name: o.name,
      columns: o.columns,
      expressions: o.expressions ?? [],
      kinds: o.kinds as ExtendedStatistics['kinds'],
      data: visible ? data : null,
    });
  }
  return out;
}

/** The snapshot of `targets` on the server `client` is connected to; every check first, then the catalogs. */
export async function captureStatistics(client: pg.Client, workload: string, targets: CaptureTarget[]): Promise<CapturedStatistics> {
  const { rows } = await client.query<{ version: string; num: string; role: string; now: Date }>(
    "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num, current_user AS role, now() AS now",
  );
  const server = rows[0]!;
  const versionNum = Number(server.num);
  // pg_get_statisticsobjdef_expressions and pg_stats_ext_exprs: 14 (the oldest major schemabench runs).
  if (versionNum < 140000) throw new UsageError(`stats capture reads PostgreSQL 14 or later; this server is ${server.version}`);
  // One snapshot of the catalogs: every query sees the same statistics.
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const found = await relations(client, targets, versionNum);
    const attrs = new Map<number, Map<string, AttributeRow>>();
    for (const r of found) attrs.set(r.oid, await attributes(client, r));
    checkColumns(found, attrs, server.role);
    const columns = new Map<number, ColumnStatistics[]>();
    for (const r of found) columns.set(r.oid, await columnStatistics(client, r, attrs.get(r.oid)!, versionNum));
    checkAnalyzed(found, columns);

    const tables: TableStatistics[] = [];
    const kinds: CapturedStatistics['columns'] = new Map();
    for (const r of found) {
      for (const name of r.target.columns) {
        const a = attrs.get(r.oid)!.get(name)!;
        kinds.set(columnKey(r.target.schema, r.target.table, name), { kind: valueKind(a), collate: a.collate });
      }
      tables.push({
        schema: r.target.schema,
        name: r.target.table,
        reltuples: r.reltuples,
        relpages: r.relpages,
        relallvisible: r.relallvisible,
        ...(r.relallfrozen === null ? {} : { relallfrozen: r.relallfrozen }),
        bytes: await sizes(client, r),
        indexes: await indexes(client, r),
        columns: columns.get(r.oid)!,
        extended: await extendedStatistics(client, r, versionNum),
      });
    }
    const snapshot: StatisticsSnapshot = {
      format: STATISTICS_SNAPSHOT_FORMAT,
      formatVersion: STATISTICS_SNAPSHOT_VERSION,
      workload,
      capturedAt: new Date(server.now).toISOString(),
      server: { version: server.version, versionNum },
      redaction: null,
      tables,
    };
    return { snapshot, columns: kinds };
  } finally {
    await client.query('ROLLBACK');
  }
}
