/**
 * The store's checkout transaction (endpoints.ts, /carts/{cart_id}/checkout) under
 * load, at 1, 2, 4 and 8 clients, with and without the seed's third fix,
 * stock_ledger_trans_id_idx. Without it, the "already checked out?" check scans the
 * whole stock ledger (213k rows at scale 1) in every checkout: ~13 ms of CPU, so on 2
 * cores its throughput stops growing at 2 clients and further clients only queue (p50
 * doubles with each doubling of N); with it, an index probe, and throughput keeps
 * growing with N. "without" runs on one private copy of the dataset with the index
 * dropped, shared by its four client counts (ownDatabase: 'without-index').
 *
 * Every checkout checks out a cart of its own: each variant's setup creates a pool of
 * carts with two items each, far above the generated ids, and clients take the next
 * cart from it. Closed loop; all 8 variants (2 indexes x 4 client counts) interleaved.
 */
import pg from 'pg';
import { benchmarkSuite, type LoadVariant, type TransactionContext } from 'schemabench';

const CLIENT_COUNTS = [1, 2, 4, 8];
const INDEX = 'stock_ledger_trans_id_idx';
const INTERVALS = 6;
/** The sequential test's cap: intervals are added while a ratio straddles its bar. */
const MAX_INTERVALS = 12;
/** Per interval (all clients): the pool holds the warm-up and every interval up to the cap at this bound. */
const MAX_PER_INTERVAL = 2_000;
const POOL = (MAX_INTERVALS + 1) * MAX_PER_INTERVAL;
const BUYER = 4242;

async function checkout({ client }: TransactionContext, cart: number): Promise<void> {
  await client.query('BEGIN');
  const done = await client.query({ name: 'checkout_done', text: 'SELECT count(*)::int AS entries FROM stock_ledger WHERE trans_id = $1', values: [cart] });
  if (done.rows[0].entries > 0) throw new Error(`cart ${cart} is already checked out`);
  await client.query({
    name: 'checkout_stock',
    text: 'INSERT INTO stock_ledger (id, product_id, change, trans_id, created_at) SELECT ci.id, ci.product_id, -ci.quantity, ci.cart_id, now() FROM cart_items ci WHERE ci.cart_id = $1',
    values: [cart],
  });
  await client.query({
    name: 'checkout_money',
    text: `INSERT INTO money_ledger (id, user_id, trans_id, amount, created_at)
           SELECT c.id, c.user_id, c.id, sum(ci.quantity * ci.price), now() FROM carts c JOIN cart_items ci ON ci.cart_id = c.id WHERE c.id = $1 GROUP BY c.id`,
    values: [cart],
  });
  await client.query({ name: 'checkout_cart', text: 'UPDATE carts SET checked_out_at = now() WHERE id = $1', values: [cart] });
  await client.query('COMMIT');
}

function variant(withIndex: boolean, clients: number): LoadVariant {
  // A pool of carts per (variant, client count): ids never collide with the dataset's or each other's.
  const first = 900_000_000 + clients * 100_000;
  let next = first;
  return {
    name: `${withIndex ? 'with-index' : 'without-index'}[clients=${clients}]`,
    clients,
    ownDatabase: withIndex ? false : 'without-index',
    transactions: [
      {
        name: 'checkout',
        run: (ctx) => {
          if (next >= first + POOL) throw new Error(`checkout: the pool of ${POOL} carts is used up`);
          return checkout(ctx, next++);
        },
      },
    ],
    async setup(client) {
      if (!withIndex) await client.query(`DROP INDEX IF EXISTS ${pg.escapeIdentifier(INDEX)}`);
      await client.query('INSERT INTO carts (id, user_id, created_at) SELECT c, $3, now() FROM generate_series($1::bigint, $1::bigint + $2 - 1) c', [first, POOL, BUYER]);
      await client.query(
        'INSERT INTO cart_items (id, cart_id, product_id, quantity, price) SELECT c * 4 + k, c, p.id, 1, p.price FROM generate_series($1::bigint, $1::bigint + $2 - 1) c, (VALUES (0, 3), (1, 5)) AS i(k, product), products p WHERE p.id = i.product',
        [first, POOL],
      );
      await client.query('ANALYZE carts, cart_items');
    },
    async teardown(client) {
      if (!withIndex) return; // its private copy is dropped
      await client.query('DELETE FROM stock_ledger WHERE trans_id >= $1 AND trans_id < $2', [first, first + POOL]);
      await client.query('DELETE FROM money_ledger WHERE id >= $1 AND id < $2', [first, first + POOL]);
      await client.query('DELETE FROM cart_items WHERE cart_id >= $1 AND cart_id < $2', [first, first + POOL]);
      await client.query('DELETE FROM carts WHERE id >= $1 AND id < $2', [first, first + POOL]);
    },
  };
}

