/**
 * How fast schema-derived fixtures fill a database, against drizzle-seed on the same
 * schema and row counts, and against raw COPY of the same rows, on one server in one
 * run (ratios, never absolute times). Both start from an empty migrated database and
 * end with every key and foreign key in place: drizzle-seed inserts into the
 * constrained tables; schemabench streams COPY and builds keys after the load.
 *
 * drizzle-seed 0.3 cannot honour order_items' composite key made of two foreign keys
 * (it repeats pairs: "duplicate key value violates order_items_order_id_product_id_pk"),
 * nor products' check without a refinement, so the race runs on shop's three other
 * tables, with the price refined for drizzle-seed; derived fixtures need neither.
 *
 * Measured at 130k rows: derived over drizzle-seed 10.0x and 11.3x (embedded), 10.8x and
 * 11.5x (testcontainers, CI); generator over raw COPY 80-92% (embedded), 91% and 57%
 * (testcontainers, two CI runs: one JS thread both generates and writes the socket, so a
 * slower path through docker's proxy shows in the generated side). The targets of issue
 * 11 are 10x and 60%; they are not met in every condition yet, so the bars below sit under
 * the lowest measurements (8x, 45%) as regression guards, and the figures are printed.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import { seed } from 'drizzle-seed';
import { expect } from 'vitest';
import { benchmarkSuite } from '../harness/bench/benchmark-suite.ts';
import { bulkLoad } from '../harness/fixtures/bulk-load.ts';
import { measureCopyRate } from '../harness/fixtures/copy-rate.ts';
import { deriveTables } from '../harness/fixtures/derived/derive-tables.ts';
import { withConnection } from '../harness/postgres/with-connection.ts';
import { fmtInt, textTable } from '../harness/report/text-table.ts';
import { customers, orders, orderStatus, products } from '../schema/shop/schema.ts';

const ROWS = { customers: 50_000, products: 5_000, orders: 75_000 };
const TOTAL = ROWS.customers + ROWS.products + ROWS.orders;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Empty the suite's copy of shop: a migrated database with no rows (children first). */
const empty = (uri: string) => withConnection(uri, (c) => c.query('TRUNCATE order_items, orders, customers, products RESTART IDENTITY'));

benchmarkSuite('shop', ({ inspect }) => {
  inspect('shop/fixtures/derived-vs-drizzle-seed', async (env, record) => {
    const seeded = await env.freshCopy!();
    const derived = await env.freshCopy!();
    try {
      await Promise.all([empty(seeded.uri), empty(derived.uri)]);

      const drizzleSeedRate = await withConnection(seeded.uri, async (client) => {
        const started = performance.now();
        await seed(drizzle({ client }), { customers, products, orders, orderStatus }, { seed: env.seed }).refine((f) => ({
          customers: { count: ROWS.customers },
          products: { count: ROWS.products, columns: { price: f.number({ minValue: 1, maxValue: 1000, precision: 100 }) } },
          orders: { count: ROWS.orders },
        }));
        return TOTAL / ((performance.now() - started) / 1000);
      });

      const fixtures = deriveTables([customers, products, orders], { seed: env.seed, scale: 1, rows: ROWS });
      const load = await bulkLoad(derived.uri, fixtures);
      const derivedRate = TOTAL / (load.totalMs / 1000);

      // Generator streaming into COPY vs COPY of the same text generated beforehand, three times.
      const largest = fixtures.find((f) => f.table === 'customers')!;
      const rates = [];
      for (let i = 0; i < 3; i++) rates.push(await measureCopyRate(derived.uri, largest));
      const ofRaw = median(rates.map((r) => r.generatedRowsPerSec / r.rawRowsPerSec));

      const counts = await withConnection(derived.uri, async (c) => (await c.query<{ n: string }>('SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM products) + (SELECT count(*) FROM orders) AS n')).rows[0]!.n);
      expect(Number(counts)).toBe(TOTAL);
      console.log(
        `\nDerived fixtures vs drizzle-seed (shop: customers, products, orders; ${fmtInt(TOTAL)} rows, empty migrated database to loaded, keys and foreign keys in place)\n` +
          textTable(
            [{ header: 'loader' }, { header: 'rows/s', align: 'right' }, { header: 'ratio', align: 'right' }],
            [
              ['drizzle-seed 0.3 (batched INSERT)', fmtInt(drizzleSeedRate), '1.0x'],
              ['schemabench derived (COPY, keys after)', fmtInt(derivedRate), `${(derivedRate / drizzleSeedRate).toFixed(1)}x`],
              ['derived generator vs raw COPY (customers)', `${fmtInt(median(rates.map((r) => r.generatedRowsPerSec)))} vs ${fmtInt(median(rates.map((r) => r.rawRowsPerSec)))}`, `${Math.round(ofRaw * 100)}%`],
            ],
          ),
      );
      record({ name: 'shop/fixtures/derived-rows-per-sec', value: derivedRate, unit: 'rows/s' });
      record({ name: 'shop/fixtures/drizzle-seed-rows-per-sec', value: drizzleSeedRate, unit: 'rows/s' });
      record({ name: 'shop/fixtures/derived-vs-drizzle-seed', value: derivedRate / drizzleSeedRate, unit: 'ratio' });
      record({ name: 'shop/fixtures/derived-of-raw-copy', value: ofRaw, unit: 'ratio' });
      expect(derivedRate / drizzleSeedRate, 'derived fixtures should load >= 8x the rows/s of drizzle-seed').toBeGreaterThanOrEqual(8);
      expect(ofRaw, 'the derived generator should stream >= 45% of raw COPY').toBeGreaterThanOrEqual(0.45);
    } finally {
      await seeded.drop();
      await derived.drop();
    }
  });
});
