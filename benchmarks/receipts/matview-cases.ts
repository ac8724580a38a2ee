/**
 * Refreshing seed 004's three materialized views, plain and CONCURRENTLY, as cases: in a
 * module of their own so that the report finds their results by the case objects
 * (materialized-views.bench.ts measures them).
 */
import pg from 'pg';
import { defineCase } from 'schemabench';

export const VIEWS = ['mv_spend_by_vendor', 'mv_spend_by_category_site_vendor', 'mv_monthly_spend'];

export const refreshPlain = defineCase({
  name: 'receipts/matview/refresh-all',
  variant: 'plain',
  params: { views: VIEWS.length },
  run: async ({ client }) => {
    for (const v of VIEWS) await client.query(`REFRESH MATERIALIZED VIEW ${pg.escapeIdentifier(v)}`);
    return 0;
  },
});
export const refreshConcurrently = defineCase({
  ...refreshPlain,
  variant: 'concurrently',
  run: async ({ client }) => {
    for (const v of VIEWS) await client.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${pg.escapeIdentifier(v)}`);
    return 0;
  },
});
