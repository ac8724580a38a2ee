/**
 * Injects a statistics snapshot into a loaded database, so its planner sees production's
 * statistics: PostgreSQL 18's pg_restore_relation_stats (pg_class: relpages, reltuples,
 * relallvisible, relallfrozen) and pg_restore_attribute_stats (pg_statistic: one call per
 * column and inherited flag), on the tables and their indexes. Each call needs the MAINTAIN
 * privilege on the table (its owner has it), not superuser. Before 18 these functions do
 * not exist: the result says so and the database keeps its own statistics.
 *
 * What the planner does not take from the injected statistics (measured in
 * docs/production-statistics.md): the relation's current size. estimate_rel_size scales
 * reltuples/relpages (a density) by the table's CURRENT page count, and a non-partial
 * index's pages and tree height are read from the index itself. So `pages: 'current'`
 * (the default) sets relpages to the table's current page count with production's
 * reltuples: the planner then counts production's rows on the small table. Its page
 * costs would stay the small table's (a seq scan ~30x too cheap against the per-row
 * costs at scale 0.3 for 10), which flips plans toward seq scans; `pageCosts: 'scaled'`
 * (the default) multiplies this database's seq_page_cost and random_page_cost by how many
 * times production's pages outnumber the current ones.
 *
 * Inject after the last ANALYZE: ANALYZE (and a VACUUM, for pg_class) overwrites what was
 * injected. The dataset build ends with VACUUM ANALYZE, so a copy of the dataset is the
 * place; autovacuum must not analyze it afterwards (the benchmark profile turns it off).
 */
import pg from 'pg';
import { sqlstateOf } from '../postgres/sqlstate.ts';
import { formatArrayLiteral } from './array-literal.ts';
import type { ColumnStatistics, IndexStatistics, StatisticsSnapshot, TableStatistics } from './statistics-snapshot.ts';

const INSUFFICIENT_PRIVILEGE = '42501';

/** First major with pg_restore_relation_stats / pg_restore_attribute_stats. */
export const INJECTION_MIN_VERSION = 180000;

export interface InjectOptions {
  /**
   * relpages to inject. 'current': the table's current page count, with production's
   * reltuples, so the planner's density x current pages is production's row count.
   * 'captured': production's relpages as captured (the planner then scales production's
   * density by the small table's pages: about the small table's own row count).
   * @default 'current'
   */
  pages?: 'current' | 'captured';
  /**
   * 'scaled': seq_page_cost and random_page_cost of this database multiplied by the
   * production-to-current page ratio of the tables that are bigger in production (their
   * production pages summed over their current pages summed), with ALTER DATABASE ... SET
   * (every later session of this database; it needs the database's owner) and SET (this
   * one). 'unchanged': the server's page costs. Only with `pages: 'current'`.
   * @default 'scaled'
   */
  pageCosts?: 'scaled' | 'unchanged';
}

export interface InjectedTable {
  table: string;
  /** reltuples and relpages injected. */
  reltuples: number;
  relpages: number;
  columns: number;
  indexes: number;
}

export type InjectionResult =
  | {
      injected: true;
      tables: InjectedTable[];
      skipped: string[];
      warnings: string[];
      /** The page cost settings this database now plans with, when pageCosts is 'scaled'. */
      pageCosts?: { factor: number; seq_page_cost: number; random_page_cost: number };
    }
  | { injected: false; reason: string };

/** Why injection cannot run on this server, or undefined when it can. */
export async function injectionUnavailable(client: pg.Client): Promise<string | undefined> {
  const { rows } = await client.query<{ num: string; version: string }>("SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version");
  const { num, version } = rows[0]!;
  if (Number(num) >= INJECTION_MIN_VERSION) return undefined;
  return `PostgreSQL ${version} has no pg_restore_relation_stats/pg_restore_attribute_stats (added in 18): plans use the loaded dataset's own statistics`;
}

/** pg_restore_*_stats take their arguments as name/value pairs; values typed as the function expects them. */
function pairs(args: [string, unknown, string][]): { sql: string; values: unknown[] } {
  const sql = args.map(([name, , type], i) => `${pg.escapeLiteral(name)}, $${i + 1}::${type}`).join(', ');
  return { sql, values: args.map(([, value]) => value) };
}

