/**
 * The store's API endpoints (seed 000) as benchmark cases: for each, the query or
 * transaction it plausibly runs (docs/store-workload.md explains each inference).
 * Writes are undone untimed before every iteration (beforeEach), so every iteration
 * starts from the same state. Ids used by writes are far above any generated id.
 */
import pg from 'pg';
import { defineCase, type BenchmarkCase, type CaseContext } from 'schemabench';
import { storeTables } from '../../fixtures/store/store-tables.ts';

const W = 900_000_000;
/** A user who has carts (cart 4242's owner), and one catalog type. */
const USER_CART = 4242;
const TYPE = 'garden';

const q = (ctx: CaseContext, text: string, values: unknown[] = []) => ctx.client.query(text, values);
/** Column `column` of row `index` of a store table, from the generator (a pure function: no query needed). */
const tablesByKey = new Map<string, ReturnType<typeof storeTables>>();
function generated(ctx: CaseContext, table: string, index: number, column: number): string {
  const key = `${ctx.seed}:${ctx.scale}`;
  if (!tablesByKey.has(key)) tablesByKey.set(key, storeTables(ctx.seed, ctx.scale));
  return tablesByKey.get(key)!.find((t) => t.table === table)!.line(index).split('\t')[column]!;
}
/** The user owning cart USER_CART, and a user's email. */
const cartOwner = (ctx: CaseContext) => Number(generated(ctx, 'carts', USER_CART - 1, 1));
const emailOf = (ctx: CaseContext, userId: number) => generated(ctx, 'users', userId - 1, 2);

export interface Endpoint {
  path: string;
  /** The seed's measured time, ms, and the time after its index fix, when it made one. */
  seedMs: number;
  seedAfterMs?: number;
  /** The seed's index fix: the index and the table it is on. */
  fix?: { index: string; table: string };
  case: BenchmarkCase;
}

const endpoint = (path: string, c: Omit<BenchmarkCase, 'name' | 'workload' | 'variant'> & { variant?: string }) =>
  defineCase({ name: `store/endpoint${path.replace(/[{}]/g, '').replace(/\/$/, '').toLowerCase()}`, variant: 'after', ...c });

const cleanup = (sql: string, values: (ctx: CaseContext) => unknown[] = () => []) => async (ctx: CaseContext) => {
  await q(ctx, sql, values(ctx));
};

