/**
 * A small shop, written the way a team writes its own Drizzle schema, with no
 * fixtures code at all: every row schemabench loads for it is derived from these
 * definitions (types, NOT NULL, keys, foreign keys, the checks). It is the proof that
 * a schema alone makes a workload, and the schema the fixture-speed benchmark
 * (specs/derived-fixtures-speed.bench.ts) measures against drizzle-seed.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, numeric, pgEnum, pgTable, primaryKey, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

export const orderStatus = pgEnum('order_status', ['cart', 'paid', 'shipped', 'delivered', 'returned']);

export const customers = pgTable('customers', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  city: text('city'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const products = pgTable(
  'products',
  {
    id: integer('id').primaryKey(),
    sku: varchar('sku', { length: 16 }).notNull().unique(),
    title: text('title').notNull(),
    price: numeric('price', { precision: 10, scale: 2 }).notNull(),
    active: boolean('active').notNull(),
  },
  (t) => [check('products_price_positive', sql`${t.price} > 0`)],
);

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey(),
    customerId: integer('customer_id').notNull().references(() => customers.id),
    status: orderStatus('status').notNull(),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('orders_customer_id_idx').on(t.customerId)],
);

export const orderItems = pgTable(
  'order_items',
  {
    orderId: uuid('order_id').notNull().references(() => orders.id),
    productId: integer('product_id').notNull().references(() => products.id),
    quantity: integer('quantity').notNull(),
    unitPrice: numeric('unit_price', { precision: 10, scale: 2 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.productId] }), check('order_items_quantity', sql`${t.quantity} between 1 and 20`)],
);
