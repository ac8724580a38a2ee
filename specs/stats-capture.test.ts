/**
 * `schemabench stats capture` on a real server, through the CLI as a user runs it: the
 * shop workload's dataset is the "production" database. Captured as the owner and as a
 * restricted role (what pg_stats and pg_stats_ext show a role that is not the owner),
 * reading no row (the server's scan counters do not move), with --redact (same shape,
 * same order, same tokens on every capture), and every bad input one line, exit 2.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteServer } from '../harness/bench/suite-server.ts';
import { applyMigrations } from '../harness/fixtures/apply-migrations.ts';
import { copyDataset, ensureDataset, type Dataset, type DatasetCopy } from '../harness/fixtures/dataset-cache.ts';
import { DatabaseAdmin, withDatabase } from '../harness/postgres/database-admin.ts';
import { withConnection } from '../harness/postgres/with-connection.ts';
import type { StatisticsSnapshot } from '../harness/stats/statistics-snapshot.ts';
import { loadWorkload } from '../harness/workloads/load-workload.ts';
import { runCli } from './helpers/run-tsx.ts';

const TABLES = ['customers', 'products', 'orders', 'order_items'];
const READER = `sb_stats_reader_${process.pid}`;
const server = suiteServer();
const dir = mkdtempSync(join(tmpdir(), 'schemabench-stats-'));
let dataset: Dataset;
let copy: DatasetCopy;
const extra: DatasetCopy[] = [];

/** The copy's URI as another role. */
function as(uri: string, role: string, password: string): string {
  const u = new URL(uri);
  u.username = role;
  u.password = password;
  return u.toString();
}

async function capture(uri: string | undefined, args: string[] = []): Promise<{ code: number | null; stderr: string; stdout: string; snapshot?: StatisticsSnapshot }> {
  const out = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  const env = { ...process.env, DATABASE_URL: uri };
  if (uri === undefined) delete env.DATABASE_URL;
  const r = await runCli(['stats', 'capture', '--workload', 'shop', '--out', out, ...args], env);
  return { ...r, ...(r.code === 0 ? { snapshot: JSON.parse(readFileSync(out, 'utf8')) as StatisticsSnapshot } : {}) };
}

/** Sequential and index scans of the shop tables so far, as the server counts them. */
async function scans(uri: string): Promise<number> {
  return withConnection(uri, async (c) => {
    const { rows } = await c.query<{ n: string }>('SELECT sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::text AS n FROM pg_stat_user_tables WHERE relname = ANY($1)', [TABLES]);
    return Number(rows[0]!.n);
  });
}

beforeAll(async () => {
  const workload = await loadWorkload('shop');
  dataset = await ensureDataset(server, { workload, scale: 1, seed: server.seed });
  copy = await copyDataset(server, dataset, 'statscapture');
  await withConnection(copy.uri, async (c) => {
    // An extended statistics object: its definition is public, its data only the owner's.
    await c.query('CREATE STATISTICS orders_customer_status ON customer_id, status FROM orders');
    await c.query('ANALYZE orders');
    await c.query(`CREATE ROLE ${READER} LOGIN PASSWORD 'reader-pw'`);
  });
}, 180_000);

afterAll(async () => {
  for (const c of [copy, ...extra]) await c?.drop();
  await withConnection(server.adminUri, (c) => c.query(`DROP ROLE IF EXISTS ${READER}`));
  rmSync(dir, { recursive: true, force: true });
});

