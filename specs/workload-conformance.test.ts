/**
 * One conformance suite for every workload (the BenchBase habit): its dataset builds
 * at a small scale with exactly the rows its fixtures declare, holds exactly the bytes
 * they generate, every foreign key is valid with no orphan, and generation is
 * deterministic across processes.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyChunks } from '../harness/fixtures/copy-loader.ts';
import { copyDataset, ensureDataset, type DatasetCopy } from '../harness/fixtures/dataset-cache.ts';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { loadWorkload, workloadNames } from '../harness/workloads/load-workload.ts';

const WORKLOADS = await Promise.all(workloadNames().map((name) => loadWorkload(name)));
import { collect, spawnTsx } from './helpers/run-tsx.ts';

const SCALE = 0.02;

describe.each(WORKLOADS)('workload $name', (workload) => {
  const server = suiteServer();
  let copy: DatasetCopy;
  let client: pg.Client;

  beforeAll(async () => {
    const dataset = await ensureDataset(server, { workload, scale: SCALE, seed: server.seed });
    copy = await copyDataset(server, dataset, 'conformance');
    client = new pg.Client({ connectionString: copy.uri });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await copy?.drop();
  });

  it('loads every table with exactly its generated rows and bytes', async () => {
    for (const table of workload.tables(server.seed, SCALE)) {
      expect(table.rows, table.table).toBeGreaterThan(0);
      const columns = table.columns.map((c) => pg.escapeIdentifier(c)).join(', ');
      // Rows compared as sorted lines: the server returns them in its order (a derived
      // table's first column may be a uuid or an email, not the generation order).
      const chunks: Buffer[] = [];
      for await (const chunk of client.query(copyTo(`COPY (SELECT ${columns} FROM ${pg.escapeIdentifier(table.table)}) TO STDOUT`))) chunks.push(chunk as Buffer);
      const loaded = Buffer.concat(chunks).toString('utf8');
      const sortedHash = (text: string) => createHash('sha256').update(text.split('\n').sort().join('\n')).digest('hex');
      expect(sortedHash(loaded), table.table).toBe(sortedHash([...copyChunks(table)].join('')));
    }
  });

  it('has every foreign key validated and no orphan row', async () => {
    const { rows: fks } = await client.query<{ name: string; child: string; parent: string; ccol: string; pcol: string; valid: boolean }>(`
      SELECT k.conname AS name, c.relname AS child, p.relname AS parent, ca.attname AS ccol, pa.attname AS pcol, k.convalidated AS valid
        FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
        JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = k.conkey[1]
        JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1]
       WHERE k.contype = 'f' ORDER BY 1`);
    expect(fks.length).toBeGreaterThan(0);
    const id = pg.escapeIdentifier;
    for (const fk of fks) {
      expect(fk.valid, fk.name).toBe(true);
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${id(fk.child)} c WHERE NOT EXISTS (SELECT 1 FROM ${id(fk.parent)} p WHERE p.${id(fk.pcol)} = c.${id(fk.ccol)})`,
      );
      expect(rows[0]!.n, fk.name).toBe(0);
    }
  });

  it('generates the same bytes in two processes for one seed, and other facts for another seed', async () => {
    const run = async (seed: number) => {
      const r = await collect(spawnTsx('specs/helpers/print-checksums.ts', [workload.name, String(seed), String(SCALE)]));
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Record<string, string>;
    };
    const [a, b, other] = await Promise.all([run(11), run(11), run(12)]);
    expect(b).toEqual(a);
    const changed = Object.keys(a).filter((t) => a[t] !== other[t]);
    expect(changed.length).toBeGreaterThan(Object.keys(a).length / 2);
  });
});

describe('store dataset follows seed 000', () => {
  const server = suiteServer();
  it('has the seed counts at scale 1, mostly one order per user, ~1.07 items per cart, a ledger entry per purchase', async () => {
    const storeWorkload = await loadWorkload('store');
    const counts = Object.fromEntries(storeWorkload.tables(server.seed, 1).map((t) => [t.table, t.rows]));
    expect(counts).toMatchObject({ users: 200_000, carts: 200_000, cart_items: 213_000, reviews: 38_000, processed: 200_000, stock_ledger: 213_000, money_ledger: 200_000, products: 138, marketplace: 300 });
    const dataset = await ensureDataset(server, { workload: storeWorkload, scale: 0.1, seed: server.seed });
    await using copy = await copyDataset(server, dataset, 'storeseed');
    const client = new pg.Client({ connectionString: copy.uri });
    await client.connect();
    try {
      const { rows } = await client.query<{ users_one_cart: string; items_per_cart: string; ledger_per_item: string; payments_per_cart: string }>(`
        SELECT (SELECT avg((n = 1)::int) FROM (SELECT count(*) AS n FROM carts GROUP BY user_id) u)::numeric(4,2)::text AS users_one_cart,
               ((SELECT count(*) FROM cart_items)::numeric / (SELECT count(*) FROM carts))::numeric(4,2)::text AS items_per_cart,
               ((SELECT count(*) FROM stock_ledger)::numeric / (SELECT count(*) FROM cart_items))::numeric(4,2)::text AS ledger_per_item,
               ((SELECT count(*) FROM money_ledger)::numeric / (SELECT count(*) FROM carts))::numeric(4,2)::text AS payments_per_cart`);
      expect(rows[0]).toEqual({ users_one_cart: '1.00', items_per_cart: '1.07', ledger_per_item: '1.00', payments_per_cart: '1.00' });
    } finally {
      await client.end();
    }
  });
});
