/**
 * Seed 004, "Add indexes": the write side of each index strategy. An empty twin of
 * receipts (primary key only) per strategy, plus that one index; the same 5,000 rows
 * (the first by id, at every scale: the batch does not grow with the dataset) are
 * loaded into each, by COPY and by batched INSERTs, in interleaved rounds:
 *  - time: per round, every twin is loaded once per method in rotating order, so a
 *    noisy moment hits all of them; the cost of an index is the paired ratio
 *    (twin with it / twin without it) with its 95% interval over the rounds;
 *  - WAL: bytes the batch wrote (pg_current_wal_insert_lsn before and after), per row;
 *  - HOT: an UPDATE of 5% of the rows of a fresh twin (fillfactor 90, so pages have
 *    room) on a column the index uses, on one it only INCLUDEs, and on one no index
 *    uses: the share of heap-only tuple updates, read from pg_stat_xact_user_tables
 *    inside the transaction (the cumulative views are flushed asynchronously).
 * What each figure means: docs/index-strategies.md.
 */
import pg from 'pg';
import { benchmarkSuite, pairedSpeedup, withConnection } from 'schemabench';
import { WRITE_INDEXES } from './index-strategies.ts';
import { copyBatch, insertBatch, readBatch, TOTAL_AMOUNT } from './receipt-batch.ts';

const ROWS = 5_000;
const INSERT_BATCH = 1_000;
const ROUNDS = 10;
const twin = (variant: string) => pg.escapeIdentifier(`wc_${variant.replaceAll('-', '_')}`);

type Method = 'copy' | 'insert';
const METHODS: Method[] = ['copy', 'insert'];
const load = (client: pg.Client, table: string, rows: string[][], method: Method) =>
  method === 'copy' ? copyBatch(client, table, rows) : insertBatch(client, table, rows, INSERT_BATCH);

/** Bytes of WAL inserted since `from` (the insert pointer, not the lagging write pointer). */
async function walSince(client: pg.Client, from: string): Promise<number> {
  const { rows } = await client.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1)::text AS bytes', [from]);
  return Number(rows[0]!.bytes);
}
const walNow = async (client: pg.Client) => (await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0]!.lsn;

/** Updates that change a column: which index columns they touch decides HOT. */
const UPDATES = [
  { column: 'payment_method', set: 'payment_method = upper(payment_method)' },
  { column: 'total_amount', set: 'total_amount = total_amount + 1' },
  { column: 'purchase_date', set: 'purchase_date = purchase_date + 1' },
  { column: 'receipt_number', set: "receipt_number = receipt_number || '-1'" },
];

/** Which columns an index of this strategy reads (key, INCLUDE, predicate or expression). */
const COLUMNS_USED: Record<string, string[]> = {
  none: [],
  btree: ['purchase_date'],
  brin: ['purchase_date'],
  composite: ['vendor_id', 'purchase_date', 'id'],
  covering: ['purchase_date', 'total_amount'],
  partial: ['purchase_date', 'is_bulk'],
  expression: ['purchase_date'],
  hash: ['receipt_number'],
};