describe('stats capture', () => {
  let full: StatisticsSnapshot;

  it("writes every table of schema/shop with pg_class's counts and pg_stats' rows, reading no row", async () => {
    const before = await scans(copy.uri);
    const r = await capture(copy.uri);
    expect(r.code, r.stderr).toBe(0);
    full = r.snapshot!;
    expect(await scans(copy.uri)).toBe(before);
    // The counter the check relies on does move when rows are read.
    await withConnection(copy.uri, (c) => c.query('SELECT count(*) FROM customers'));
    expect(await scans(copy.uri)).toBeGreaterThan(before);

    expect(full.tables.map((t) => t.name).sort()).toEqual([...TABLES].sort());
    expect(full.server.versionNum).toBeGreaterThanOrEqual(140000);
    await withConnection(copy.uri, async (c) => {
      for (const t of full.tables) {
        const { rows } = await c.query<{ n: string; relpages: number; bytes: string }>(
          `SELECT (SELECT count(*) FROM ${pg.escapeIdentifier(t.name)})::text AS n, relpages, pg_relation_size(oid)::text AS bytes FROM pg_class WHERE oid = $1::regclass`,
          [t.name],
        );
        // After the build's VACUUM ANALYZE, reltuples of a table this small is its row count.
        expect([t.reltuples, t.relpages, t.bytes.table]).toEqual([Number(rows[0]!.n), rows[0]!.relpages, Number(rows[0]!.bytes)]);
        const stats = await c.query<{ attname: string; null_frac: number; n_distinct: number }>('SELECT attname, null_frac, n_distinct FROM pg_stats WHERE tablename = $1 AND NOT inherited ORDER BY attname', [t.name]);
        expect(t.columns.map((x) => ({ attname: x.name, null_frac: x.null_frac, n_distinct: x.n_distinct })).sort((a, b) => a.attname.localeCompare(b.attname))).toEqual(stats.rows);
      }
    });
    const orders = full.tables.find((t) => t.name === 'orders')!;
    expect(orders.indexes.map((i) => i.name).sort()).toEqual(['orders_customer_id_idx', 'orders_pkey']);
    expect(orders.extended[0]).toMatchObject({ name: 'orders_customer_status', columns: ['customer_id', 'status'], kinds: ['d', 'f', 'm'] });
    expect(orders.extended[0]!.data![0]!.n_distinct).toMatch(/^\{"\d, \d": \d+\}$/);
    expect(r.stdout).toMatch(/statistics of 4 tables from PostgreSQL/);
  });

  it('a role that may not SELECT is refused in one line naming the columns; with SELECT it captures the same, extended data aside', async () => {
    const reader = as(copy.uri, READER, 'reader-pw');
    const refused = await capture(reader);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(new RegExp(`role ${READER} may not see the statistics of customers\\.id, customers\\.email, .* and 12 more: pg_stats shows a column only to roles that may SELECT it`));

    // Column privileges count column by column: the columns still hidden are named.
    await withConnection(copy.uri, (c) => c.query(`GRANT SELECT ON customers, products, orders TO ${READER}; GRANT SELECT (order_id, product_id) ON order_items TO ${READER}`));
    const partly = await capture(reader);
    expect(partly.code).toBe(2);
    expect(partly.stderr).toMatch(/may not see the statistics of order_items\.quantity, order_items\.unit_price: /);

    await withConnection(copy.uri, (c) => c.query(`GRANT SELECT ON order_items TO ${READER}`));
    const granted = await capture(reader);
    expect(granted.code, granted.stderr).toBe(0);
    const tables = granted.snapshot!.tables;
    // pg_stats_ext shows the object's data to the table's owner only.
    expect(tables.find((t) => t.name === 'orders')!.extended[0]!.data).toBeNull();
    const withoutExtendedData = (s: StatisticsSnapshot) => s.tables.map((t) => ({ ...t, extended: t.extended.map((x) => ({ ...x, data: null })) }));
    expect(withoutExtendedData(granted.snapshot!)).toEqual(withoutExtendedData(full));
  });

  it('--redact gives text values tokens of the same shape and order, the same on every capture, and keeps other values', async () => {
    const [a, b] = [await capture(copy.uri, ['--redact']), await capture(copy.uri, ['--redact'])];
    expect(a.code, a.stderr).toBe(0);
    const strip = (s: StatisticsSnapshot) => ({ ...s, capturedAt: '' });
    expect(strip(b.snapshot!)).toEqual(strip(a.snapshot!));
    const redacted = a.snapshot!;
    expect(redacted.redaction!.tokenized).toEqual(expect.arrayContaining(['customers.email', 'customers.name', 'products.sku', 'products.title']));
    expect(redacted.redaction!.orderNotPreserved).toEqual([]);

    const shape = (s: string) => [...s].map((ch) => (/[a-z]/.test(ch) ? 'a' : /[A-Z]/.test(ch) ? 'A' : /[0-9]/.test(ch) ? '9' : ch)).join('');
    let changed = 0;
    for (const key of redacted.redaction!.tokenized) {
      const [table, column] = key.split('.');
      const original = full.tables.find((t) => t.name === table)!.columns.find((c) => c.name === column)!;
      const tokens = redacted.tables.find((t) => t.name === table)!.columns.find((c) => c.name === column)!;
      for (const field of ['most_common_vals', 'histogram_bounds'] as const) {
        const [before, after] = [original[field] ?? [], tokens[field] ?? []];
        expect(after.map(shape)).toEqual(before.map(shape));
        changed += after.filter((t, i) => t !== before[i]).length;
      }
      // Still a histogram: the server sorts the tokens as they stand.
      if (tokens.histogram_bounds) {
        const sorted = await withConnection(copy.uri, async (c) => (await c.query<{ same: boolean }>('SELECT array(SELECT t FROM unnest($1::text[]) t ORDER BY t) = $1::text[] AS same', [tokens.histogram_bounds])).rows[0]!.same);
        expect(sorted, key).toBe(true);
      }
    }
    expect(changed).toBeGreaterThan(100);
    const price = (s: StatisticsSnapshot) => s.tables.find((t) => t.name === 'products')!.columns.find((c) => c.name === 'price')!;
    expect(price(redacted)).toEqual(price(full));
  });
});

