/**
 * Store workload (seed 000): an online shop with users, a 138-product catalog, a
 * small marketplace, carts and their items, reviews, fulfilment (processed), a stock
 * ledger and a money ledger, and rentals. Inferred from the seed's table list, row
 * counts and endpoints; see docs/store-workload.md for each inference.
 *
 * The three indexes the seed added to fix its slowest endpoints (categories.type,
 * carts.user_id, stock_ledger.trans_id) are declared with their tables and were
 * generated as their own migration (0001_endpoint_indexes). Benchmarks measure
 * "before" on a private copy of the dataset with the index dropped.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, numeric, pgTable, smallint, text, timestamp, unique } from 'drizzle-orm/pg-core';

export const users = pgTable('users', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  username: text('username').notNull(),
  email: text('email').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
});

export const products = pgTable('products', {
  id: integer('id').primaryKey(),
  sku: text('sku').notNull().unique(),
  name: text('name').notNull(),
  price: numeric('price', { precision: 10, scale: 2 }).notNull(),
  rentable: boolean('rentable').notNull(),
});

/**
 * Catalog lines: a product as offered in one section of the catalog, with the section's
 * type (e.g. 'outdoor', 'kitchen'). The catalog endpoint groups by type.
 */
export const categories = pgTable(
  'categories',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    productId: integer('product_id').notNull().references(() => products.id),
    type: text('type').notNull(),
    name: text('name').notNull(),
  },
  // Seed fix 1, for /catalog.
  (t) => [index('categories_type_idx').on(t.type)],
);

export const marketplace = pgTable('marketplace', {
  id: integer('id').primaryKey(),
  sellerId: bigint('seller_id', { mode: 'number' }).notNull().references(() => users.id),
  productId: integer('product_id').notNull().references(() => products.id),
  price: numeric('price', { precision: 10, scale: 2 }).notNull(),
  quantity: integer('quantity').notNull(),
  listedAt: timestamp('listed_at', { withTimezone: true, mode: 'string' }).notNull(),
});

export const carts = pgTable(
  'carts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' }).notNull().references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    checkedOutAt: timestamp('checked_out_at', { withTimezone: true, mode: 'string' }),
  },
  // Seed fix 2, for /catalog/recs.
  (t) => [index('carts_user_id_idx').on(t.userId)],
);

export const cartItems = pgTable(
  'cart_items',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    cartId: bigint('cart_id', { mode: 'number' }).notNull().references(() => carts.id),
    productId: integer('product_id').notNull().references(() => products.id),
    quantity: integer('quantity').notNull(),
    price: numeric('price', { precision: 10, scale: 2 }).notNull(),
  },
  (t) => [unique('cart_items_cart_product_key').on(t.cartId, t.productId), check('cart_items_quantity_positive', sql`${t.quantity} > 0`)],
);

export const reviews = pgTable(
  'reviews',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' }).notNull().references(() => users.id),
    productId: integer('product_id').notNull().references(() => products.id),
    rating: smallint('rating').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [index('reviews_product_id_idx').on(t.productId), check('reviews_rating_range', sql`${t.rating} BETWEEN 1 AND 5`)],
);

/** Fulfilment: one row per checked-out cart once it has been processed. */
export const processed = pgTable('processed', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  cartId: bigint('cart_id', { mode: 'number' }).notNull().unique().references(() => carts.id),
  status: text('status').notNull(),
  processedAt: timestamp('processed_at', { withTimezone: true, mode: 'string' }).notNull(),
});

/** Every stock movement: negative for a sale (trans_id = the cart), positive for a delivery. */
export const stockLedger = pgTable(
  'stock_ledger',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    productId: integer('product_id').notNull().references(() => products.id),
    change: integer('change').notNull(),
    transId: bigint('trans_id', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  // Seed fix 3, for /carts/{id}/checkout.
  (t) => [index('stock_ledger_trans_id_idx').on(t.transId)],
);

/** Every payment: one per checked-out cart (trans_id = the cart). */
export const moneyLedger = pgTable('money_ledger', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  userId: bigint('user_id', { mode: 'number' }).notNull().references(() => users.id),
  transId: bigint('trans_id', { mode: 'number' }).notNull(),
  amount: numeric('amount', { precision: 12, scale: 2 }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
});

export const rentals = pgTable(
  'rentals',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' }).notNull().references(() => users.id),
    productId: integer('product_id').notNull().references(() => products.id),
    rentedAt: timestamp('rented_at', { withTimezone: true, mode: 'string' }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true, mode: 'string' }).notNull(),
    returnedAt: timestamp('returned_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [index('rentals_product_id_idx').on(t.productId), index('rentals_user_id_idx').on(t.userId)],
);