export const ENDPOINTS: Endpoint[] = [
  {
    path: '/users/user',
    seedMs: 121,
    case: endpoint('/users/user', {
      statement: (ctx) => ({ text: 'SELECT id, username, created_at FROM users WHERE email = $1', values: [emailOf(ctx, cartOwner(ctx))] }),
    }),
  },
  {
    path: '/catalog/',
    seedMs: 1873,
    seedAfterMs: 1489,
    fix: { index: 'categories_type_idx', table: 'categories' },
    case: endpoint('/catalog/', {
      params: { type: TYPE },
      statement: {
        text: `SELECT c.type, p.id, p.name, p.price, count(*)::int AS lines
                 FROM categories c JOIN products p ON p.id = c.product_id
                WHERE c.type = $1 GROUP BY c.type, p.id ORDER BY p.id`,
        values: [TYPE],
      },
    }),
  },
  {
    path: '/catalog/recs',
    seedMs: 371,
    seedAfterMs: 295,
    fix: { index: 'carts_user_id_idx', table: 'carts' },
    case: endpoint('/catalog/recs', {
      // Marketplace listings of products the user has not bought yet, cheapest first.
      statement: (ctx) => ({
        text: `SELECT m.id, m.product_id, m.price FROM marketplace m
                WHERE m.product_id NOT IN (SELECT ci.product_id FROM carts c JOIN cart_items ci ON ci.cart_id = c.id WHERE c.user_id = $1)
                ORDER BY m.price, m.id LIMIT 5`,
        values: [cartOwner(ctx)],
      }),
    }),
  },
  {
    path: '/catalog/review',
    seedMs: 123,
    case: endpoint('/catalog/review', {
      beforeEach: cleanup('DELETE FROM reviews WHERE id = $1', () => [W + 1]),
      statement: { text: "INSERT INTO reviews (id, user_id, product_id, rating, body, created_at) VALUES ($1, $2, $3, 5, 'Great!', now())", values: [W + 1, USER_CART, 7] },
      teardown: cleanup('DELETE FROM reviews WHERE id = $1', () => [W + 1]),
    }),
  },
  {
    path: '/catalog/search',
    seedMs: 94,
    case: endpoint('/catalog/search', { statement: { text: 'SELECT id, name, price FROM products WHERE name ILIKE $1 ORDER BY name LIMIT 20', values: ['%chair%'] } }),
  },
  {
    path: '/carts/',
    seedMs: 104,
    case: endpoint('/carts/', {
      beforeEach: cleanup('DELETE FROM carts WHERE id = $1', () => [W + 2]),
      statement: { text: 'INSERT INTO carts (id, user_id, created_at) VALUES ($1, $2, now())', values: [W + 2, USER_CART] },
      teardown: cleanup('DELETE FROM carts WHERE id = $1', () => [W + 2]),
    }),
  },
  {
    path: '/carts/{cart_id}/items/{productID}',
    seedMs: 157,
    case: endpoint('/carts/{cart_id}/items/{productID}', {
      setup: cleanup('INSERT INTO carts (id, user_id, created_at) VALUES ($1, $2, now()) ON CONFLICT DO NOTHING', () => [W + 3, USER_CART]),
      beforeEach: cleanup('DELETE FROM cart_items WHERE id = $1', () => [W + 3]),
      statement: {
        text: `INSERT INTO cart_items (id, cart_id, product_id, quantity, price)
               SELECT $1, $2, p.id, 2, p.price FROM products p WHERE p.id = $3
               ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity`,
        values: [W + 3, W + 3, 11],
      },
      teardown: async (ctx) => {
        await q(ctx, 'DELETE FROM cart_items WHERE cart_id = $1', [W + 3]);
        await q(ctx, 'DELETE FROM carts WHERE id = $1', [W + 3]);
      },
    }),
  },
  {
    path: '/carts/{cart_id}/checkout',
    seedMs: 248,
    seedAfterMs: 125,
    fix: { index: 'stock_ledger_trans_id_idx', table: 'stock_ledger' },
    case: checkout(),
  },
  {
    path: '/rentals/rent',
    seedMs: 115,
    case: endpoint('/rentals/rent', {
      beforeEach: cleanup('DELETE FROM rentals WHERE id = $1', () => [W + 5]),
      statement: {
        text: `INSERT INTO rentals (id, user_id, product_id, rented_at, due_at)
               SELECT $1, $2, p.id, now(), now() + interval '7 days' FROM products p
                WHERE p.id = $3 AND p.rentable AND (SELECT count(*) FROM rentals r WHERE r.product_id = p.id AND r.returned_at IS NULL) < 100`,
        values: [W + 5, USER_CART, 1],
      },
      teardown: cleanup('DELETE FROM rentals WHERE id = $1', () => [W + 5]),
    }),
  },
  {
    path: '/rentals/return',
    seedMs: 98,
    case: endpoint('/rentals/return', {
      setup: cleanup("INSERT INTO rentals (id, user_id, product_id, rented_at, due_at) VALUES ($1, $2, 1, now(), now() + interval '7 days') ON CONFLICT DO NOTHING", () => [W + 6, USER_CART]),
      beforeEach: cleanup('UPDATE rentals SET returned_at = NULL WHERE id = $1', () => [W + 6]),
      statement: { text: 'UPDATE rentals SET returned_at = now() WHERE id = $1 AND returned_at IS NULL', values: [W + 6] },
      teardown: cleanup('DELETE FROM rentals WHERE id = $1', () => [W + 6]),
    }),
  },
  {
    path: '/stock/plan',
    seedMs: 106,
    case: endpoint('/stock/plan', {
      // Restock plan: the products whose stock (sum of the ledger) is lowest.
      statement: { text: 'SELECT product_id, sum(change)::int AS stock FROM stock_ledger GROUP BY product_id ORDER BY stock, product_id LIMIT 20' },
    }),
  },
  {
    path: '/stock/deliver/{order_id}',
    seedMs: 84,
    case: endpoint('/stock/deliver/{order_id}', {
      beforeEach: async (ctx) => {
        await q(ctx, 'DELETE FROM stock_ledger WHERE id = $1', [W + 7]);
        await q(ctx, 'DELETE FROM money_ledger WHERE id = $1', [W + 7]);
      },
      run: async (ctx) => {
        await q(ctx, 'BEGIN');
        await q(ctx, 'INSERT INTO stock_ledger (id, product_id, change, trans_id, created_at) VALUES ($1, $2, 50, $1, now())', [W + 7, 11]);
        await q(ctx, 'INSERT INTO money_ledger (id, user_id, trans_id, amount, created_at) SELECT $1, $2, $1, -50 * p.price * 0.6, now() FROM products p WHERE p.id = $3', [W + 7, USER_CART, 11]);
        await q(ctx, 'COMMIT');
        return 2;
      },
      teardown: async (ctx) => {
        await q(ctx, 'DELETE FROM stock_ledger WHERE id = $1', [W + 7]);
        await q(ctx, 'DELETE FROM money_ledger WHERE id = $1', [W + 7]);
      },
    }),
  },
];

