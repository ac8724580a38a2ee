/**
 * Materialized views for seed 004's three query types: the joins and aggregates are
 * computed at REFRESH time, so a read is a scan of a few hundred pre-aggregated rows.
 * Each view has a unique index (custom migration) so REFRESH ... CONCURRENTLY works.
 */
import { sql } from 'drizzle-orm';
import { pgMaterializedView } from 'drizzle-orm/pg-core';
import { categories, dimDate, jobSites, products, receipts, vendors } from './normalized.ts';

/** Simple aggregation: receipts and spend per vendor. */
export const mvSpendByVendor = pgMaterializedView('mv_spend_by_vendor').as((qb) =>
  qb
    .select({
      vendorName: sql<string>`${vendors.name}`.as('vendor_name'),
      receiptCount: sql<number>`count(*)::int`.as('receipt_count'),
      totalSpent: sql<string>`sum(${receipts.totalAmount})`.as('total_spent'),
    })
    .from(receipts)
    .innerJoin(vendors, sql`${vendors.id} = ${receipts.vendorId}`)
    .groupBy(vendors.name),
);

/** Complex join over 5 tables: spend per category, job site and vendor. */
export const mvSpendByCategorySiteVendor = pgMaterializedView('mv_spend_by_category_site_vendor').as((qb) =>
  qb
    .select({
      categoryName: sql<string>`${categories.name}`.as('category_name'),
      jobSiteName: sql<string>`${jobSites.name}`.as('job_site_name'),
      vendorName: sql<string>`${vendors.name}`.as('vendor_name'),
      receiptCount: sql<number>`count(*)::int`.as('receipt_count'),
      totalQuantity: sql<number>`sum(${receipts.quantity})::int`.as('total_quantity'),
      totalSpent: sql<string>`sum(${receipts.totalAmount})`.as('total_spent'),
    })
    .from(receipts)
    .innerJoin(vendors, sql`${vendors.id} = ${receipts.vendorId}`)
    .innerJoin(products, sql`${products.id} = ${receipts.productId}`)
    .innerJoin(categories, sql`${categories.id} = ${products.categoryId}`)
    .innerJoin(jobSites, sql`${jobSites.id} = ${receipts.jobSiteId}`)
    .groupBy(categories.name, jobSites.name, vendors.name),
);

/** Date analysis through the date dimension: spend per month with its season. */
export const mvMonthlySpend = pgMaterializedView('mv_monthly_spend').as((qb) =>
  qb
    .select({
      year: sql<number>`${dimDate.year}`.as('year'),
      month: sql<number>`${dimDate.month}`.as('month'),
      season: sql<string>`${dimDate.season}`.as('season'),
      receiptCount: sql<number>`count(*)::int`.as('receipt_count'),
      totalSpent: sql<string>`sum(${receipts.totalAmount})`.as('total_spent'),
    })
    .from(receipts)
    .innerJoin(dimDate, sql`${dimDate.dateKey} = ${receipts.dateKey}`)
    .groupBy(dimDate.year, dimDate.month, dimDate.season),
);
