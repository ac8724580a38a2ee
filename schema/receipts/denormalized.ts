/**
 * Receipts workload, denormalized: one wide row per receipt with the vendor, product,
 * category, job site and calendar attributes repeated as text, as in seed 004's
 * "Denormalized (vendor_name as VARCHAR in each row)" comparison. No joins to read it;
 * every repeated name costs bytes in every row.
 */
import { bigint, boolean, date, index, integer, numeric, pgTable, smallint, text } from 'drizzle-orm/pg-core';

export const receiptsWide = pgTable(
  'receipts_wide',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    receiptNumber: text('receipt_number').notNull(),
    vendorName: text('vendor_name').notNull(),
    vendorHeadquarters: text('vendor_headquarters').notNull(),
    productName: text('product_name').notNull(),
    productUnit: text('product_unit').notNull(),
    categoryName: text('category_name').notNull(),
    jobSiteName: text('job_site_name').notNull(),
    jobSiteCity: text('job_site_city').notNull(),
    jobSiteState: text('job_site_state').notNull(),
    purchaseDate: date('purchase_date').notNull(),
    purchaseYear: smallint('purchase_year').notNull(),
    purchaseQuarter: smallint('purchase_quarter').notNull(),
    purchaseMonth: smallint('purchase_month').notNull(),
    purchaseMonthName: text('purchase_month_name').notNull(),
    season: text('season').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: numeric('unit_price', { precision: 10, scale: 2 }).notNull(),
    totalAmount: numeric('total_amount', { precision: 12, scale: 2 }).notNull(),
    paymentMethod: text('payment_method').notNull(),
    isBulk: boolean('is_bulk').notNull(),
  },
  (t) => [index('receipts_wide_purchase_date_idx').on(t.purchaseDate)],
);