/**
 * Checkout: in one transaction, check the cart was not already checked out (the
 * stock ledger has no entry with its trans_id: the seed's slow Seq Scan), write its
 * items to the stock ledger, the payment to the money ledger, mark the cart.
 * EXPLAIN captures the ledger check, the statement the index changes.
 */
function checkout(): BenchmarkCase {
  const cart = W + 4;
  return endpoint('/carts/{cart_id}/checkout', {
    setup: async (ctx) => {
      await q(ctx, 'INSERT INTO carts (id, user_id, created_at) VALUES ($1, $2, now()) ON CONFLICT DO NOTHING', [cart, USER_CART]);
      await q(ctx, 'INSERT INTO cart_items (id, cart_id, product_id, quantity, price) SELECT $1 + p.id, $1, p.id, 1, p.price FROM products p WHERE p.id IN (3, 5) ON CONFLICT DO NOTHING', [cart]);
    },
    beforeEach: async (ctx) => {
      await q(ctx, 'DELETE FROM stock_ledger WHERE trans_id = $1 AND id >= $2', [cart, W]);
      await q(ctx, 'DELETE FROM money_ledger WHERE id = $1', [cart]);
      await q(ctx, 'UPDATE carts SET checked_out_at = NULL WHERE id = $1', [cart]);
    },
    statement: { text: 'SELECT count(*)::int AS entries FROM stock_ledger WHERE trans_id = $1', values: [cart] },
    run: async (ctx) => {
      await q(ctx, 'BEGIN');
      const done = await q(ctx, 'SELECT count(*)::int AS entries FROM stock_ledger WHERE trans_id = $1', [cart]);
      if (done.rows[0].entries > 0) throw new Error(`cart ${cart} is already checked out`);
      await q(ctx, `INSERT INTO stock_ledger (id, product_id, change, trans_id, created_at)
                    SELECT ci.id, ci.product_id, -ci.quantity, ci.cart_id, now() FROM cart_items ci WHERE ci.cart_id = $1`, [cart]);
      await q(ctx, `INSERT INTO money_ledger (id, user_id, trans_id, amount, created_at)
                    SELECT c.id, c.user_id, c.id, sum(ci.quantity * ci.price), now()
                      FROM carts c JOIN cart_items ci ON ci.cart_id = c.id WHERE c.id = $1 GROUP BY c.id`, [cart]);
      await q(ctx, 'UPDATE carts SET checked_out_at = now() WHERE id = $1', [cart]);
      await q(ctx, 'COMMIT');
      return 1;
    },
    teardown: async (ctx) => {
      await q(ctx, 'DELETE FROM stock_ledger WHERE trans_id = $1 AND id >= $2', [cart, W]);
      await q(ctx, 'DELETE FROM money_ledger WHERE id = $1', [cart]);
      await q(ctx, 'DELETE FROM cart_items WHERE cart_id = $1', [cart]);
      await q(ctx, 'DELETE FROM carts WHERE id = $1', [cart]);
    },
  });
}

/**
 * The endpoint with its index, as the index fix's candidate: the same work as `e.case`
 * under its own name (variant `after-fix`), since endpoints.bench.ts measures `e.case`
 * itself (`[after]`) and a name is measured by one file only.
 */
export function afterFix(e: Endpoint): BenchmarkCase {
  return defineCase({ ...e.case, variant: 'after-fix' });
}

/** The same endpoint on a private copy of the dataset without the seed's index: "before". */
export function beforeFix(e: Endpoint): BenchmarkCase {
  const fix = e.fix!;
  return defineCase({
    ...e.case,
    variant: 'before',
    ownDatabase: true,
    setup: async (ctx) => {
      await ctx.client.query(`DROP INDEX ${pg.escapeIdentifier(fix.index)}`);
      await e.case.setup?.(ctx);
    },
  });
}
