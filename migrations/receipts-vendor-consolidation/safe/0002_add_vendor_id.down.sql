DROP TRIGGER IF EXISTS legacy_receipts_fill_vendor_id ON legacy_receipts;
--> statement-breakpoint
DROP FUNCTION IF EXISTS legacy_receipts_fill_vendor_id();
--> statement-breakpoint
-- Dropping the column drops its foreign key.
ALTER TABLE legacy_receipts DROP COLUMN vendor_id;
