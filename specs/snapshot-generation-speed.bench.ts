/**
 * How fast rows generated from a statistics snapshot are made, against the derived
 * generator on the same tables and row counts (issue 22's target: at least 80% of its
 * rows/s), and how fast they stream into COPY against raw COPY of the same rows. shop's
 * customers, products and orders are derived and loaded as "production", ANALYZEd and
 * captured (every row is sampled at this size: reltuples are the row counts); then the
 * two generators write the same row counts as COPY text in alternating pairs, in this
 * process (the median of the pairs' ratios: a ratio the machine cancels).
 */
import { getTableConfig } from 'drizzle-orm/pg-core';
import { expect } from 'vitest';
import { benchmarkSuite } from '../harness/bench/benchmark-suite.ts';
import { bulkLoad } from '../harness/fixtures/bulk-load.ts';
import { copyChunks } from '../harness/fixtures/copy-loader.ts';
import { measureCopyRate } from '../harness/fixtures/copy-rate.ts';
import { deriveTables } from '../harness/fixtures/derived/derive-tables.ts';
import { snapshotTables } from '../harness/fixtures/snapshot/snapshot-tables.ts';
import type { TableFixture } from '../harness/fixtures/table-fixture.ts';
import { withConnection } from '../harness/postgres/with-connection.ts';
import { fmtInt, textTable } from '../harness/report/text-table.ts';
import { captureStatistics } from '../harness/stats/capture-statistics.ts';
import { customers, orders, products } from '../schema/shop/schema.ts';

const TABLES = [customers, products, orders];
const ROWS = { customers: 50_000, products: 5_000, orders: 75_000 };
const TOTAL = ROWS.customers + ROWS.products + ROWS.orders;
const PAIRS = 7;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Rows/s of writing every row of `fixtures` as COPY text (what the loader streams). */
function generationRate(fixtures: () => TableFixture[]): number {
  const started = performance.now();
  let bytes = 0;
  for (const f of fixtures()) for (const chunk of copyChunks(f)) bytes += chunk.length;
  expect(bytes).toBeGreaterThan(0);
  return TOTAL / ((performance.now() - started) / 1000);
}

benchmarkSuite('shop', ({ inspect }) => {
  inspect('shop/fixtures/snapshot-generation-speed', async (env, record) => {
    const production = await env.freshCopy!();
    try {
      await withConnection(production.uri, (c) => c.query('TRUNCATE order_items, orders, customers, products RESTART IDENTITY'));
      const derived = () => deriveTables(TABLES, { seed: env.seed, scale: 1, rows: ROWS });
      await bulkLoad(production.uri, derived());
      const targets = TABLES.map((t) => ({ schema: 'public', table: getTableConfig(t).name, columns: getTableConfig(t).columns.map((c) => c.name) }));
      const snapshot = await withConnection(production.uri, async (c) => {
        await c.query('ANALYZE customers, products, orders');
        return (await captureStatistics(c, 'shop', targets)).snapshot;
      });
      expect(snapshot.tables.map((t) => t.reltuples).reduce((a, b) => a + b, 0)).toBe(TOTAL);
      const fromSnapshot = () => snapshotTables(TABLES, { seed: env.seed, scale: 1, snapshot }).fixtures;
      expect(fromSnapshot().reduce((n, f) => n + f.rows, 0)).toBe(TOTAL);

      // Alternating order (derived first, then snapshot first): drift of the shared machine hits both.
      const ratios: number[] = [];
      const rates = { derived: [] as number[], snapshot: [] as number[] };
      for (let i = 0; i < PAIRS; i++) {
        const order = i % 2 === 0 ? (['derived', 'snapshot'] as const) : (['snapshot', 'derived'] as const);
        const pair: Record<string, number> = {};
        for (const which of order) pair[which] = generationRate(which === 'derived' ? derived : fromSnapshot);
        rates.derived.push(pair.derived!);
        rates.snapshot.push(pair.snapshot!);
        ratios.push(pair.snapshot! / pair.derived!);
      }
      const ofDerived = median(ratios);
      const copy = await measureCopyRate(production.uri, fromSnapshot(), { pairs: PAIRS });
      console.log(
        `\nGeneration from a statistics snapshot vs the derived generator (shop: customers, products, orders; ${fmtInt(TOTAL)} rows as COPY text, in process)\n` +
          textTable(
            [{ header: 'generator' }, { header: 'rows/s (median)', align: 'right' }, { header: 'ratio', align: 'right' }],
            [
              ['derived', fmtInt(median(rates.derived)), '100%'],
              [`from the snapshot, median of ${PAIRS} alternating pairs`, fmtInt(median(rates.snapshot)), pct(ofDerived)],
              ['  its pairs', '', `${pct(Math.min(...ratios))}-${pct(Math.max(...ratios))}`],
              [`snapshot generator streaming into COPY vs raw COPY, median of ${PAIRS} pairs`, `${fmtInt(copy.generatedRowsPerSec)} vs ${fmtInt(copy.rawRowsPerSec)}`, pct(copy.ofRaw)],
            ],
          ),
      );
      console.log(`target: >= 80% of the derived generator's rows/s (${pct(ofDerived)})`);
      record({ name: 'shop/fixtures/snapshot-of-derived', value: ofDerived, unit: 'ratio' });
      record({ name: 'shop/fixtures/snapshot-of-raw-copy', value: copy.ofRaw, unit: 'ratio' });
      // The target is printed; asserted is what no busy machine explains (pairs interleaved):
      // the snapshot generator falling to a third of the derived one, or far behind the COPY it feeds.
      expect(ofDerived, 'generation from a snapshot should make >= 35% of the derived rows/s (median of the pairs)').toBeGreaterThanOrEqual(0.35);
      expect(copy.ofRaw, 'the snapshot generator should stream >= 50% of raw COPY (median of the pairs)').toBeGreaterThanOrEqual(0.5);
    } finally {
      await production.drop();
    }
  });
});
