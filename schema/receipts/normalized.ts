/**
 * Receipts workload, normalized (seed 004, "schema_v2_normalized"): dimensions for
 * vendors, categories, products, job sites and dates; facts for receipts, inventory,
 * market valuations and asset movements. Money is numeric (exact), never float.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  smallint,
  text,
} from 'drizzle-orm/pg-core';

export const vendors = pgTable('vendors', {
  id: integer('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** Multiplier applied to a product's list price at this vendor (price variation by vendor). */
  priceFactor: numeric('price_factor', { precision: 4, scale: 3 }).notNull(),
  headquarters: text('headquarters').notNull(),
});

export const categories = pgTable('categories', {
  id: integer('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** Annual straight-line depreciation rate applied to inventory of this category. */
  depreciationRate: numeric('depreciation_rate', { precision: 4, scale: 3 }).notNull(),
});

export const products = pgTable('products', {
  id: integer('id').primaryKey(),
  name: text('name').notNull().unique(),
  categoryId: integer('category_id').notNull().references(() => categories.id),
  unit: text('unit').notNull(),
  minPrice: numeric('min_price', { precision: 10, scale: 2 }).notNull(),
  maxPrice: numeric('max_price', { precision: 10, scale: 2 }).notNull(),
});

export const jobSites = pgTable('job_sites', {
  id: integer('id').primaryKey(),
  name: text('name').notNull().unique(),
  city: text('city').notNull(),
  state: text('state').notNull(),
});

/** One row per calendar day, 2020-01-01 .. 2030-12-31 (4,018 rows, as in the seed). */
export const dimDate = pgTable('dim_date', {
  dateKey: integer('date_key').primaryKey(),
  date: date('date').notNull().unique(),
  year: smallint('year').notNull(),
  quarter: smallint('quarter').notNull(),
  month: smallint('month').notNull(),
  monthName: text('month_name').notNull(),
  dayOfWeek: smallint('day_of_week').notNull(),
  isWeekend: boolean('is_weekend').notNull(),
  season: text('season').notNull(),
});

export const receipts = pgTable(
  'receipts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    receiptNumber: text('receipt_number').notNull().unique(),
    vendorId: integer('vendor_id').notNull().references(() => vendors.id),
    productId: integer('product_id').notNull().references(() => products.id),
    jobSiteId: integer('job_site_id').notNull().references(() => jobSites.id),
    dateKey: integer('date_key').notNull().references(() => dimDate.dateKey),
    purchaseDate: date('purchase_date').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: numeric('unit_price', { precision: 10, scale: 2 }).notNull(),
    totalAmount: numeric('total_amount', { precision: 12, scale: 2 }).notNull(),
    paymentMethod: text('payment_method').notNull(),
    isBulk: boolean('is_bulk').notNull(),
  },
  (t) => [
    index('receipts_purchase_date_idx').on(t.purchaseDate),
    index('receipts_vendor_id_idx').on(t.vendorId),
    index('receipts_product_id_idx').on(t.productId),
    check('receipts_quantity_positive', sql`${t.quantity} > 0`),
  ],
);

export const inventory = pgTable(
  'inventory',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    receiptId: bigint('receipt_id', { mode: 'number' }).notNull().references(() => receipts.id),
    productId: integer('product_id').notNull().references(() => products.id),
    jobSiteId: integer('job_site_id').notNull().references(() => jobSites.id),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
    unitCost: numeric('unit_cost', { precision: 10, scale: 2 }).notNull(),
    acquiredDate: date('acquired_date').notNull(),
    condition: text('condition').notNull(),
    /** Book value after depreciation at the dataset's reference date (2025-01-01). */
    currentValue: numeric('current_value', { precision: 12, scale: 2 }).notNull(),
  },
  (t) => [
    index('inventory_receipt_id_idx').on(t.receiptId),
    index('inventory_product_id_idx').on(t.productId),
    index('inventory_job_site_id_idx').on(t.jobSiteId),
  ],
);

export const marketValuations = pgTable(
  'market_valuations',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    inventoryId: bigint('inventory_id', { mode: 'number' }).notNull().references(() => inventory.id),
    valuationDate: date('valuation_date').notNull(),
    costBasis: numeric('cost_basis', { precision: 12, scale: 2 }).notNull(),
    marketValue: numeric('market_value', { precision: 12, scale: 2 }).notNull(),
    source: text('source').notNull(),
  },
  (t) => [index('market_valuations_inventory_id_idx').on(t.inventoryId)],
);

export const assetMovements = pgTable(
  'asset_movements',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    inventoryId: bigint('inventory_id', { mode: 'number' }).notNull().references(() => inventory.id),
    fromJobSiteId: integer('from_job_site_id').notNull().references(() => jobSites.id),
    toJobSiteId: integer('to_job_site_id').notNull().references(() => jobSites.id),
    movedAt: date('moved_at').notNull(),
    movedBy: text('moved_by').notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [index('asset_movements_inventory_id_idx').on(t.inventoryId)],
);