async function restoreRelation(client: pg.Client, schema: string, name: string, stats: { relpages: number; reltuples: number; relallvisible: number; relallfrozen?: number }): Promise<boolean> {
  const args: [string, unknown, string][] = [
    ['schemaname', schema, 'text'],
    ['relname', name, 'text'],
    ['relpages', stats.relpages, 'integer'],
    ['reltuples', stats.reltuples, 'real'],
    ['relallvisible', stats.relallvisible, 'integer'],
  ];
  if (stats.relallfrozen !== undefined) args.push(['relallfrozen', stats.relallfrozen, 'integer']);
  const { sql, values } = pairs(args);
  const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_restore_relation_stats(${sql}) AS ok`, values);
  return rows[0]!.ok;
}

const list = (values: string[] | null | undefined) => (values ? formatArrayLiteral(values) : null);

async function restoreColumn(client: pg.Client, table: TableStatistics, c: ColumnStatistics, versionNum: number): Promise<boolean> {
  const candidates: [string, unknown, string][] = [
    ['schemaname', table.schema, 'text'],
    ['relname', table.name, 'text'],
    ['attname', c.name, 'text'],
    ['inherited', c.inherited, 'boolean'],
    // The version the statistics come from: pg_restore_attribute_stats reads older formats by it.
    ['version', versionNum, 'integer'],
    ['null_frac', c.null_frac, 'real'],
    ['avg_width', c.avg_width, 'integer'],
    ['n_distinct', c.n_distinct, 'real'],
    ['most_common_vals', list(c.most_common_vals), 'text'],
    ['most_common_freqs', c.most_common_freqs, 'real[]'],
    ['histogram_bounds', list(c.histogram_bounds), 'text'],
    ['correlation', c.correlation, 'real'],
    ['most_common_elems', list(c.most_common_elems), 'text'],
    ['most_common_elem_freqs', c.most_common_elem_freqs, 'real[]'],
    ['elem_count_histogram', c.elem_count_histogram, 'real[]'],
    ['range_length_histogram', list(c.range_length_histogram), 'text'],
    ['range_empty_frac', c.range_empty_frac, 'real'],
    ['range_bounds_histogram', list(c.range_bounds_histogram), 'text'],
  ];
  // A statistic the snapshot does not have is left out (NULL would be refused as an argument).
  const { sql, values } = pairs(candidates.filter(([, value]) => value !== null && value !== undefined));
  const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_restore_attribute_stats(${sql}) AS ok`, values);
  return rows[0]!.ok;
}

/** Production pages over current pages, summed over the tables that are bigger in production (1 when none is). */
function pageFactor(snapshot: StatisticsSnapshot, sizes: Map<string, CurrentSize>): number {
  let production = 0;
  let current = 0;
  for (const t of snapshot.tables) {
    const size = sizes.get(t.name);
    if (!size || size.pages === 0 || t.relpages <= size.pages) continue;
    production += t.relpages;
    current += size.pages;
  }
  return current ? production / current : 1;
}

/** Multiplies this database's page costs by `factor`, for this session and, when the role owns the database, every later one. */
async function scalePageCosts(client: pg.Client, factor: number, warnings: string[]): Promise<{ factor: number; seq_page_cost: number; random_page_cost: number }> {
  const { rows } = await client.query<{ seq: string; random: string; db: string }>(
    "SELECT current_setting('seq_page_cost') AS seq, current_setting('random_page_cost') AS random, current_database() AS db",
  );
  const costs = { factor, seq_page_cost: Number(rows[0]!.seq) * factor, random_page_cost: Number(rows[0]!.random) * factor };
  for (const name of ['seq_page_cost', 'random_page_cost'] as const) {
    // Numbers computed here, not user text: SET and ALTER DATABASE take no parameters.
    await client.query(`SET ${name} = ${costs[name]}`);
    try {
      await client.query(`ALTER DATABASE ${pg.escapeIdentifier(rows[0]!.db)} SET ${name} = ${costs[name]}`);
    } catch (error) {
      if (sqlstateOf(error) !== INSUFFICIENT_PRIVILEGE) throw error;
      warnings.push(`${name} scaled for this session only: ALTER DATABASE ${rows[0]!.db} SET needs the database's owner`);
    }
  }
  return costs;
}

interface CurrentSize {
  oid: number;
  pages: number;
  indexes: Map<string, number>;
}

