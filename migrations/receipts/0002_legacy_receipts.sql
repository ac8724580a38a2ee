CREATE TABLE "legacy_receipts" (
	"id" bigint PRIMARY KEY NOT NULL,
	"receipt_number" text NOT NULL,
	"vendor_name" text NOT NULL,
	"purchase_date" date NOT NULL,
	"total_amount" numeric(12, 2) NOT NULL
);