// Measured here (embedded, scale 1), two runs with one load per client count:
//   throughput with / without the index, N=1: 15.5x [10.4-23.3], 29.4x [19.3-45.0]; N=2: 17.6x [14.0-22.2],
//   24.2x [9.6-61.5]; N=4: 20.8x [20.1-21.5], 22.4x [11.6-43.1]; N=8: 22.2x [19.0-25.9], 12.7x [8.5-18.8]
// then as one load of 8 interleaved variants (4 x 400 ms), two runs: N=1 38.7x [21.6-69.3],
//   14.9x [2.70-82.7] (one outlier round on a busy machine: now 6 rounds of 300 ms); N=2 15.3x
//   [9.4-24.8], 22.6x [14.5-35.3]; N=4 22.0x [9.7-49.8], 19.7x [16.1-24.0]; N=8 19.0x [16.1-22.5],
//   18.0x [14.1-23.0] -> low bound >= 3 at every N;
//   p99 without / with: N=1 4.2x, 9.1x, 24.7x, 5.1x; N=2 7.5x, 5.5x, 5.2x, 8.8x; N=4 13.7x, 5.8x,
//   10.2x, 7.2x; N=8 12.5x, 3.6x, 9.3x, 6.5x -> >= 2.
/**
 * The bars by scale, by the rule every bar follows (issue 16): asserted where the ratio
 * measures the index, reported below. The ratio is the ledger scan against the rest of
 * the checkout (four statements and a commit): at scale 0.1 the ledger is 21k rows, a
 * scan of about the checkout's own cost, so the ratio is small and follows whatever else
 * the machine runs (a false regression at scale 0.1, alone and next to another run).
 * Throughput is meaningful from scale 0.3; a p99 rests on a few slow transactions of each
 * interval, so it is held to 2x from scale 1 and to 1.5x at 0.3.
 */
const THROUGHPUT_BAR = (scale: number) => (scale >= 0.3 ? 3 : undefined);
const P99_BAR = (scale: number) => (scale >= 1 ? 2 : scale >= 0.3 ? 1.5 : undefined);

benchmarkSuite('store', ({ load, scale }) => {
  const name = (withIndex: boolean, clients: number) => `${withIndex ? 'with-index' : 'without-index'}[clients=${clients}]`;
  if (THROUGHPUT_BAR(scale) === undefined) console.warn(`store/load/checkout: throughput and p99 ratios reported, not asserted, at scale ${scale} (meaningful from scale 0.3; the ledger scan is too short below)`);
  load({
    name: 'store/load/checkout',
    intervalMs: 300,
    intervals: INTERVALS,
    maxIntervals: MAX_INTERVALS,
    warmupMs: 200,
    maxTransactionsPerInterval: MAX_PER_INTERVAL,
    variants: CLIENT_COUNTS.flatMap((clients) => [variant(false, clients), variant(true, clients)]),
    ratios: CLIENT_COUNTS.flatMap((clients) => [
      { metric: 'throughput' as const, numerator: name(true, clients), denominator: name(false, clients), atLeast: THROUGHPUT_BAR(scale) },
      { metric: 'p99' as const, numerator: name(false, clients), denominator: name(true, clients), atLeast: P99_BAR(scale) },
    ]),
  });
});