/** The table's and its indexes' current page counts, or undefined when the table is not in this database. */
async function currentSize(client: pg.Client, table: TableStatistics): Promise<CurrentSize | undefined> {
  const { rows } = await client.query<{ oid: number; pages: number }>(
    `SELECT c.oid::int AS oid, (pg_relation_size(c.oid) / current_setting('block_size')::int)::int AS pages
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
    [table.schema, table.name],
  );
  if (!rows[0]) return undefined;
  const { rows: indexes } = await client.query<{ name: string; pages: number }>(
    `SELECT c.relname AS name, (pg_relation_size(c.oid) / current_setting('block_size')::int)::int AS pages FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1`,
    [rows[0].oid],
  );
  return { ...rows[0], indexes: new Map(indexes.map((i) => [i.name, i.pages])) };
}

/** relpages/relallvisible/relallfrozen for a relation now `current` pages long: production's visible fractions, at that size. */
function scaledPages(stats: { relpages: number; relallvisible: number; relallfrozen?: number }, current: number) {
  const fraction = (n: number) => (stats.relpages > 0 ? Math.min(current, Math.round((current * n) / stats.relpages)) : 0);
  return { relpages: current, relallvisible: fraction(stats.relallvisible), ...(stats.relallfrozen === undefined ? {} : { relallfrozen: fraction(stats.relallfrozen) }) };
}

async function injectTable(client: pg.Client, table: TableStatistics, size: CurrentSize, versionNum: number, options: Required<InjectOptions>, warnings: string[]): Promise<InjectedTable> {
  const heap = options.pages === 'current' ? { ...scaledPages(table, size.pages), reltuples: table.reltuples } : table;
  if (!(await restoreRelation(client, table.schema, table.name, heap))) warnings.push(`${table.name}: pg_restore_relation_stats did not restore everything`);
  let indexes = 0;
  for (const index of table.indexes as IndexStatistics[]) {
    const pages = size.indexes.get(index.name);
    if (pages === undefined) continue;
    const stats = options.pages === 'current' ? { relpages: pages, relallvisible: 0, reltuples: index.reltuples } : { relpages: index.relpages, relallvisible: 0, reltuples: index.reltuples };
    if (!(await restoreRelation(client, table.schema, index.name, stats))) warnings.push(`${index.name}: pg_restore_relation_stats did not restore everything`);
    indexes++;
  }
  for (const column of table.columns) if (!(await restoreColumn(client, table, column, versionNum))) warnings.push(`${table.name}.${column.name}: pg_restore_attribute_stats did not restore everything`);
  return { table: table.name, reltuples: heap.reltuples, relpages: heap.relpages, columns: table.columns.length, indexes };
}

/**
 * Injects `snapshot` into the database `client` is connected to, in one transaction.
 * Tables of the snapshot the database lacks are listed in `skipped`; the server's
 * warnings (a value it could not read for a column's type, ...) in `warnings`.
 */
export async function injectStatistics(client: pg.Client, snapshot: StatisticsSnapshot, options: InjectOptions = {}): Promise<InjectionResult> {
  const unavailable = await injectionUnavailable(client);
  if (unavailable) return { injected: false, reason: unavailable };
  const resolved: Required<InjectOptions> = { pages: options.pages ?? 'current', pageCosts: options.pageCosts ?? 'scaled' };
  const warnings: string[] = [];
  const notice = (n: { message?: string }) => warnings.push(n.message ?? String(n));
  client.on('notice', notice);
  const tables: InjectedTable[] = [];
  const skipped: string[] = [];
  const sizes = new Map<string, CurrentSize>();
  let pageCosts: { factor: number; seq_page_cost: number; random_page_cost: number } | undefined;
  await client.query('BEGIN');
  try {
    for (const table of snapshot.tables) {
      const size = await currentSize(client, table);
      if (!size) skipped.push(table.name);
      else {
        sizes.set(table.name, size);
        tables.push(await injectTable(client, table, size, snapshot.server.versionNum, resolved, warnings));
      }
    }
    await client.query('COMMIT');
    if (resolved.pages === 'current' && resolved.pageCosts === 'scaled') pageCosts = await scalePageCosts(client, pageFactor(snapshot, sizes), warnings);
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.off('notice', notice);
  }
  return { injected: true, tables, skipped, warnings, ...(pageCosts ? { pageCosts } : {}) };
}