benchmarkSuite('receipts', ({ inspect }) => {
  inspect('receipts/index-strategy/write-cost', ({ uri }, record, check) =>
    withConnection(uri, async (client) => {
      const rows = await readBatch(client, ROWS);
      for (const { variant, ddl } of WRITE_INDEXES) {
        const table = twin(variant);
        await client.query(`DROP TABLE IF EXISTS ${table}`);
        await client.query(`CREATE TABLE ${table} (LIKE receipts INCLUDING DEFAULTS)`);
        await client.query(`ALTER TABLE ${table} ADD PRIMARY KEY (id)`);
        if (ddl) await client.query(ddl.replaceAll('$T', table));
      }

      // Correctness first: every twin holds the batch, to the cent, after either method.
      const wal: Record<string, number> = {};
      for (const method of METHODS) {
        for (const { variant } of WRITE_INDEXES) {
          const table = twin(variant);
          await client.query(`TRUNCATE ${table}`);
          const from = await walNow(client);
          await load(client, table, rows, method);
          if (method === 'copy') wal[variant] = await walSince(client, from);
          const { rows: check } = await client.query<{ n: number; total: string }>(`SELECT count(*)::int AS n, sum(total_amount)::text AS total FROM ${table}`);
          const expected = rows.reduce((s, row) => s + Math.round(Number(row[TOTAL_AMOUNT]) * 100), 0);
          if (check[0]!.n !== ROWS || Math.round(Number(check[0]!.total) * 100) !== expected) {
            throw new Error(`${method} into ${table}: ${check[0]!.n} rows, total ${check[0]!.total}; expected ${ROWS} rows, total ${(expected / 100).toFixed(2)}`);
          }
        }
      }

      // Timed rounds: every twin once per method per round, the order rotated each round.
      const samples: Record<string, number[][]> = {};
      for (let round = 0; round < ROUNDS; round++) {
        const order = WRITE_INDEXES.map((_, i) => WRITE_INDEXES[(i + round) % WRITE_INDEXES.length]!);
        for (const { variant } of round % 2 ? [...order].reverse() : order) {
          for (const method of METHODS) {
            const table = twin(variant);
            await client.query(`TRUNCATE ${table}`);
            const started = performance.now();
            await load(client, table, rows, method);
            ((samples[`${method}:${variant}`] ??= [])).push([performance.now() - started]);
          }
        }
      }

      for (const method of METHODS) {
        const bare = samples[`${method}:none`]!;
        for (const { variant } of WRITE_INDEXES) {
          const mine = samples[`${method}:${variant}`]!;
          const median = mine.map((r) => r[0]!).sort((a, b) => a - b)[Math.floor(mine.length / 2)]!;
          // cost = time with the index / time without it, paired by round.
          const cost = pairedSpeedup(mine, bare);
          record({
            name: `receipts/index-strategy/write-cost[${method}:${variant}]`,
            value: cost.estimate,
            unit: 'ratio',
            params: { low: Number(cost.low.toFixed(3)), high: Number(cost.high.toFixed(3)), rowsPerSecond: Math.round(ROWS / (median / 1000)), rows: ROWS, rounds: ROUNDS },
          });
        }
      }
      for (const { variant } of WRITE_INDEXES) {
        record({ name: `receipts/index-strategy/wal-per-row[${variant}]`, value: wal[variant]! / ROWS, unit: 'bytes', params: { rows: ROWS, method: 'copy' } });
      }
      // WAL is the deterministic face of the write cost: the same rows write the same
      // records. Measured per row (scale-independent: the same 5,000 rows into an empty
      // twin): heap alone 156.7 B; +72 btree, +68 expression, +88 covering, +89 composite,
      // +89 hash, +16.5 partial (23% of rows are bulk), +0.2 BRIN (one summary per 128 pages).
      const extra = (v: string) => (wal[v]! - wal.none!) / ROWS;
      for (const v of ['btree', 'composite', 'covering', 'expression', 'hash']) {
        check(extra(v) >= 40, `${v}: the index should add >= 40 bytes of WAL per row, added ${extra(v).toFixed(1)}`);
      }
      check(extra('brin') <= 5, `brin: the index should add <= 5 bytes of WAL per row, added ${extra('brin').toFixed(1)}`);
      check(extra('partial') <= 0.4 * extra('btree'), `partial: should add <= 40% of the full btree's WAL per row (${extra('partial').toFixed(1)} vs ${extra('btree').toFixed(1)})`);
      // Time is reported, not asserted: a btree's write cost is a ratio of two short loads
      // whose interval reaches 1 on a machine busy with other runs (the batch is the same at
      // every scale). WAL above is the decision's stable signal.

      // HOT: one fresh twin per (strategy, column), so every update starts with the same free space.
      const version = Number((await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v);
      for (const { variant, ddl } of WRITE_INDEXES) {
        for (const { column, set } of UPDATES) {
          if (column === 'receipt_number' && variant !== 'hash' && variant !== 'none') continue;
          await client.query('DROP TABLE IF EXISTS hot_twin');
          // fillfactor 90 leaves ~800 bytes per page: room for the 5% of rows updated (~4 per page).
          await client.query('CREATE TABLE hot_twin (LIKE receipts INCLUDING DEFAULTS) WITH (fillfactor = 90)');
          await client.query('ALTER TABLE hot_twin ADD PRIMARY KEY (id)');
          if (ddl) await client.query(ddl.replaceAll('$T', 'hot_twin'));
          await client.query('INSERT INTO hot_twin SELECT * FROM receipts ORDER BY id LIMIT $1', [ROWS]);
          await client.query('BEGIN');
          try {
            await client.query(`UPDATE hot_twin SET ${set} WHERE id % 20 = 0`);
            const { rows: stat } = await client.query<{ upd: string; hot: string }>(
              "SELECT n_tup_upd::text AS upd, n_tup_hot_upd::text AS hot FROM pg_stat_xact_user_tables WHERE relid = 'hot_twin'::regclass",
            );
            const [upd, hot] = [Number(stat[0]!.upd), Number(stat[0]!.hot)];
            const share = upd ? hot / upd : 0;
            record({ name: `receipts/index-strategy/hot-share[${variant}:${column}]`, value: share, unit: 'ratio', params: { updated: upd, hot, fillfactor: 90 } });
            // Deterministic: an update is HOT unless it changes a column an index reads
            // (and the page has room). Since PostgreSQL 16 a BRIN index ("summarizing")
            // does not prevent HOT. Measured: 1.0 or 0.0, nothing in between.
            const blocks = COLUMNS_USED[variant]!.includes(column) && !(variant === 'brin' && version >= 160000);
            check(upd === rows.length / 20, `${variant}: UPDATE of ${column} touched ${upd} rows, expected ${rows.length / 20}`);
            check(!(blocks && share > 0.05), `${variant}: an UPDATE of ${column}, which the index reads, was HOT for ${(share * 100).toFixed(0)}% of rows (expected ~0%)`);
            check(!(!blocks && share < 0.95), `${variant}: an UPDATE of ${column}, which no index reads, was HOT for only ${(share * 100).toFixed(0)}% of rows (expected ~100%)`);
          } finally {
            await client.query('ROLLBACK');
          }
        }
      }
      await client.query('DROP TABLE IF EXISTS hot_twin');
    }),
  );
});
