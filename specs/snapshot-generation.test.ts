/**
 * Rows generated to match a statistics snapshot (issue 22, part 3), on a real server. A
 * schema with every column kind (specs/schemas/every-type.ts) is built with derived rows
 * as "production", its snapshot captured from the catalogs, then the rows are generated
 * from that snapshot at three times its size, loaded (keys, foreign keys and checks
 * validated by the server), ANALYZEd and captured again: the columns match production's
 * statistics within issue 22's tolerances, exact counts hold (rows, NULLs, a most common
 * value's rows, distinct values), the same seed gives the same bytes, and a redacted
 * snapshot generates with its tokens as the values. Bad input (a snapshot of another
 * workload, a column the schema lacks, a file that is not a snapshot) is one line, exit 2.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTableConfig } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { copyChunks } from '../harness/fixtures/copy-loader.ts';
import { copyDataset, ensureDataset, type DatasetCopy } from '../harness/fixtures/dataset-cache.ts';
import type { DatasetSource } from '../harness/fixtures/dataset-source.ts';
import { deriveTables } from '../harness/fixtures/derived/derive-tables.ts';
import { snapshotTables } from '../harness/fixtures/snapshot/snapshot-tables.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { withConnection } from '../harness/postgres/with-connection.ts';
import { captureStatistics } from '../harness/stats/capture-statistics.ts';
import { compareColumnStatistics } from '../harness/stats/compare-column-statistics.ts';
import { redactSnapshot } from '../harness/stats/redact-snapshot.ts';
import type { ColumnStatistics, StatisticsSnapshot } from '../harness/stats/statistics-snapshot.ts';
import { generateMigrations } from '../harness/workloads/generate-migrations.ts';
import { schemaTables } from '../harness/workloads/load-workload.ts';
import { runCli } from './helpers/run-tsx.ts';

const SCHEMA = join(PACKAGE_ROOT, 'specs', 'schemas');
const tables = await schemaTables(SCHEMA);
const targets = tables.map((t) => {
  const c = getTableConfig(t);
  return { schema: 'public', table: c.name, columns: c.columns.map((x) => x.name) };
});
const PRODUCTION = { parents: 50, everything: 2000, pairs: 3000 };
/** The generated dataset is this many times production's rows. */
const SCALE = 3;

const generate = (snapshot: StatisticsSnapshot, seed: number, scale = SCALE) => snapshotTables(tables, { seed, scale, snapshot }).fixtures;
const text = (snapshot: StatisticsSnapshot, seed: number) => Object.fromEntries(generate(snapshot, seed).map((t) => [t.table, [...copyChunks(t)].join('')]));
const columnOf = (s: StatisticsSnapshot, table: string, column: string): ColumnStatistics => s.tables.find((t) => t.name === table)!.columns.find((c) => c.name === column)!;

