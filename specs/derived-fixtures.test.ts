/**
 * Fixtures derived from a Drizzle schema alone (harness/fixtures/derived/): a schema
 * with every supported column kind loads on a real server with its keys, foreign keys
 * and checks validated there; values follow the types and constraints; the same seed
 * gives the same bytes; foreign keys follow the chosen distribution.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyChunks } from '../harness/fixtures/copy-loader.ts';
import { copyDataset, ensureDataset, type DatasetCopy } from '../harness/fixtures/dataset-cache.ts';
import type { DatasetSource } from '../harness/fixtures/dataset-source.ts';
import { deriveTables, type DeriveOptions } from '../harness/fixtures/derived/derive-tables.ts';
import { PACKAGE_ROOT } from '../harness/package-root.ts';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { generateMigrations } from '../harness/workloads/generate-migrations.ts';
import { schemaTables } from '../harness/workloads/load-workload.ts';

const SCHEMA = join(PACKAGE_ROOT, 'specs', 'schemas');
const tables = await schemaTables(SCHEMA);
const options: Omit<DeriveOptions, 'seed' | 'scale'> = {
  rows: { parents: 50, everything: 2000, pairs: 3000 },
  references: { 'everything.parent_id': { zipf: 1.2 } },
};
const derive = (seed: number) => deriveTables(tables, { ...options, seed, scale: 1 });
const text = (seed: number) => Object.fromEntries(derive(seed).map((t) => [t.table, [...copyChunks(t)].join('')]));

describe('fixtures derived from a Drizzle schema', () => {
  const server = suiteServer();
  let scratch: string;
  let copy: DatasetCopy;
  let client: pg.Client;
  const one = async <T extends pg.QueryResultRow>(sql: string) => (await client.query<T>(sql)).rows[0]!;

  beforeAll(async () => {
    mkdirSync(join(PACKAGE_ROOT, '.schemabench'), { recursive: true });
    scratch = mkdtempSync(join(PACKAGE_ROOT, '.schemabench', 'derived-spec-'));
    await generateMigrations('every-type', { schema: join(SCHEMA, 'every-type.ts'), out: scratch, name: 'every_type' });
    const source: DatasetSource = { name: 'everytype', migrationsFolder: scratch, cacheKeyParts: [], tables: (seed) => derive(seed) };
    const dataset = await ensureDataset(server, { workload: source, scale: 1, seed: server.seed });
    copy = await copyDataset(server, dataset, 'derivedspec');
    client = new pg.Client({ connectionString: copy.uri });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await copy?.drop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('loads every table at its row count, with keys, foreign keys and checks validated by the server', async () => {
    const counts = await one<Record<string, string>>('SELECT (SELECT count(*) FROM parents) p, (SELECT count(*) FROM everything) e, (SELECT count(*) FROM pairs) x');
    expect(counts).toEqual({ p: '50', e: '2000', x: '3000' });
    const constraints = await one<{ n: string }>("SELECT count(*) n FROM pg_constraint WHERE conrelid IN ('parents'::regclass, 'everything'::regclass, 'pairs'::regclass) AND convalidated");
    // 3 primary keys, 4 unique, 4 foreign keys, 3 checks: all back and validated after the load.
    expect(Number(constraints.n)).toBe(14);
  });

  it('honours types, NOT NULL, checks, identity, generated columns and self references', async () => {
    const row = await one<Record<string, string | boolean>>(`SELECT
      min(small) AS small_min, max(small) AS small_max, min(rating) AS rating_min, max(rating) AS rating_max,
      bool_and(kind IN ('a', 'b', 'it''s')) AS kinds, bool_and(twice = small * 2) AS generated,
      max(id) = count(*) AS identity, bool_and(previous_id < id OR previous_id IS NULL) AS backwards,
      count(*) FILTER (WHERE big IS NULL) AS null_big, count(*) FILTER (WHERE previous_id IS NULL) AS null_previous, count(*) FILTER (WHERE jsonb_typeof(docb) = 'object') AS docs,
      count(DISTINCT (SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(docb) k)) AS shapes,
      bool_and(amount < 1000) AS numeric_fits, count(DISTINCT feeling) AS moods, bool_and(email LIKE '%@example.com') AS emails
      FROM everything`);
    expect(row).toMatchObject({ small_min: 10, small_max: 19, rating_min: 1, rating_max: 5, kinds: true, generated: true, identity: true, backwards: true, docs: '2000', numeric_fits: true, moods: '3', emails: true });
    // JSON objects of several shapes, not one set of keys.
    expect(Number(row.shapes)).toBeGreaterThanOrEqual(5);
    // Nullable columns get about 10% NULLs; NOT NULL columns none (the server would have refused).
    expect(Number(row.null_big)).toBeGreaterThan(100);
    expect(Number(row.null_big)).toBeLessThan(320);
    // A nullable foreign key too (here one to the table itself).
    expect(Number(row.null_previous)).toBeGreaterThan(100);
    expect(Number(row.null_previous)).toBeLessThan(320);
    const labels = await one<{ ok: boolean }>('SELECT bool_and(length(code) <= 8 AND length(label) = 3) ok FROM parents');
    expect(labels.ok).toBe(true);
  });

  it('skews a zipf foreign key and spreads a composite key over both parents', async () => {
    const skew = await one<{ top: string }>('SELECT max(n) top FROM (SELECT count(*) n FROM everything GROUP BY parent_id) s');
    // Uniform would give 2000/50 = 40 children to each parent; zipf(1.2) gives the first ~30%.
    expect(Number(skew.top)).toBeGreaterThan(400);
    const spread = await one<{ parents: string; children: string }>('SELECT count(DISTINCT parent_id) parents, count(DISTINCT everything_id) children FROM pairs');
    expect(Number(spread.parents)).toBe(50);
    expect(Number(spread.children)).toBeGreaterThan(1000);
  });

  it('leaves sequences past the loaded keys, so an INSERT gets a free id', async () => {
    const { id } = await one<{ id: number }>("INSERT INTO parents (code, label) VALUES ('new', 'abc') RETURNING id");
    expect(id).toBe(51);
  });

  it('gives the same bytes for the same seed and other bytes for another', () => {
    const a = text(7);
    expect(text(7)).toEqual(a);
    const b = text(8);
    for (const table of Object.keys(a)) expect(b[table], table).not.toEqual(a[table]);
  });
});
