/**
 * The receipts dataset: deterministic across processes, exact counts at any scale,
 * every foreign key valid, the seed's distributions, and the database holding
 * exactly the bytes the generator produced.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDataset, ensureDataset, type Dataset, type DatasetCopy } from '../harness/fixtures/dataset-cache.ts';
import { suiteServer } from '../harness/vitest/suite-server.ts';
import { countsFor } from '../fixtures/receipts/receipts-generator.ts';
import { receiptsWorkload } from '../fixtures/receipts/receipts-workload.ts';
import { collect, spawnTsx } from './helpers/run-tsx.ts';

async function checksumsInChildProcess(seed: number, scale: number): Promise<Record<string, string>> {
  const result = await collect(spawnTsx('specs/helpers/print-checksums.ts', ['receipts', String(seed), String(scale)]));
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, string>;
}

describe('receipts fixtures: determinism', () => {
  it('same seed and scale give the same bytes in two processes; another seed gives other facts', async () => {
    const [a, b, other] = await Promise.all([
      checksumsInChildProcess(7, 0.05),
      checksumsInChildProcess(7, 0.05),
      checksumsInChildProcess(8, 0.05),
    ]);
    expect(Object.keys(a)).toHaveLength(11);
    expect(b).toEqual(a);
    for (const table of ['receipts', 'receipts_wide', 'legacy_receipts', 'inventory', 'market_valuations', 'asset_movements', 'job_sites']) {
      expect(other[table], table).not.toBe(a[table]);
    }
    // The fixed catalog does not depend on the seed.
    expect(other.vendors).toBe(a.vendors);
  });
});

describe.each([0.01, 0.1])('receipts dataset at scale %s', (scale) => {
  const server = suiteServer();
  let dataset: Dataset;
  let copy: DatasetCopy;
  let client: pg.Client;
  const q = async <T extends pg.QueryResultRow>(sql: string) => (await client.query<T>(sql)).rows;

  beforeAll(async () => {
    dataset = await ensureDataset(server, { workload: receiptsWorkload, scale, seed: server.seed });
    copy = await copyDataset(server, dataset, 'fixturespec');
    client = new pg.Client({ connectionString: copy.uri });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await copy?.drop();
  });

  it('has exactly the counts of the scale', async () => {
    const expected = countsFor(scale);
    const [row] = await q<Record<string, string>>(`SELECT
      (SELECT count(*) FROM receipts) AS receipts, (SELECT count(*) FROM receipts_wide) AS wide,
      (SELECT count(*) FROM inventory) AS inventory, (SELECT count(*) FROM market_valuations) AS valuations,
      (SELECT count(*) FROM asset_movements) AS movements, (SELECT count(*) FROM vendors) AS vendors,
      (SELECT count(*) FROM products) AS products, (SELECT count(*) FROM dim_date) AS days`);
    expect(row).toEqual({
      receipts: String(expected.receipts),
      wide: String(expected.receipts),
      inventory: String(expected.inventory),
      valuations: String(expected.marketValuations),
      movements: String(expected.assetMovements),
      vendors: '14',
      products: '33',
      days: '4018',
    });
  });

  it('holds exactly the bytes the generator produced (COPY TO of every table = its load checksum)', async () => {
    const tables = receiptsWorkload.tables(server.seed, scale);
    const { to } = await import('pg-copy-streams');
    for (const table of tables) {
      const hash = createHash('sha256');
      const columns = table.columns.map((c) => pg.escapeIdentifier(c)).join(', ');
      const stream = client.query(to(`COPY (SELECT ${columns} FROM ${pg.escapeIdentifier(table.table)} ORDER BY 1) TO STDOUT`));
      for await (const chunk of stream) hash.update(chunk as Buffer);
      const loaded = createHash('sha256');
      const { copyChunks } = await import('../harness/fixtures/copy-loader.ts');
      for (const chunk of copyChunks(table)) loaded.update(chunk);
      expect(hash.digest('hex'), table.table).toBe(loaded.digest('hex'));
    }
  });

  it('has every foreign key in place, validated, and no orphan row', async () => {
    const fks = await q<{ conname: string; child: string; parent: string; ccol: string; pcol: string; convalidated: boolean }>(`
      SELECT k.conname, c.relname AS child, p.relname AS parent, ca.attname AS ccol, pa.attname AS pcol, k.convalidated
        FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
        JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = k.conkey[1]
        JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1]
       WHERE k.contype = 'f' ORDER BY 1`);
    expect(fks).toHaveLength(12);
    for (const fk of fks) {
      expect(fk.convalidated, fk.conname).toBe(true);
      const id = pg.escapeIdentifier;
      const [orphans] = await q<{ n: string }>(
        `SELECT count(*) AS n FROM ${id(fk.child)} c WHERE NOT EXISTS (SELECT 1 FROM ${id(fk.parent)} p WHERE p.${id(fk.pcol)} = c.${id(fk.ccol)})`,
      );
      expect(orphans!.n, fk.conname).toBe('0');
    }
  });

  it('follows the seed: construction season, +20..50% valuations, moves between different sites', async () => {
    const [season] = await q<{ spring_summer: number; winter: number }>(`
      SELECT avg(n) FILTER (WHERE month BETWEEN 3 AND 8)::float AS spring_summer,
             avg(n) FILTER (WHERE month IN (12, 1, 2))::float AS winter
        FROM (SELECT extract(month FROM purchase_date) AS month, count(*) AS n FROM receipts GROUP BY 1) m`);
    expect(season!.spring_summer).toBeGreaterThan(season!.winter * 1.5);
    const [valuation] = await q<{ lo: string; hi: string }>('SELECT min(market_value / cost_basis) AS lo, max(market_value / cost_basis) AS hi FROM market_valuations');
    expect(Number(valuation!.lo)).toBeGreaterThanOrEqual(1.199);
    expect(Number(valuation!.hi)).toBeLessThanOrEqual(1.501);
    const [moves] = await q<{ same: string }>('SELECT count(*) AS same FROM asset_movements WHERE from_job_site_id = to_job_site_id');
    expect(moves!.same).toBe('0');
    const [years] = await q<{ first: string; last: string }>("SELECT min(purchase_date)::text AS first, max(purchase_date)::text AS last FROM receipts");
    expect(years!.first >= '2023-01-01' && years!.last <= '2024-12-31').toBe(true);
  });

  it('is served from the cache the second time, as a separate copy', async () => {
    const again = await ensureDataset(server, { workload: receiptsWorkload, scale, seed: server.seed });
    expect(again.template).toBe(dataset.template);
    expect(again.built).toBeUndefined();
    const started = performance.now();
    await using second = await copyDataset(server, again, 'fixturespec');
    console.log(`dataset copy at scale ${scale}: ${Math.round(performance.now() - started)} ms`);
    expect(second.database).not.toBe(copy.database);
  });
});
