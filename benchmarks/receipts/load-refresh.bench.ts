/**
 * Readers of a materialized view while it is refreshed, with writers running.
 * REFRESH MATERIALIZED VIEW takes an ACCESS EXCLUSIVE lock on the view for the whole
 * rebuild: every reader queues behind it. REFRESH ... CONCURRENTLY (needs a unique
 * index on the view: migrations/receipts/0001) takes only an EXCLUSIVE lock, which
 * readers' ACCESS SHARE does not conflict with: it builds the new contents aside and
 * applies the difference, so readers keep reading the old rows meanwhile.
 * Mix: 90% readers of mv_spend_by_vendor (one vendor), 10% writers inserting a
 * receipt; a background connection refreshes the view, pauses 100 ms, and again.
 *
 * Open loop, 4 clients at 2,000 tx/s together (a fraction of what they can do here).
 * In a closed loop the blocked refresh is hidden: each of the 4 clients waits once per
 * refresh while thousands of quick reads run between refreshes, so the p99 did not move
 * and only p99.9 showed it. In an open loop, every read
 * scheduled during the lock waits for it, counted from its scheduled start: the share
 * of reads that wait is the share of time the view is locked.
 */
import pg from 'pg';
import { benchmarkSuite, calibrated, type LoadVariant } from 'schemabench';

const CLIENTS = 4;
const VIEW = 'mv_spend_by_vendor';
const REFRESH_PAUSE_MS = 100;
/** Open-loop rate, all clients together (tx/s). */
const RATE = 2000;
const COLUMNS = ['id', 'receipt_number', 'vendor_id', 'product_id', 'job_site_id', 'date_key', 'purchase_date', 'quantity', 'unit_price', 'total_amount', 'payment_method', 'is_bulk'];

function refreshing(concurrently: boolean, firstId: number): LoadVariant {
  const vendors: string[] = [];
  const source: string[][] = [];
  let next = firstId;
  return {
    name: concurrently ? 'refresh-concurrently' : 'refresh',
    transactions: [
      { name: 'read', weight: 9, sql: `SELECT receipt_count, total_spent FROM ${pg.escapeIdentifier(VIEW)} WHERE vendor_name = $1`, params: ({ random }) => [random.pick(vendors)] },
      {
        name: 'write',
        weight: 1,
        sql: `INSERT INTO receipts (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
        params: ({ random }) => {
          const row = random.pick(source);
          const id = next++;
          return [id, `R-${id}`, ...row.slice(2)];
        },
      },
    ],
    // A refresh, then a pause: the view is refreshed about every REFRESH_PAUSE_MS, not back to back.
    background: [
      async (client) => {
        await client.query(`REFRESH MATERIALIZED VIEW ${concurrently ? 'CONCURRENTLY ' : ''}${pg.escapeIdentifier(VIEW)}`);
        await new Promise((r) => setTimeout(r, REFRESH_PAUSE_MS));
      },
    ],
    async setup(client) {
      vendors.push(...(await client.query<{ name: string }>('SELECT name FROM vendors ORDER BY id')).rows.map((r) => r.name));
      const { rows } = await client.query({ text: `SELECT ${COLUMNS.map((c) => `${c}::text`).join(', ')} FROM receipts ORDER BY id LIMIT 1000`, rowMode: 'array' });
      source.push(...(rows as string[][]));
    },
    async teardown(client) {
      await client.query('DELETE FROM receipts WHERE id >= $1 AND id < $2', [firstId, firstId + 100_000_000]);
      await client.query(`REFRESH MATERIALIZED VIEW ${pg.escapeIdentifier(VIEW)}`);
    },
  };
}

benchmarkSuite('receipts', ({ load }) => {
  load({
    name: 'receipts/load/refresh-vs-concurrently',
    clients: CLIENTS,
    mode: 'open',
    rate: RATE,
    intervalMs: 500,
    intervals: 6,
    variants: [refreshing(false, 1_000_000_000), refreshing(true, 1_200_000_000)],
    // Readers' p99, REFRESH / REFRESH CONCURRENTLY: the bar is calibrated (calibration.json).
    ratios: [
      { metric: 'p99', transaction: 'read', numerator: 'refresh', denominator: 'refresh-concurrently', atLeast: calibrated() },
      { metric: 'p999', transaction: 'read', numerator: 'refresh', denominator: 'refresh-concurrently' },
      { metric: 'p50', transaction: 'read', numerator: 'refresh', denominator: 'refresh-concurrently' },
    ],
  });
});
