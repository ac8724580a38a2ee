/**
 * The receipts dataset: exact counts at any scale, the seed's distributions, and the
 * dataset cache. Bytes, foreign keys and determinism are checked for every workload
 * in workload-conformance.test.ts.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDataset, ensureDataset, type Dataset, type DatasetCopy } from '../harness/fixtures/dataset-cache.ts';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { countsFor } from '../fixtures/receipts/receipts-generator.ts';
import { loadWorkload } from '../harness/workloads/load-workload.ts';

const receiptsWorkload = await loadWorkload('receipts');

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
