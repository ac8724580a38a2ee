/**
 * The receipts table as it was before vendors were a dimension: the vendor is free
 * text typed by whoever entered the receipt, with the dirty variants that implies
 * ("Home Depot", "home depot", "HOME DEPOT ", "The Home Depot"). The safe-migration
 * benchmarks consolidate it into a vendors dimension with a foreign key, live.
 */
import { bigint, date, numeric, pgTable, text } from 'drizzle-orm/pg-core';

export const legacyReceipts = pgTable('legacy_receipts', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  receiptNumber: text('receipt_number').notNull(),
  vendorName: text('vendor_name').notNull(),
  purchaseDate: date('purchase_date').notNull(),
  totalAmount: numeric('total_amount', { precision: 12, scale: 2 }).notNull(),
});