describe('stats capture: bad input is one line, exit 2', () => {
  const cases: [string, () => Promise<{ code: number | null; stderr: string }>, RegExp][] = [
    ['no DATABASE_URL', () => capture(undefined), /stats capture reads the server in DATABASE_URL/],
    ['an unreachable server', () => capture('postgres://nobody:pw@127.0.0.1:1/none'), /cannot connect to DATABASE_URL 127\.0\.0\.1:1\/none/],
    ['no --workload', () => runCli(['stats', 'capture']), /--workload NAME is required/],
    ['an unknown workload', () => runCli(['stats', 'capture', '--workload', 'nope']), /--workload must be one of/],
    ['an unknown action', () => runCli(['stats', 'inject']), /stats: the action is capture \(got "inject"\)/],
    ['--out naming a folder', () => capture(copy.uri, ['--out', dir]), /--out .* is a folder/],
    [
      'a table the server lacks',
      () => changed('DROP TABLE order_items'),
      /no such table on the server: order_items \(is DATABASE_URL the production database/,
    ],
    ['a server older than the schema', () => changed('ALTER TABLE customers DROP COLUMN city'), /the server is older than schema\/: no column customers\.city there/],
    [
      'a column without statistics',
      () => changed("DELETE FROM pg_statistic WHERE starelid = 'customers'::regclass AND staattnum = (SELECT attnum FROM pg_attribute WHERE attrelid = 'customers'::regclass AND attname = 'name')"),
      /no statistics for customers\.name \(a column added after the last ANALYZE/,
    ],
    ['tables never analyzed', () => migratedOnly(), /never analyzed, no statistics to capture: customers, order_items, orders, products \(run ANALYZE on the server first\)/],
  ];

  /** Capture from a fresh copy of the dataset changed by `sql` first. */
  async function changed(sql: string) {
    const other = await copyDataset(server, dataset, 'statsbad');
    extra.push(other);
    await withConnection(other.uri, (c) => c.query(sql));
    return capture(other.uri);
  }

  /** Capture from a database with the workload's tables and no ANALYZE ever. */
  async function migratedOnly() {
    const name = `schemabench_statsempty_${process.pid}`;
    const admin = new DatabaseAdmin(server.adminUri, server.databasePrefix);
    await admin.create(name);
    extra.push({ database: name, uri: withDatabase(server.adminUri, name), drop: () => admin.drop(name), [Symbol.asyncDispose]: () => admin.drop(name) });
    await applyMigrations(withDatabase(server.adminUri, name), (await loadWorkload('shop')).migrationsFolder);
    return capture(withDatabase(server.adminUri, name));
  }

  for (const [what, run, message] of cases) {
    it(what, async () => {
      const r = await run();
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }
});
