/** A generated column over two derived integers (specs/copy-errors.test.ts): price * qty overflows integer. */
import { sql } from 'drizzle-orm';
import { integer, pgTable, serial } from 'drizzle-orm/pg-core';

export const lines = pgTable('order_lines', {
  id: serial('id').primaryKey(),
  price: integer('price').notNull(),
  qty: integer('qty').notNull(),
  total: integer('total').generatedAlwaysAs(sql`price * qty`),
});
