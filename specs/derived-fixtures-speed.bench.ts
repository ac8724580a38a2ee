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
 * Both ratios are judged from repeats on the one server, so that one busy moment on
 * the shared cores does not decide them: six derived loads of the same rows, three
 * before and three after drizzle-seed's run (their median), and raw vs generated COPY
 * of the same rows (all three tables) in seven pairs whose order alternates (the median
 * of the pairs' ratios, copy-rate.ts). drizzle-seed runs once: it takes ~5-6 s, twelve
 * derived loads or more, so a pause of a few hundred ms moves it by a few percent where
 * it would decide a single derived load; a second run would add another 6 s.
 *
 * Measured at 130k rows, embedded, 2 shared cores with other engineers' runs going
 * (load average 2.7-3.7), `flock /tmp/schemabench-heavy.lock npx vitest run --project
 * benchmarks specs/derived-fixtures-speed.bench.ts`, medians of seven runs: derived over
 * drizzle-seed 11.6x, 13.6x, 14.1x (three runs), 14.2x, 15.1x (single loads 8.9x-15.9x),
 * generator over raw COPY 80%, 81%, 95%, 96%, 97%, 98%, 99% (single pairs 72-107%); with a
 * `yes` hog on one of the two cores, twice: 12.1x and 12.4x, 85% and 83%. The same race before derived
 * tables wrote bytes (string lines, the generator twice as slow) and before keys were
 * built as each table loaded: 8.9x and 57%; CI on testcontainers then measured 10.8x,
 * 11.5x and 57%, 91%. The bars are the targets, on the medians: 10x and 60%.
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
/** Derived loads of the same rows: half before drizzle-seed's run, half after. */
const LOADS = 6;
/** Pairs of raw and generated COPY of the same rows, in alternating order (copy-rate.ts). */
const PAIRS = 7;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const range = (xs: readonly number[], fmt: (x: number) => string) => `${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))}`;

/** Empty the suite's copy of shop: a migrated database with no rows (children first). */
const empty = (uri: string) => withConnection(uri, (c) => c.query('TRUNCATE order_items, orders, customers, products RESTART IDENTITY'));

benchmarkSuite('shop', ({ inspect }) => {
  inspect('shop/fixtures/derived-vs-drizzle-seed', async (env, record) => {
    const seeded = await env.freshCopy!();
    const derived = await env.freshCopy!();
    try {
      await Promise.all([empty(seeded.uri), empty(derived.uri)]);
      const fixtures = () => deriveTables([customers, products, orders], { seed: env.seed, scale: 1, rows: ROWS });

      /** Empty migrated database to loaded, keys and foreign keys in place: rows/s. */
      const loadDerived = async () => {
        await empty(derived.uri);
        const load = await bulkLoad(derived.uri, fixtures());
        return TOTAL / (load.totalMs / 1000);
      };
      const derivedRates: number[] = [];
      for (let i = 0; i < LOADS / 2; i++) derivedRates.push(await loadDerived());

      // One run of drizzle-seed: ~6 s, twelve times a derived load, so a busy moment of a few
      // hundred ms moves it by a few percent where it would decide one derived load.
      const drizzleSeedRate = await withConnection(seeded.uri, async (client) => {
        const started = performance.now();
        await seed(drizzle({ client }), { customers, products, orders, orderStatus }, { seed: env.seed }).refine((f) => ({
          customers: { count: ROWS.customers },
          products: { count: ROWS.products, columns: { price: f.number({ minValue: 1, maxValue: 1000, precision: 100 }) } },
          orders: { count: ROWS.orders },
        }));
        return TOTAL / ((performance.now() - started) / 1000);
      });

      for (let i = 0; i < LOADS / 2; i++) derivedRates.push(await loadDerived());
      const derivedRate = median(derivedRates);
      const overSeed = derivedRate / drizzleSeedRate;

      // The same rows (all three tables), generator streaming into COPY vs COPY of the text
      // generated beforehand, in alternating pairs.
      const rate = await measureCopyRate(derived.uri, fixtures(), { pairs: PAIRS });

      const counts = await withConnection(derived.uri, async (c) => (await c.query<{ n: string }>('SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM products) + (SELECT count(*) FROM orders) AS n')).rows[0]!.n);
      expect(Number(counts)).toBe(TOTAL);
      const pct = (x: number) => `${Math.round(x * 100)}%`;
      console.log(
        `\nDerived fixtures vs drizzle-seed (shop: customers, products, orders; ${fmtInt(TOTAL)} rows, empty migrated database to loaded, keys and foreign keys in place)\n` +
          textTable(
            [{ header: 'loader' }, { header: 'rows/s', align: 'right' }, { header: 'ratio', align: 'right' }],
            [
              ['drizzle-seed 0.3 (batched INSERT), 1 run', fmtInt(drizzleSeedRate), '1.0x'],
              [`schemabench derived (COPY, keys after), median of ${LOADS}`, fmtInt(derivedRate), `${overSeed.toFixed(1)}x`],
              [`  its ${LOADS} loads`, range(derivedRates, fmtInt), range(derivedRates.map((r) => r / drizzleSeedRate), (x) => `${x.toFixed(1)}x`)],
              [`derived generator vs raw COPY, same rows, median of ${PAIRS} pairs`, `${fmtInt(rate.generatedRowsPerSec)} vs ${fmtInt(rate.rawRowsPerSec)}`, pct(rate.ofRaw)],
              ['  its pairs', '', range(rate.pairs, pct)],
            ],
          ),
      );
      record({ name: 'shop/fixtures/derived-rows-per-sec', value: derivedRate, unit: 'rows/s' });
      record({ name: 'shop/fixtures/drizzle-seed-rows-per-sec', value: drizzleSeedRate, unit: 'rows/s' });
      record({ name: 'shop/fixtures/derived-vs-drizzle-seed', value: overSeed, unit: 'ratio' });
      record({ name: 'shop/fixtures/derived-of-raw-copy', value: rate.ofRaw, unit: 'ratio' });
      // Issue 11's targets (10x drizzle-seed, 60% of raw COPY) are printed above, not asserted: a
      // speed target of our own belongs in figures, and drizzle-seed runs once, so its rate moves
      // with the neighbours (one busy run read 8.7x with the generator unchanged). Asserted: what
      // no busy machine explains, COPY losing its order of magnitude over batched INSERTs, and the
      // generator falling far behind the COPY it feeds (pairs interleaved: a ratio the machine cancels).
      console.log(`targets: >= 10x drizzle-seed (${overSeed.toFixed(1)}x), >= 60% of raw COPY (${pct(rate.ofRaw)})`);
      expect(overSeed, 'derived fixtures should load >= 4x the rows/s of drizzle-seed (median of the loads)').toBeGreaterThanOrEqual(4);
      expect(rate.ofRaw, 'the derived generator should stream >= 50% of raw COPY (median of the pairs)').toBeGreaterThanOrEqual(0.5);
    } finally {
      await seeded.drop();
      await derived.drop();
    }
  });
});
