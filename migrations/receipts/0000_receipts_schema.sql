CREATE TABLE "asset_movements" (
	"id" bigint PRIMARY KEY NOT NULL,
	"inventory_id" bigint NOT NULL,
	"from_job_site_id" integer NOT NULL,
	"to_job_site_id" integer NOT NULL,
	"moved_at" date NOT NULL,
	"moved_by" text NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "categories" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"depreciation_rate" numeric(4, 3) NOT NULL,
	CONSTRAINT "categories_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "dim_date" (
	"date_key" integer PRIMARY KEY NOT NULL,
	"date" date NOT NULL,
	"year" smallint NOT NULL,
	"quarter" smallint NOT NULL,
	"month" smallint NOT NULL,
	"month_name" text NOT NULL,
	"day_of_week" smallint NOT NULL,
	"is_weekend" boolean NOT NULL,
	"season" text NOT NULL,
	CONSTRAINT "dim_date_date_unique" UNIQUE("date")
);
--> statement-breakpoint
CREATE TABLE "inventory" (
	"id" bigint PRIMARY KEY NOT NULL,
	"receipt_id" bigint NOT NULL,
	"product_id" integer NOT NULL,
	"job_site_id" integer NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_cost" numeric(10, 2) NOT NULL,
	"acquired_date" date NOT NULL,
	"condition" text NOT NULL,
	"current_value" numeric(12, 2) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_sites" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"city" text NOT NULL,
	"state" text NOT NULL,
	CONSTRAINT "job_sites_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "market_valuations" (
	"id" bigint PRIMARY KEY NOT NULL,
	"inventory_id" bigint NOT NULL,
	"valuation_date" date NOT NULL,
	"cost_basis" numeric(12, 2) NOT NULL,
	"market_value" numeric(12, 2) NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"category_id" integer NOT NULL,
	"unit" text NOT NULL,
	"min_price" numeric(10, 2) NOT NULL,
	"max_price" numeric(10, 2) NOT NULL,
	CONSTRAINT "products_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "receipts" (
	"id" bigint PRIMARY KEY NOT NULL,
	"receipt_number" text NOT NULL,
	"vendor_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"job_site_id" integer NOT NULL,
	"date_key" integer NOT NULL,
	"purchase_date" date NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price" numeric(10, 2) NOT NULL,
	"total_amount" numeric(12, 2) NOT NULL,
	"payment_method" text NOT NULL,
	"is_bulk" boolean NOT NULL,
	CONSTRAINT "receipts_receipt_number_unique" UNIQUE("receipt_number"),
	CONSTRAINT "receipts_quantity_positive" CHECK ("receipts"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "vendors" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"price_factor" numeric(4, 3) NOT NULL,
	"headquarters" text NOT NULL,
	CONSTRAINT "vendors_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "receipts_wide" (
	"id" bigint PRIMARY KEY NOT NULL,
	"receipt_number" text NOT NULL,
	"vendor_name" text NOT NULL,
	"vendor_headquarters" text NOT NULL,
	"product_name" text NOT NULL,
	"product_unit" text NOT NULL,
	"category_name" text NOT NULL,
	"job_site_name" text NOT NULL,
	"job_site_city" text NOT NULL,
	"job_site_state" text NOT NULL,
	"purchase_date" date NOT NULL,
	"purchase_year" smallint NOT NULL,
	"purchase_quarter" smallint NOT NULL,
	"purchase_month" smallint NOT NULL,
	"purchase_month_name" text NOT NULL,
	"season" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price" numeric(10, 2) NOT NULL,
	"total_amount" numeric(12, 2) NOT NULL,
	"payment_method" text NOT NULL,
	"is_bulk" boolean NOT NULL
);
--> statement-breakpoint
ALTER TABLE "asset_movements" ADD CONSTRAINT "asset_movements_inventory_id_inventory_id_fk" FOREIGN KEY ("inventory_id") REFERENCES "public"."inventory"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_movements" ADD CONSTRAINT "asset_movements_from_job_site_id_job_sites_id_fk" FOREIGN KEY ("from_job_site_id") REFERENCES "public"."job_sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_movements" ADD CONSTRAINT "asset_movements_to_job_site_id_job_sites_id_fk" FOREIGN KEY ("to_job_site_id") REFERENCES "public"."job_sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory" ADD CONSTRAINT "inventory_receipt_id_receipts_id_fk" FOREIGN KEY ("receipt_id") REFERENCES "public"."receipts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory" ADD CONSTRAINT "inventory_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory" ADD CONSTRAINT "inventory_job_site_id_job_sites_id_fk" FOREIGN KEY ("job_site_id") REFERENCES "public"."job_sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_valuations" ADD CONSTRAINT "market_valuations_inventory_id_inventory_id_fk" FOREIGN KEY ("inventory_id") REFERENCES "public"."inventory"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_vendor_id_vendors_id_fk" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_job_site_id_job_sites_id_fk" FOREIGN KEY ("job_site_id") REFERENCES "public"."job_sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_date_key_dim_date_date_key_fk" FOREIGN KEY ("date_key") REFERENCES "public"."dim_date"("date_key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "asset_movements_inventory_id_idx" ON "asset_movements" USING btree ("inventory_id");--> statement-breakpoint
CREATE INDEX "inventory_receipt_id_idx" ON "inventory" USING btree ("receipt_id");--> statement-breakpoint
CREATE INDEX "inventory_product_id_idx" ON "inventory" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "inventory_job_site_id_idx" ON "inventory" USING btree ("job_site_id");--> statement-breakpoint
CREATE INDEX "market_valuations_inventory_id_idx" ON "market_valuations" USING btree ("inventory_id");--> statement-breakpoint
CREATE INDEX "receipts_purchase_date_idx" ON "receipts" USING btree ("purchase_date");--> statement-breakpoint
CREATE INDEX "receipts_vendor_id_idx" ON "receipts" USING btree ("vendor_id");--> statement-breakpoint
CREATE INDEX "receipts_product_id_idx" ON "receipts" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "receipts_wide_purchase_date_idx" ON "receipts_wide" USING btree ("purchase_date");--> statement-breakpoint
CREATE MATERIALIZED VIEW "public"."mv_monthly_spend" AS (select "dim_date"."year" as "year", "dim_date"."month" as "month", "dim_date"."season" as "season", count(*)::int as "receipt_count", sum("receipts"."total_amount") as "total_spent" from "receipts" inner join "dim_date" on "dim_date"."date_key" = "receipts"."date_key" group by "dim_date"."year", "dim_date"."month", "dim_date"."season");--> statement-breakpoint
CREATE MATERIALIZED VIEW "public"."mv_spend_by_category_site_vendor" AS (select "categories"."name" as "category_name", "job_sites"."name" as "job_site_name", "vendors"."name" as "vendor_name", count(*)::int as "receipt_count", sum("receipts"."quantity")::int as "total_quantity", sum("receipts"."total_amount") as "total_spent" from "receipts" inner join "vendors" on "vendors"."id" = "receipts"."vendor_id" inner join "products" on "products"."id" = "receipts"."product_id" inner join "categories" on "categories"."id" = "products"."category_id" inner join "job_sites" on "job_sites"."id" = "receipts"."job_site_id" group by "categories"."name", "job_sites"."name", "vendors"."name");--> statement-breakpoint
CREATE MATERIALIZED VIEW "public"."mv_spend_by_vendor" AS (select "vendors"."name" as "vendor_name", count(*)::int as "receipt_count", sum("receipts"."total_amount") as "total_spent" from "receipts" inner join "vendors" on "vendors"."id" = "receipts"."vendor_id" group by "vendors"."name");