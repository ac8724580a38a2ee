-- Unique indexes on the materialized views: REFRESH MATERIALIZED VIEW CONCURRENTLY
-- requires one, and they make the views' lookups index-backed.
CREATE UNIQUE INDEX "mv_spend_by_vendor_key" ON "mv_spend_by_vendor" ("vendor_name");--> statement-breakpoint
CREATE UNIQUE INDEX "mv_spend_by_category_site_vendor_key" ON "mv_spend_by_category_site_vendor" ("category_name", "job_site_name", "vendor_name");--> statement-breakpoint
CREATE UNIQUE INDEX "mv_monthly_spend_key" ON "mv_monthly_spend" ("year", "month");
