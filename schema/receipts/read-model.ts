/**
 * Seed 004's three query types, each written once per variant: normalized (joins),
 * denormalized (one wide table), materialized view (pre-aggregated). The variants of
 * a query return the same columns, types and rows; the type test at the bottom
 * fails to compile if they drift apart, and benchmarks check the rows are equal
 * before timing them.
 */
import { asc, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { receiptsWide } from './denormalized.ts';
import { categories, dimDate, jobSites, products, receipts, vendors } from './normalized.ts';
import { mvMonthlySpend, mvSpendByCategorySiteVendor, mvSpendByVendor } from './views.ts';

type Db = NodePgDatabase;

const count = sql<number>`count(*)::int`;
const total = (column: typeof receipts.totalAmount | typeof receiptsWide.totalAmount) => sql<string>`sum(${column})`;

/** Simple aggregation: receipts and spend per vendor. */
export const spendByVendor = {
  normalized: (db: Db) =>
    db
      .select({ vendorName: vendors.name, receiptCount: count.as('receipt_count'), totalSpent: total(receipts.totalAmount).as('total_spent') })
      .from(receipts)
      .innerJoin(vendors, sql`${vendors.id} = ${receipts.vendorId}`)
      .groupBy(vendors.name)
      .orderBy(asc(vendors.name)),
  denormalized: (db: Db) =>
    db
      .select({ vendorName: receiptsWide.vendorName, receiptCount: count.as('receipt_count'), totalSpent: total(receiptsWide.totalAmount).as('total_spent') })
      .from(receiptsWide)
      .groupBy(receiptsWide.vendorName)
      .orderBy(asc(receiptsWide.vendorName)),
  materialized: (db: Db) =>
    db
      .select({ vendorName: mvSpendByVendor.vendorName, receiptCount: mvSpendByVendor.receiptCount, totalSpent: mvSpendByVendor.totalSpent })
      .from(mvSpendByVendor)
      .orderBy(asc(mvSpendByVendor.vendorName)),
};

/** Complex join over 5 tables: spend per category, job site and vendor. */
export const spendByCategorySiteVendor = {
  normalized: (db: Db) =>
    db
      .select({
        categoryName: categories.name,
        jobSiteName: jobSites.name,
        vendorName: vendors.name,
        receiptCount: count.as('receipt_count'),
        totalQuantity: sql<number>`sum(${receipts.quantity})::int`.as('total_quantity'),
        totalSpent: total(receipts.totalAmount).as('total_spent'),
      })
      .from(receipts)
      .innerJoin(vendors, sql`${vendors.id} = ${receipts.vendorId}`)
      .innerJoin(products, sql`${products.id} = ${receipts.productId}`)
      .innerJoin(categories, sql`${categories.id} = ${products.categoryId}`)
      .innerJoin(jobSites, sql`${jobSites.id} = ${receipts.jobSiteId}`)
      .groupBy(categories.name, jobSites.name, vendors.name)
      .orderBy(asc(categories.name), asc(jobSites.name), asc(vendors.name)),
  denormalized: (db: Db) =>
    db
      .select({
        categoryName: receiptsWide.categoryName,
        jobSiteName: receiptsWide.jobSiteName,
        vendorName: receiptsWide.vendorName,
        receiptCount: count.as('receipt_count'),
        totalQuantity: sql<number>`sum(${receiptsWide.quantity})::int`.as('total_quantity'),
        totalSpent: total(receiptsWide.totalAmount).as('total_spent'),
      })
      .from(receiptsWide)
      .groupBy(receiptsWide.categoryName, receiptsWide.jobSiteName, receiptsWide.vendorName)
      .orderBy(asc(receiptsWide.categoryName), asc(receiptsWide.jobSiteName), asc(receiptsWide.vendorName)),
  materialized: (db: Db) =>
    db
      .select({
        categoryName: mvSpendByCategorySiteVendor.categoryName,
        jobSiteName: mvSpendByCategorySiteVendor.jobSiteName,
        vendorName: mvSpendByCategorySiteVendor.vendorName,
        receiptCount: mvSpendByCategorySiteVendor.receiptCount,
        totalQuantity: mvSpendByCategorySiteVendor.totalQuantity,
        totalSpent: mvSpendByCategorySiteVendor.totalSpent,
      })
      .from(mvSpendByCategorySiteVendor)
      .orderBy(asc(mvSpendByCategorySiteVendor.categoryName), asc(mvSpendByCategorySiteVendor.jobSiteName), asc(mvSpendByCategorySiteVendor.vendorName)),
};

/** Date analysis through the date dimension: spend per month with its season. */
export const monthlySpend = {
  normalized: (db: Db) =>
    db
      .select({ year: dimDate.year, month: dimDate.month, season: dimDate.season, receiptCount: count.as('receipt_count'), totalSpent: total(receipts.totalAmount).as('total_spent') })
      .from(receipts)
      .innerJoin(dimDate, sql`${dimDate.dateKey} = ${receipts.dateKey}`)
      .groupBy(dimDate.year, dimDate.month, dimDate.season)
      .orderBy(asc(dimDate.year), asc(dimDate.month)),
  denormalized: (db: Db) =>
    db
      .select({
        year: receiptsWide.purchaseYear,
        month: receiptsWide.purchaseMonth,
        season: receiptsWide.season,
        receiptCount: count.as('receipt_count'),
        totalSpent: total(receiptsWide.totalAmount).as('total_spent'),
      })
      .from(receiptsWide)
      .groupBy(receiptsWide.purchaseYear, receiptsWide.purchaseMonth, receiptsWide.season)
      .orderBy(asc(receiptsWide.purchaseYear), asc(receiptsWide.purchaseMonth)),
  materialized: (db: Db) =>
    db
      .select({ year: mvMonthlySpend.year, month: mvMonthlySpend.month, season: mvMonthlySpend.season, receiptCount: mvMonthlySpend.receiptCount, totalSpent: mvMonthlySpend.totalSpent })
      .from(mvMonthlySpend)
      .orderBy(asc(mvMonthlySpend.year), asc(mvMonthlySpend.month)),
};

// Type test: every variant of a query returns the same row type.
type Row<F extends (db: Db) => PromiseLike<unknown>> = Awaited<ReturnType<F>>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AllSame<Q extends Record<'normalized' | 'denormalized' | 'materialized', (db: Db) => PromiseLike<unknown>>> = [
  Same<Row<Q['normalized']>, Row<Q['denormalized']>>,
  Same<Row<Q['normalized']>, Row<Q['materialized']>>,
];
export const readModelTypesAgree: [AllSame<typeof spendByVendor>, AllSame<typeof spendByCategorySiteVendor>, AllSame<typeof monthlySpend>] = [
  [true, true],
  [true, true],
  [true, true],
];