describe('rows generated from a statistics snapshot', () => {
  const server = suiteServer();
  let scratch: string;
  let migrations: string;
  let production: StatisticsSnapshot;
  let generated: StatisticsSnapshot;
  let copy: DatasetCopy;
  const copies: DatasetCopy[] = [];
  const source = (name: string, tablesOf: DatasetSource['tables']): DatasetSource => ({ name, migrationsFolder: migrations, cacheKeyParts: [name], tables: tablesOf });
  const capture = (uri: string) => withConnection(uri, async (c) => (await captureStatistics(c, 'everytype', targets)).snapshot);
  const built = async (name: string, tablesOf: DatasetSource['tables']) => {
    const made = await copyDataset(server, await ensureDataset(server, { workload: source(name, tablesOf), scale: 1, seed: server.seed }), name);
    copies.push(made);
    return made;
  };

  beforeAll(async () => {
    mkdirSync(join(PACKAGE_ROOT, '.schemabench'), { recursive: true });
    scratch = mkdtempSync(join(PACKAGE_ROOT, '.schemabench', 'snapshot-spec-'));
    migrations = join(scratch, 'migrations');
    await generateMigrations('every-type', { schema: join(SCHEMA, 'every-type.ts'), out: migrations, name: 'every_type' });
    const prod = await built('snapprod', (seed) => deriveTables(tables, { seed, scale: 1, rows: PRODUCTION, references: { 'everything.parent_id': { zipf: 1.2 } } }));
    production = await capture(prod.uri);
    copy = await built('snapgen', (seed) => generate(production, seed));
    generated = await capture(copy.uri);
  }, 120_000);
  afterAll(async () => {
    for (const c of copies) await c.drop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const one = <T extends pg.QueryResultRow>(sql: string) => withConnection(copy.uri, async (c) => (await c.query<T>(sql)).rows[0]!);

  it("loads at the snapshot's row counts times the scale, keys, foreign keys and checks validated by the server", async () => {
    expect(generated.tables.map((t) => [t.name, t.reltuples])).toEqual([
      ['parents', PRODUCTION.parents * SCALE],
      ['everything', PRODUCTION.everything * SCALE],
      ['pairs', PRODUCTION.pairs * SCALE],
    ]);
    const constraints = await one<{ n: string }>("SELECT count(*) n FROM pg_constraint WHERE conrelid IN ('parents'::regclass, 'everything'::regclass, 'pairs'::regclass) AND convalidated");
    expect(Number(constraints.n)).toBe(14);
  });

  it("matches production's column statistics within issue 22's tolerances", () => {
    const r = compareColumnStatistics(production, generated);
    const misses = r.columns.filter((c) => c.misses.length).map((c) => `${c.table}.${c.column}: ${c.misses.join('; ')}`);
    console.log(`every-type generated from its snapshot at ${SCALE}x: ${r.within} of ${r.columns.length} columns within all tolerances${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`);
    expect(r.missing).toEqual([]);
    expect(r.within / r.columns.length).toBeGreaterThanOrEqual(0.95);
  });

  it('holds exact counts: NULLs, a most common value, distinct values', async () => {
    const rows = PRODUCTION.everything * SCALE;
    const ratio = columnOf(production, 'everything', 'ratio');
    const feeling = columnOf(production, 'everything', 'feeling');
    const [calm, calmFreq] = [feeling.most_common_vals![0]!, feeling.most_common_freqs![0]!];
    const counts = await one<{ nulls: string; calm: string; ratings: string; parents: string; codes: string }>(
      `SELECT count(*) FILTER (WHERE ratio IS NULL) nulls, count(*) FILTER (WHERE feeling = '${calm}') calm, count(DISTINCT rating) ratings,
              count(DISTINCT parent_id) parents, (SELECT count(DISTINCT code) FROM parents) codes FROM everything`,
    );
    // Each is the snapshot's fraction of the rows, rounded once: no sampling noise.
    expect(Number(counts.nulls)).toBe(Math.round(ratio.null_frac * rows));
    expect(Number(counts.calm)).toBe(Math.round(calmFreq * rows));
    expect(Number(counts.ratings)).toBe(columnOf(production, 'everything', 'rating').n_distinct);
    expect(Number(counts.parents)).toBe(columnOf(production, 'everything', 'parent_id').n_distinct);
    expect(Number(counts.codes)).toBe(PRODUCTION.parents * SCALE);
  });

  it('is deterministic: the same seed gives the same bytes, another seed other rows', () => {
    const a = text(production, 7);
    expect(text(production, 7)).toEqual(a);
    expect(text(production, 8).everything).not.toBe(a.everything);
  });

  it('generates from a redacted snapshot: its tokens are the values, at their frequencies; a check constraint\'s list wins over tokens', async () => {
    const text = ['kind', 'email', 'code', 'label', 'note', 'tags'];
    const kinds = new Map(targets.flatMap((t) => t.columns.map((c) => [`${t.table}.${c}`, { kind: text.includes(c) ? ('text' as const) : c.startsWith('doc') ? ('opaque' as const) : ('keep' as const), collate: null }])));
    const redacted = redactSnapshot(production, kinds).snapshot;
    const made = await built('snapredacted', (seed) => generate(redacted, seed, 1));
    const rows = PRODUCTION.everything;
    const tags = columnOf(redacted, 'everything', 'tags');
    const at = tags.most_common_vals!.findIndex((v) => v !== '{}');
    expect(tags.most_common_vals![at]).not.toBe(columnOf(production, 'everything', 'tags').most_common_vals![at]);
    const kind = columnOf(production, 'everything', 'kind');
    const [tagged, kinds_] = await withConnection(made.uri, async (c) => [
      (await c.query<{ n: string }>('SELECT count(*) n FROM everything WHERE tags = $1::text[]', [tags.most_common_vals![at]])).rows[0]!.n,
      (await c.query<{ kind: string; n: string }>('SELECT kind, count(*) n FROM everything GROUP BY kind')).rows,
    ]);
    // A tokenized array is written as it is, on its share of the rows.
    expect(Number(tagged)).toBe(Math.round(tags.most_common_freqs![at]! * rows));
    // kind IN ('a', 'b', 'it''s'): the tokens stand for the listed values in the same order, at production's frequencies.
    expect(Object.fromEntries((kinds_ as { kind: string; n: string }[]).map((r) => [r.kind, Number(r.n)]))).toEqual(Object.fromEntries(kind.most_common_vals!.map((v, i) => [v, Math.round(kind.most_common_freqs![i]! * rows)])));
  });
});

describe('bad input to fixtures --stats: one line, exit 2', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(PACKAGE_ROOT, '.schemabench', 'snapshot-input-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const stats = async (document: unknown) => {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, typeof document === 'string' ? document : JSON.stringify(document));
    const r = await runCli(['fixtures', '--workload', 'shop', '--stats', file, '--provider', 'embedded']);
    return { ...r, file };
  };
  const shop = (): StatisticsSnapshot => ({
    format: 'schemabench-statistics', formatVersion: 1, workload: 'shop', capturedAt: '2026-12-06T00:00:00.000Z', server: { version: '18.4', versionNum: 180004 }, redaction: null,
    tables: [{
      schema: 'public', name: 'products', reltuples: 10, relpages: 1, relallvisible: 1, bytes: { table: 8192, toast: 0, indexes: 16384, total: 24576 }, indexes: [], extended: [],
      columns: [{ name: 'title', type: 'text', collation: 'default', inherited: false, null_frac: 0, avg_width: 8, n_distinct: -1, most_common_vals: null, most_common_freqs: null, histogram_bounds: ['a', 'z'], correlation: 0.1, most_common_elems: null, most_common_elem_freqs: null, elem_count_histogram: null }],
    }],
  });

  it.each([
    ['a snapshot of another workload', { ...shop(), workload: 'receipts' }, 'a statistics snapshot of workload receipts, not shop'],
    ['a column the schema lacks', (() => { const s = shop(); s.tables[0]!.columns[0]!.name = 'nickname'; return s; })(), 'column products.nickname not in schema/shop/'],
    ['a table the schema lacks', (() => { const s = shop(); s.tables[0]!.name = 'wishlists'; return s; })(), 'table wishlists not in schema/shop/'],
    ['a file that is not JSON', 'nope', 'not valid JSON, expected a statistics snapshot'],
    ['an invalid snapshot', { ...shop(), tables: [{ name: 'products' }] }, 'invalid statistics snapshot at tables[0]'],
  ])('%s', async (_what, document, message) => {
    const r = await stats(document);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(`${r.file}: ${message}`)]);
    expect(r.stdout).toBe('');
  });
});
