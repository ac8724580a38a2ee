/**
 * A hot row under concurrent writers: every receipt recorded also bumps a running
 * count. Kept in one row, the count is a queue: an UPDATE takes the row's lock and
 * holds it until COMMIT, so the other clients wait on it (wait_event 'transactionid').
 * Sharded into k rows (each writer bumps a random shard; a reader sums the k rows),
 * writers rarely meet. Both variants run the same transaction otherwise:
 *   BEGIN; UPDATE <counter>; INSERT INTO <log>; COMMIT   (writers, 90%)
 *   SELECT the count                                     (readers, 10%)
 * on twin tables of the suite's database, 4 clients, closed loop.
 */
import pg from 'pg';
import { benchmarkSuite, calibrated, type LoadTransaction, type LoadVariant } from 'schemabench';

const CLIENTS = 4;
const SHARDS = 16;

function counterVariant(name: string, shards: number): LoadVariant {
  const counter = pg.escapeIdentifier(`load_counter_${name.replace(/\W/g, '_')}`);
  const log = pg.escapeIdentifier(`load_counter_log_${name.replace(/\W/g, '_')}`);
  const transactions: LoadTransaction[] = [
    {
      name: 'record',
      weight: 9,
      async run({ client, random }) {
        await client.query('BEGIN');
        await client.query({ name: `bump_${name}`, text: `UPDATE ${counter} SET n = n + 1 WHERE shard = $1`, values: [random.int(0, shards - 1)] });
        await client.query({ name: `log_${name}`, text: `INSERT INTO ${log} (vendor_id, amount) VALUES ($1, $2)`, values: [random.int(1, 14), random.int(1, 100_000) / 100] });
        await client.query('COMMIT');
      },
    },
    { name: 'read', weight: 1, sql: `SELECT sum(n)::bigint AS n FROM ${counter}` },
  ];
  return {
    name,
    transactions,
    async setup(client) {
      await client.query(`DROP TABLE IF EXISTS ${counter}, ${log}`);
      await client.query(`CREATE TABLE ${counter} (shard int PRIMARY KEY, n bigint NOT NULL)`);
      await client.query(`INSERT INTO ${counter} SELECT s, 0 FROM generate_series(0, $1::int - 1) s`, [shards]);
      await client.query(`CREATE TABLE ${log} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, vendor_id int NOT NULL, amount numeric(12, 2) NOT NULL)`);
    },
    async teardown(client) {
      await client.query(`DROP TABLE IF EXISTS ${counter}, ${log}`);
    },
  };
}

benchmarkSuite('receipts', ({ load }) => {
  load({
    name: 'receipts/load/hot-counter',
    clients: CLIENTS,
    intervalMs: 500,
    intervals: 6,
    sampleLockWaits: true,
    variants: [counterVariant('hot-row', 1), counterVariant(`sharded-${SHARDS}`, SHARDS)],
    // Bars calibrated (calibration.json): every writer of the hot row queues on its row lock.
    ratios: [
      { metric: 'throughput', numerator: `sharded-${SHARDS}`, denominator: 'hot-row', transaction: 'record', atLeast: calibrated() },
      { metric: 'lockWaits', numerator: 'hot-row', denominator: `sharded-${SHARDS}`, atLeast: calibrated() },
      { metric: 'p99', transaction: 'record', numerator: 'hot-row', denominator: `sharded-${SHARDS}`, atLeast: calibrated() },
    ],
  });
});
