/**
 * "Which insert method?" as one comparison: the same rows written into an empty twin of
 * a table (`CREATE TABLE ... (LIKE t INCLUDING ALL)`: its defaults, checks, identity and
 * indexes, not its foreign keys) by two methods, the twin emptied untimed before every
 * iteration. The rows are the table's own first `rows` rows, read once as text.
 *
 *   row-by-row  one INSERT per row, all in one transaction (what a loop over an ORM's
 *               insert does; autocommit would add a commit per row)
 *   multi-row   INSERT ... VALUES (...), (...), as few statements as the 65,535
 *               parameters of the protocol allow, in one transaction
 *   copy        COPY ... FROM STDIN (text format)
 *
 * Identity columns take the rows' values (OVERRIDING SYSTEM VALUE; COPY does so by
 * itself); generated columns are computed. The speedup's bar is `calibrated()` unless given.
 * `verify` checks, before timing, that one iteration of each method leaves every row in the twin.
 */
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COPY_NULL, copyEscape } from '../../fixtures/copy-text.ts';
import { defineCase, type BenchmarkCase, type CaseContext } from '../benchmark-case.ts';
import { calibrated } from '../calibrated-bar.ts';
import type { ComparisonSpec } from '../run-comparison.ts';
import type { Bar } from '../../results/calibration-file.ts';

export const INSERT_METHODS = ['row-by-row', 'multi-row', 'copy'] as const;
export type InsertMethod = (typeof INSERT_METHODS)[number];

export interface InsertQuestion {
  /** Stable id, `workload/topic/question`, e.g. 'shop/orders/insert'. */
  name: string;
  /** The table whose rows are written (into an empty twin of it). */
  table: string;
  /** Rows per iteration, the table's first by its physical order (all of them when it has fewer). @default 1000 */
  rows?: number;
  /** The method expected to be slower, and the one expected to be faster. */
  baseline: InsertMethod;
  candidate: InsertMethod;
  /** The bar of the speedup. @default calibrated() */
  atLeast?: Bar;
}

/** What a case writes: the twin's quoted name, its column list and the rows as text (null: NULL). */
interface Batch {
  twin: string;
  columns: string;
  rows: (string | null)[][];
}

/** Protocol limit on parameters per statement (a 16-bit count). */
const MAX_PARAMETERS = 65_535;

async function prepareBatch(client: pg.Client, table: string, method: InsertMethod, rows: number): Promise<Batch> {
  const twin = pg.escapeIdentifier(`${table}_${method.replace('-', '_')}_twin`.slice(0, 63));
  const source = pg.escapeIdentifier(table);
  // Generated columns cannot be written; dropped columns are not columns.
  const { rows: cols } = await client.query<{ name: string }>(
    "SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
    [source],
  );
  const columns = cols.map((c) => pg.escapeIdentifier(c.name)).join(', ');
  await client.query(`CREATE TABLE IF NOT EXISTS ${twin} (LIKE ${source} INCLUDING ALL)`);
  const read = await client.query({ text: `SELECT ${cols.map((c) => `${pg.escapeIdentifier(c.name)}::text`).join(', ')} FROM ${source} LIMIT $1`, values: [rows], rowMode: 'array' });
  if (!read.rows.length) throw new Error(`${table} has no rows to write`);
  return { twin, columns, rows: read.rows as (string | null)[][] };
}

async function write(client: pg.Client, method: InsertMethod, batch: Batch): Promise<number> {
  const { twin, columns, rows } = batch;
  const width = rows[0]!.length;
  if (method === 'copy') {
    const stream = client.query(copyFrom(`COPY ${twin} (${columns}) FROM STDIN`));
    stream.end(rows.map((row) => row.map((v) => (v === null ? COPY_NULL : copyEscape(v))).join('\t')).join('\n') + '\n');
    await finished(stream);
    return rows.length;
  }
  const perStatement = method === 'row-by-row' ? 1 : Math.floor(MAX_PARAMETERS / width);
  await client.query('BEGIN');
  try {
    for (let at = 0; at < rows.length; at += perStatement) {
      const chunk = rows.slice(at, at + perStatement);
      const tuples = chunk.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
      await client.query(`INSERT INTO ${twin} (${columns}) OVERRIDING SYSTEM VALUE VALUES ${tuples}`, chunk.flat());
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  return rows.length;
}

function insertCase(question: InsertQuestion, method: InsertMethod): BenchmarkCase {
  const rows = question.rows ?? 1000;
  const batches = new WeakMap<pg.Client, Batch>();
  const batch = (ctx: CaseContext) => batches.get(ctx.client)!;
  const empty = (ctx: CaseContext) => ctx.client.query(`TRUNCATE ${batch(ctx).twin}`).then(() => undefined);
  return defineCase({
    name: question.name,
    variant: method,
    params: { table: question.table, rows },
    setup: async (ctx) => void batches.set(ctx.client, await prepareBatch(ctx.client, question.table, method, rows)),
    beforeEach: empty,
    async verify(ctx) {
      await empty(ctx);
      await write(ctx.client, method, batch(ctx));
      const { rows: counted } = await ctx.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${batch(ctx).twin}`);
      if (counted[0]!.n !== batch(ctx).rows.length) throw new Error(`${method} wrote ${counted[0]!.n} rows, expected ${batch(ctx).rows.length}`);
    },
    run: (ctx) => write(ctx.client, method, batch(ctx)),
    teardown: async (ctx) => {
      if (batches.has(ctx.client)) await ctx.client.query(`DROP TABLE IF EXISTS ${batch(ctx).twin}`);
    },
  });
}

export function insertMethods(question: InsertQuestion): ComparisonSpec {
  if (question.baseline === question.candidate) throw new RangeError(`insertMethods ${question.name}: baseline and candidate are both ${question.baseline}`);
  for (const m of [question.baseline, question.candidate]) if (!INSERT_METHODS.includes(m)) throw new RangeError(`insertMethods ${question.name}: method must be one of ${INSERT_METHODS.join(', ')} (got ${JSON.stringify(m)})`);
  return {
    baseline: insertCase(question, question.baseline),
    candidate: insertCase(question, question.candidate),
    atLeast: question.atLeast ?? calibrated(),
    sameAnswer: false,
    // An iteration writes `rows` rows: fewer, longer iterations per round than a query's.
    measure: { warmupIterations: 1 },
  };
}
